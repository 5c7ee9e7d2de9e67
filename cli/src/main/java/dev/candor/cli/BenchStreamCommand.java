package dev.candor.cli;

import dev.candor.model.CandorModel;
import dev.candor.model.explain.Explainer;
import dev.candor.model.tokenize.SubBatchPlanner;
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

  @Option(
      names = "--sub-batching",
      defaultValue = "compare",
      description =
          "compare: measure with candor.sub.batching on and off in the same run; on or off: only"
              + " that one (default: ${DEFAULT-VALUE})")
  String subBatching;

  private record Run(double textsPerSecond, double[] latenciesMs) {}

  /** One setting's figures. */
  private record Result(
      String setting,
      double bound,
      Stats rate,
      double[] ratios,
      double[] full,
      double pacedRate,
      Run paced,
      String loadBefore,
      String loadAfter) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Path bundle = model != null ? model : ModelHome.defaultBundle();
    BenchTexts benchTexts = textOptions.load();
    List<String> corpus = benchTexts.texts();
    List<String> settings =
        switch (subBatching) {
          case "compare" -> List.of("on", "off");
          case "on", "off" -> List.of(subBatching);
          default -> throw new IllegalArgumentException("--sub-batching: compare, on or off");
        };
    String version = null;
    List<Result> results = new ArrayList<>();
    for (String setting : settings) {
      String loadBefore = MachineInfo.loadAverage();
      double bound = modelOnlyBound(bundle, corpus, SubBatchPlanner.parse(setting), err);
      try (StreamStack stack =
              StreamStack.start(
                  0,
                  bundle,
                  device,
                  Map.of(
                      StreamAppConfig.MAX_BATCH_SIZE_CONFIG, batchSize,
                      StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG, batchDelayMs,
                      StreamAppConfig.SUB_BATCHING_CONFIG, setting));
          Driver driver = new Driver(stack)) {
        version = stack.app().model().version();
        driver.run(corpus, 64, 0, err, "sub-batching " + setting + ": warm-up");
        double[] rates = new double[repeats];
        double[] ratios = new double[repeats];
        List<Double> fullLatencies = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
          Run run =
              driver.run(
                  corpus,
                  texts,
                  0,
                  err,
                  "sub-batching " + setting + ": saturation " + (r + 1) + "/" + repeats);
          rates[r] = run.textsPerSecond();
          ratios[r] = run.textsPerSecond() / bound;
          for (double l : run.latenciesMs()) {
            fullLatencies.add(l);
          }
        }
        Stats rate = Stats.of(rates);
        double pacedRate = rate.median() * pacedFraction;
        Run paced =
            driver.run(corpus, pacedTexts, pacedRate, err, "sub-batching " + setting + ": paced");
        results.add(
            new Result(
                setting,
                bound,
                rate,
                ratios,
                fullLatencies.stream().mapToDouble(Double::doubleValue).toArray(),
                pacedRate,
                paced,
                loadBefore,
                MachineInfo.loadAverage()));
      }
    }
    List<String> lines = new ArrayList<>();
    StringBuilder header = new StringBuilder("| measure |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Result r : results) {
      header.append(" sub-batching ").append(r.setting()).append(" |");
      rule.append("---|");
    }
    lines.add(header.toString());
    lines.add(rule.toString());
    lines.add(
        row(
            results,
            String.format(
                Locale.ROOT, "model-only bound (explain, batches of %d, same texts)", batchSize),
            r -> String.format(Locale.ROOT, "%.1f texts/s", r.bound())));
    lines.add(
        row(
            results,
            String.format(
                Locale.ROOT, "sustained through the broker (%d runs × %d texts)", repeats, texts),
            r ->
                String.format(
                    Locale.ROOT,
                    "**%.1f texts/s** (min–max %.1f–%.1f)",
                    r.rate().median(),
                    r.rate().min(),
                    r.rate().max())));
    lines.add(
        row(
            results,
            "stream / model-only (target ≥ 95 %)",
            r -> {
              Stats q = Stats.of(r.ratios());
              return String.format(
                  Locale.ROOT,
                  "**%.0f %%** (min–max %.0f–%.0f) %s",
                  100 * q.median(),
                  100 * q.min(),
                  100 * q.max(),
                  q.median() >= 0.95 ? "met" : "missed");
            }));
    lines.add(
        row(
            results,
            "latency at saturation p50 / p95 / p99",
            r ->
                String.format(
                    Locale.ROOT,
                    "%.0f / %.0f / %.0f ms",
                    pct(r.full(), 50),
                    pct(r.full(), 95),
                    pct(r.full(), 99))));
    lines.add(
        row(
            results,
            String.format(
                Locale.ROOT,
                "latency at %.0f %% load (%d texts) p50 / p95 / p99 (target p99 ≤ 1 s)",
                100 * pacedFraction,
                pacedTexts),
            r -> {
              double p99 = pct(r.paced().latenciesMs(), 99);
              return String.format(
                  Locale.ROOT,
                  "%.1f texts/s: %.0f / %.0f / **%.0f** ms %s",
                  r.pacedRate(),
                  pct(r.paced().latenciesMs(), 50),
                  pct(r.paced().latenciesMs(), 95),
                  p99,
                  p99 <= 1000 ? "met" : "missed");
            }));
    lines.add(
        row(
            results,
            "load average (1/5/15 min) before → after",
            r -> r.loadBefore() + " → " + r.loadAfter()));
    if (results.size() == 2) {
      lines.add("");
      lines.add(
          String.format(
              Locale.ROOT,
              "Sub-batching on / off: sustained %.2f×, model-only bound %.2f×, p99 at %.0f %% load"
                  + " %.0f vs %.0f ms.",
              results.get(0).rate().median() / results.get(1).rate().median(),
              results.get(0).bound() / results.get(1).bound(),
              100 * pacedFraction,
              pct(results.get(0).paced().latenciesMs(), 99),
              pct(results.get(1).paced().latenciesMs(), 99)));
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
            + " read_committed consumer minus the text's submit time. Each setting runs its own"
            + " broker and stream app, after its own model-only bound.  \n"
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

  private static String row(
      List<Result> results, String measure, java.util.function.Function<Result, String> cell) {
    StringBuilder b = new StringBuilder("| ").append(measure).append(" |");
    for (Result r : results) {
      b.append(' ').append(cell.apply(r)).append(" |");
    }
    return b.toString();
  }

  private double modelOnlyBound(
      Path bundle, List<String> corpus, SubBatchPlanner planner, PrintWriter err)
      throws java.io.IOException {
    try (CandorModel m = CandorModel.load(bundle, dev.candor.model.DeviceChoice.parse(device));
        Explainer explainer = new Explainer(m, planner, batchSize)) {
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
      err.printf(
          Locale.ROOT,
          "model-only bound (sub-batching %s): %.1f explained texts/s%n",
          planner.enabled() ? "on" : "off",
          rate);
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
