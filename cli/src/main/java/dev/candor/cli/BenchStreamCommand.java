package dev.candor.cli;

import dev.candor.model.DeviceChoice;
import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.TextSubmitted;
import dev.candor.stream.StreamAppConfig;
import dev.candor.stream.flags.FlagContext;
import dev.candor.stream.flags.FlagEvaluator;
import dev.candor.stream.serving.ModelHandle;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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

  @Option(names = "--batch-delay-ms", defaultValue = "100")
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

  @Option(
      names = {"-D", "--set"},
      description =
          "a stream-app config key, e.g. -D candor.flag.rules=... (repeatable); the model-only"
              + " bound runs the same detectors with the same settings")
  Map<String, String> streamSettings = new LinkedHashMap<>();

  private record Run(double textsPerSecond, double[] latenciesMs, double seconds) {}

  /**
   * The model alone on the stream's work: explaining batches, and explaining plus running the
   * stream's detectors on them (the counterfactual detector's forward passes are model work too).
   */
  private record Bound(double explainOnly, double withDetectors) {}

  /** Where the stream thread's time went in one saturation run, as shares of its wall time. */
  private record Breakdown(
      double explaining, double detectors, double explainRate, double meanBatch) {

    /** The difference between two readings of the stream's meters over a run's wall time. */
    static Breakdown between(StreamMeters before, StreamMeters after, double wallNanos) {
      double explainNanos = after.explainNanos() - before.explainNanos();
      double texts = after.texts() - before.texts();
      return new Breakdown(
          explainNanos / wallNanos,
          (after.detectorNanos() - before.detectorNanos()) / wallNanos,
          texts / (explainNanos / 1e9),
          texts / (after.batches() - before.batches()));
    }
  }

  /**
   * The stream app's own meters so far: time spent explaining and in its detectors (ns), texts
   * explained and batches.
   */
  private record StreamMeters(
      double explainNanos, double detectorNanos, double texts, double batches) {

    static StreamMeters read(MeterRegistry registry) {
      double explain = 0;
      for (Timer t : registry.find("candor.explain.latency").timers()) {
        explain += t.totalTime(TimeUnit.NANOSECONDS);
      }
      double detectors = 0;
      for (Timer t : registry.find("candor.flag.rule.latency").timers()) {
        detectors += t.totalTime(TimeUnit.NANOSECONDS);
      }
      double texts = 0;
      double batches = 0;
      for (DistributionSummary d : registry.find("candor.batch.size").summaries()) {
        texts += d.totalAmount();
        batches += d.count();
      }
      return new StreamMeters(explain, detectors, texts, batches);
    }
  }

  /** One setting's figures. */
  private record Result(
      String setting,
      Stats explainOnlyBounds,
      Stats withDetectorsBounds,
      Stats rate,
      double[] ratios,
      double[] explainOnlyRatios,
      List<Breakdown> breakdowns,
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
      Map<String, Object> overrides = new LinkedHashMap<>();
      overrides.putAll(streamSettings);
      overrides.put(StreamAppConfig.MAX_BATCH_SIZE_CONFIG, batchSize);
      overrides.put(StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG, batchDelayMs);
      overrides.put(StreamAppConfig.SUB_BATCHING_CONFIG, setting);
      // The bound is measured before each saturation run, with the stream idle beside it, so that
      // each ratio compares two measurements taken a few seconds apart (the machine's speed drifts
      // by ±10 % between minutes).
      try (BoundMeter meter = new BoundMeter(bundle, corpus, setting);
          StreamStack stack = StreamStack.start(0, bundle, device, overrides);
          Driver driver = new Driver(stack)) {
        version = stack.app().model().version();
        driver.run(corpus, 64, 0, err, "sub-batching " + setting + ": warm-up");
        double[] rates = new double[repeats];
        double[] ratios = new double[repeats];
        double[] explainOnlyRatios = new double[repeats];
        double[] withDetectors = new double[repeats];
        double[] explainOnly = new double[repeats];
        List<Breakdown> breakdowns = new ArrayList<>();
        List<Double> fullLatencies = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
          Bound bound = meter.measure(err);
          withDetectors[r] = bound.withDetectors();
          explainOnly[r] = bound.explainOnly();
          StreamMeters before = StreamMeters.read(stack.app().registry());
          Run run =
              driver.run(
                  corpus,
                  texts,
                  0,
                  err,
                  "sub-batching " + setting + ": saturation " + (r + 1) + "/" + repeats);
          breakdowns.add(
              Breakdown.between(
                  before, StreamMeters.read(stack.app().registry()), run.seconds() * 1e9));
          rates[r] = run.textsPerSecond();
          ratios[r] = run.textsPerSecond() / bound.withDetectors();
          explainOnlyRatios[r] = run.textsPerSecond() / bound.explainOnly();
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
                Stats.of(explainOnly),
                Stats.of(withDetectors),
                rate,
                ratios,
                explainOnlyRatios,
                breakdowns,
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
                Locale.ROOT,
                "model-only bound: explain + the stream's detectors (batches of %d, same texts)",
                batchSize),
            r -> spread(r.withDetectorsBounds())));
    lines.add(
        row(
            results,
            "model-only bound: explain alone (same batches)",
            r -> spread(r.explainOnlyBounds())));
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
            "stream / model-only bound with detectors (target ≥ 95 %)",
            r -> {
              Stats q = Stats.of(r.ratios());
              return percents(q, true) + " " + (q.median() >= 0.95 ? "met" : "missed");
            }));
    lines.add(
        row(
            results,
            "stream / explain-alone bound",
            r -> percents(Stats.of(r.explainOnlyRatios()), false)));
    lines.add(
        row(
            results,
            "stream thread's wall time: explaining / detectors / the rest (Kafka, Avro, store,"
                + " transactions, waiting for input), median of the runs",
            r -> {
              double e =
                  Stats.of(r.breakdowns().stream().mapToDouble(Breakdown::explaining).toArray())
                      .median();
              double d =
                  Stats.of(r.breakdowns().stream().mapToDouble(Breakdown::detectors).toArray())
                      .median();
              return String.format(
                  Locale.ROOT, "%.1f %% / %.1f %% / %.1f %%", 100 * e, 100 * d, 100 * (1 - e - d));
            }));
    lines.add(
        row(
            results,
            "explain rate inside the stream (texts / time in explain) vs explain-alone bound",
            r -> {
              double x =
                  Stats.of(r.breakdowns().stream().mapToDouble(Breakdown::explainRate).toArray())
                      .median();
              return String.format(
                  Locale.ROOT,
                  "%.1f texts/s (%.0f %% of the bound); mean micro-batch %.1f texts",
                  x,
                  100 * x / r.explainOnlyBounds().median(),
                  Stats.of(r.breakdowns().stream().mapToDouble(Breakdown::meanBatch).toArray())
                      .median());
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
              results.get(0).withDetectorsBounds().median()
                  / results.get(1).withDetectorsBounds().median(),
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
            + ". Latency = prediction received by a read_committed consumer minus the text's submit"
            + " time. Each setting runs its own broker and stream app; the model-only bound is"
            + " measured in the same process just before each saturation run.  \n"
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

  /** Ratios as "97 % (min–max 95–104)", the median in bold if asked. */
  private static String percents(Stats q, boolean boldMedian) {
    String median = String.format(Locale.ROOT, "%.0f %%", 100 * q.median());
    return String.format(
        Locale.ROOT,
        "%s (min–max %.0f–%.0f)",
        boldMedian ? "**" + median + "**" : median,
        100 * q.min(),
        100 * q.max());
  }

  private static String spread(Stats s) {
    return String.format(
        Locale.ROOT, "%.1f texts/s (min–max %.1f–%.1f)", s.median(), s.min(), s.max());
  }

  /** The model alone, with the stream's detectors, on the texts the stream gets. */
  private final class BoundMeter implements AutoCloseable {
    private final List<String> corpus;
    private final String setting;
    private final FlagEvaluator detectors;
    private final ModelHandle handle;
    private final FlagContext context;

    BoundMeter(Path bundle, List<String> corpus, String setting) throws java.io.IOException {
      this.corpus = corpus;
      this.setting = setting;
      Properties props = new Properties();
      props.putAll(streamSettings);
      props.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundle.toString());
      props.put(StreamAppConfig.SUB_BATCHING_CONFIG, setting);
      StreamAppConfig config = new StreamAppConfig(props);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      detectors = new FlagEvaluator(config.flagRules(), registry);
      handle =
          ModelHandle.load(
              bundle,
              DeviceChoice.parse(device),
              registry,
              config.explanationTarget(),
              config.subBatching());
      context = FlagContext.of(handle, handle.version(), word -> 0);
      List<String> warmUp = corpus.subList(0, Math.min(batchSize, corpus.size()));
      detectors.flags(handle.explain(warmUp).explanations(), context);
    }

    /** Explains (and flags) {@code texts} texts in batches, as the stream's saturation run. */
    Bound measure(PrintWriter err) {
      long explainNanos = 0;
      long detectorNanos = 0;
      int done = 0;
      for (int i = 0; done < texts; i += batchSize) {
        List<String> batch = new ArrayList<>(batchSize);
        for (int j = 0; j < batchSize; j++) {
          batch.add(corpus.get((i + j) % corpus.size()));
        }
        long t0 = System.nanoTime();
        ModelHandle.ExplainedBatch explained = handle.explain(batch);
        long t1 = System.nanoTime();
        detectors.flags(explained.explanations(), context);
        detectorNanos += System.nanoTime() - t1;
        explainNanos += t1 - t0;
        done += batchSize;
      }
      Bound bound =
          new Bound(done / (explainNanos / 1e9), done / ((explainNanos + detectorNanos) / 1e9));
      err.printf(
          Locale.ROOT,
          "model-only bound (sub-batching %s): %.1f explained texts/s, %.1f with the detectors%n",
          setting,
          bound.explainOnly(),
          bound.withDetectors());
      return bound;
    }

    @Override
    public void close() {
      handle.close();
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
      return new Run(
          n / seconds, latencies.stream().mapToDouble(Double::doubleValue).toArray(), seconds);
    }

    @Override
    public void close() {
      producer.close();
      consumer.close();
    }
  }
}
