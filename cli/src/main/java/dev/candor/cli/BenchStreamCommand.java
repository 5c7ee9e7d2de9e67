package dev.candor.cli;

import dev.candor.model.CandorModel;
import dev.candor.model.explain.Explainer;
import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.TextSubmitted;
import dev.candor.stream.StreamAppConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Texts through a real broker and the stream app: sustained throughput, end-to-end latency at full
 * and at a fraction of that rate, and the model-only bound measured in the same run.
 */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description =
        "Drive texts through an embedded broker and the stream app; report sustained"
            + " explained texts/s, p50/p95/p99 end-to-end latency, and the model-only bound.")
final class BenchStreamCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-m", "--model"},
      description = "bundle (default: the cached default model)")
  Path model;

  @Mixin BenchTextOptions textOptions;

  @Option(names = "--device", defaultValue = "auto")
  String device;

  @Option(names = "--texts", defaultValue = "600", description = "texts per saturation run")
  int texts;

  @Option(names = "--repeats", defaultValue = "3", description = "saturation runs")
  int repeats;

  @Option(
      names = "--paced-fraction",
      defaultValue = "0.5",
      description = "rate of the latency run as a fraction of the sustained throughput")
  double pacedFraction;

  @Option(names = "--paced-texts", defaultValue = "300")
  int pacedTexts;

  @Option(names = "--batch-size", defaultValue = "32")
  int batchSize;

  @Option(names = "--batch-delay-ms", defaultValue = "200")
  int batchDelayMs;

  @Option(names = "--out", defaultValue = "docs/benchmarks.md")
  Path out;

  private record Run(double textsPerSecond, double[] latenciesMs) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Path bundle = model != null ? model : ModelHome.defaultBundle();
    BenchTexts benchTexts = textOptions.load();
    List<String> corpus = benchTexts.texts();
    double bound = modelOnlyBound(bundle, corpus, err);
    List<String> lines = new ArrayList<>();
    String version;
    try (StreamStack stack =
            StreamStack.start(
                0,
                bundle,
                device,
                Map.of(
                    StreamAppConfig.MAX_BATCH_SIZE_CONFIG, batchSize,
                    StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG, batchDelayMs));
        Driver driver = new Driver(stack)) {
      version = stack.app().model().version();
      driver.run(corpus, 64, 0, err, "warm-up");
      double[] rates = new double[repeats];
      List<Double> fullLatencies = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        Run run = driver.run(corpus, texts, 0, err, "saturation " + (r + 1) + "/" + repeats);
        rates[r] = run.textsPerSecond();
        for (double l : run.latenciesMs()) {
          fullLatencies.add(l);
        }
      }
      Stats rate = Stats.of(rates);
      double pacedRate = rate.median() * pacedFraction;
      Run paced = driver.run(corpus, pacedTexts, pacedRate, err, "paced");
      double[] full = fullLatencies.stream().mapToDouble(Double::doubleValue).toArray();
      lines.add("| measure | value |");
      lines.add("|---|---|");
      lines.add(
          String.format(
              Locale.ROOT,
              "| model-only bound (explain, batch %d, same texts) | %.1f texts/s |",
              batchSize,
              bound));
      lines.add(
          String.format(
              Locale.ROOT,
              "| sustained through the broker (%d runs × %d texts) | **%.1f texts/s** (min–max"
                  + " %.1f–%.1f) |",
              repeats,
              texts,
              rate.median(),
              rate.min(),
              rate.max()));
      lines.add(
          String.format(
              Locale.ROOT, "| stream / model-only | **%.0f %%** |", 100 * rate.median() / bound));
      lines.add(
          String.format(
              Locale.ROOT,
              "| latency at saturation p50 / p95 / p99 | %.0f / %.0f / %.0f ms |",
              pct(full, 50),
              pct(full, 95),
              pct(full, 99)));
      lines.add(
          String.format(
              Locale.ROOT,
              "| latency at %.0f %% load (%.1f texts/s, %d texts) p50 / p95 / p99 | %.0f / %.0f /"
                  + " **%.0f** ms |",
              100 * pacedFraction,
              pacedRate,
              pacedTexts,
              pct(paced.latenciesMs(), 50),
              pct(paced.latenciesMs(), 95),
              pct(paced.latenciesMs(), 99)));
    }
    String md =
        "## Stream (`candor bench stream`)\n\n"
            + "Run "
            + Instant.now()
            + " on: "
            + MachineInfo.describe()
            + "  \n"
            + "Model: "
            + version
            + "; one broker, one stream thread, exactly_once_v2, max batch "
            + batchSize
            + ", max batch delay "
            + batchDelayMs
            + " ms; texts: "
            + benchTexts.source()
            + ". Latency = prediction received by a"
            + " read_committed consumer minus the text's submit time.  \n"
            + "Command: `"
            + Invocation.of(spec)
            + "`\n\n"
            + String.join("\n", lines)
            + "\n";
    BenchmarkDoc.writeSection(out, "stream", md);
    spec.commandLine().getOut().println(md);
    spec.commandLine().getOut().println("written to " + out.toAbsolutePath());
    return 0;
  }

  private double modelOnlyBound(Path bundle, List<String> corpus, PrintWriter err)
      throws java.io.IOException {
    try (CandorModel m = CandorModel.load(bundle, dev.candor.model.DeviceChoice.parse(device));
        Explainer explainer = new Explainer(m)) {
      explainer.explain(corpus.subList(0, Math.min(batchSize, corpus.size()))); // warm-up
      long start = System.nanoTime();
      int done = 0;
      for (int i = 0; done < texts; i += batchSize) {
        List<String> batch = new ArrayList<>(batchSize);
        for (int j = 0; j < batchSize; j++) {
          batch.add(corpus.get((i + j) % corpus.size()));
        }
        explainer.explain(batch);
        done += batchSize;
      }
      double rate = done / ((System.nanoTime() - start) / 1e9);
      err.printf(Locale.ROOT, "model-only bound: %.1f explained texts/s%n", rate);
      return rate;
    }
  }

  static double pct(double[] values, double p) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    if (v.length == 0) {
      return Double.NaN;
    }
    int idx = (int) Math.ceil(p / 100.0 * v.length) - 1;
    return v[Math.max(0, Math.min(v.length - 1, idx))];
  }

  /** Produces texts and collects their predictions from the output topic. */
  private static final class Driver implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Serializer<TextSubmitted> ser = AvroSerdes.of(TextSubmitted.class).serializer();
    private final Deserializer<ExplainedPrediction> de =
        AvroSerdes.of(ExplainedPrediction.class).deserializer();
    private final String input;
    private final String output;

    Driver(StreamStack stack) {
      input = stack.topics().texts().name();
      output = stack.topics().predictions().name();
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
      p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
      producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
      Properties c = new Properties();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
      c.put(ConsumerConfig.GROUP_ID_CONFIG, "candor-bench-" + UUID.randomUUID());
      c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
      consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(List.of(output));
      long until = System.currentTimeMillis() + 30_000;
      while (consumer.assignment().isEmpty() && System.currentTimeMillis() < until) {
        consumer.poll(Duration.ofMillis(100));
      }
    }

    /** Sends n texts (at {@code rate} per second, or as fast as possible when 0) and waits. */
    Run run(List<String> corpus, int n, double rate, PrintWriter err, String label) {
      Map<String, Long> sentAt = new HashMap<>();
      List<Double> latencies = new ArrayList<>();
      long start = System.nanoTime();
      long firstSend = System.currentTimeMillis();
      int sent = 0;
      long deadline = System.currentTimeMillis() + 600_000;
      long lastReceive = firstSend;
      ProgressBar bar = new ProgressBar(err, label);
      while (latencies.size() < n) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(
              label
                  + ": only "
                  + latencies.size()
                  + " of "
                  + n
                  + " predictions arrived within 10 minutes");
        }
        while (sent < n && (rate == 0 || sent < (System.nanoTime() - start) / 1e9 * rate + 1)) {
          String id = UUID.randomUUID().toString();
          long now = System.currentTimeMillis();
          TextSubmitted t =
              TextSubmitted.newBuilder()
                  .setId(id)
                  .setText(corpus.get(sent % corpus.size()))
                  .setSubmittedAtMs(now)
                  .setSource("bench")
                  .build();
          sentAt.put(id, now);
          producer.send(new ProducerRecord<>(input, id, ser.serialize(input, t)));
          sent++;
        }
        producer.flush();
        for (ConsumerRecord<String, byte[]> r :
            consumer.poll(Duration.ofMillis(rate == 0 ? 200 : 10))) {
          ExplainedPrediction e = de.deserialize(output, r.value());
          Long at = sentAt.remove(e.getId());
          if (at != null) {
            lastReceive = System.currentTimeMillis();
            latencies.add((double) (lastReceive - at));
          }
        }
        bar.update(latencies.size(), n, "", false);
      }
      bar.update(n, n, "", true);
      double seconds = Math.max(1e-3, (lastReceive - firstSend) / 1000.0);
      return new Run(n / seconds, latencies.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Override
    public void close() {
      producer.close();
      consumer.close();
    }
  }
}
