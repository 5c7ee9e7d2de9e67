package dev.candor.cli;

import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.SpuriousFlag;
import dev.candor.schemas.avro.WordAttribution;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Reads explained predictions (or flags), pretty or as JSON. */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description = "Print explained predictions from candor.predictions (or --flags).")
final class ConsumeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KafkaOptions kafka;

  @Option(names = "--flags", description = "read candor.flags instead")
  boolean flags;

  @Option(names = "--json", description = "one JSON object per prediction")
  boolean json;

  @Option(names = "--max", defaultValue = "0", description = "stop after N records (0: no limit)")
  int max;

  @Option(
      names = "--timeout",
      defaultValue = "0",
      description = "stop after this many seconds without a record (0: wait forever)")
  int timeoutSeconds;

  @Option(names = "--from-beginning", description = "start at the earliest offset")
  boolean fromBeginning;

  @Override
  public Integer call() {
    Topics topics = Topics.builder().optPrefix(kafka.topicPrefix).build();
    String topic = flags ? topics.flags().name() : topics.predictions().name();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "candor-consume-" + UUID.randomUUID());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Deserializer<ExplainedPrediction> avro =
        AvroSerdes.of(ExplainedPrediction.class).deserializer();
    PrintWriter out = spec.commandLine().getOut();
    int seen = 0;
    long lastRecord = System.nanoTime();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            p,
            new StringDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (max == 0 || seen < max) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          lastRecord = System.nanoTime();
          ExplainedPrediction e;
          try {
            e = avro.deserialize(topic, r.value());
          } catch (RuntimeException bad) {
            spec.commandLine()
                .getErr()
                .println(
                    "skipping undecodable record at offset "
                        + r.offset()
                        + ": "
                        + bad.getMessage());
            continue;
          }
          out.println(json ? SpecificData.get().toString(e) : pretty(e));
          out.flush();
          if (++seen == max) {
            break;
          }
        }
        if (timeoutSeconds > 0
            && System.nanoTime() - lastRecord > timeoutSeconds * 1_000_000_000L) {
          break;
        }
      }
    }
    return 0;
  }

  static String pretty(ExplainedPrediction e) {
    int label = e.getLabelIndex();
    List<WordAttribution> words = new ArrayList<>(e.getWords());
    words.sort(Comparator.comparingDouble(w -> -w.getAttribution()));
    List<String> top = new ArrayList<>();
    for (WordAttribution w : words.subList(0, Math.min(5, words.size()))) {
      top.add(String.format(Locale.ROOT, "%s %+.3f", w.getWord(), w.getAttribution()));
    }
    StringBuilder flagText = new StringBuilder();
    for (SpuriousFlag f : e.getFlags()) {
      flagText.append(" [flag ").append(f.getType()).append(": ").append(f.getDetail()).append(']');
    }
    StringBuilder classes = new StringBuilder();
    if (e.getLabels().size() > 2) {
      classes.append(" [");
      for (int c = 0; c < e.getLabels().size(); c++) {
        classes.append(c == 0 ? "" : " ");
        classes.append(
            String.format(Locale.ROOT, "%s %.3f", e.getLabels().get(c), e.getScores().get(c)));
      }
      classes.append(']');
    }
    int explained = e.getExplainedLabelIndex();
    String topOf =
        explained == label || explained < 0 || explained >= e.getLabels().size()
            ? "top"
            : "top for '" + e.getLabels().get(explained) + "'";
    return String.format(
        Locale.ROOT,
        "%s  %s %.3f%s  %s: %s  (model %s, %d ms, residual %.1e)%s",
        e.getId(),
        e.getLabel(),
        e.getScores().get(label),
        classes,
        topOf,
        String.join(", ", top),
        e.getModelVersion(),
        e.getLatencyMs(),
        e.getCompletenessResidual(),
        flagText);
  }
}
