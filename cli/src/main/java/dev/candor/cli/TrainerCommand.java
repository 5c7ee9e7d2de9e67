package dev.candor.cli;

import dev.candor.model.data.DataDirectory;
import dev.candor.trainer.ModelRegistry;
import dev.candor.trainer.RoundOutcome;
import dev.candor.trainer.Trainer;
import dev.candor.trainer.TrainerConfig;
import dev.candor.trainer.TrainerMetrics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the trainer: rounds of fine-tuning on reviewers' feedback, gated, into the registry. */
@Command(
    name = "trainer",
    mixinStandardHelpOptions = true,
    subcommands = TrainerSimulateCommand.class,
    description =
        "Consume candor.feedback and, every N new items or T minutes (or once with --once),"
            + " fine-tune the production model on feedback plus a replay sample, gate it against"
            + " production, record it in the registry and announce a promoted version on"
            + " candor.model-updates.")
final class TrainerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KafkaOptions kafka;

  @Option(names = "--config", description = "trainer properties file (candor.* keys)")
  Path config;

  @Option(
      names = "--registry",
      description = "registry directory (default: ~/.candor/registry, or $CANDOR_HOME/registry)")
  Path registry;

  @Option(
      names = "--bundle",
      description =
          "bundle imported as the first version of an empty registry (default: the"
              + " cached default model)")
  Path bundle;

  @Option(
      names = "--data",
      description =
          "datasets directory for replay (hatexplain/train.jsonl) and the gate's validation"
              + " set (hatexplain/val.jsonl) (default: $CANDOR_DATA or ../shared/data)")
  Path data;

  @Option(names = "--once", description = "run one round now and exit")
  boolean once;

  @Option(
      names = "--threads",
      description = "PyTorch threads of the trainer process (default: 1; the pool is per process)")
  Integer threads;

  @Option(
      names = "-D",
      mapFallbackValue = "",
      description = "override any trainer key, e.g. -Dcandor.round.min.feedback=100")
  Map<String, String> overrides = new HashMap<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TrainerConfig cfg = TrainerConfig.load(config, settings(), System.getenv());
    ModelRegistry reg = ModelRegistry.open(cfg.registryDir());
    try (TrainerMetrics metrics = new TrainerMetrics();
        Trainer trainer =
            new Trainer(cfg, reg, Trainer.Listener.all(new BarListener(err), metrics))) {
      if (cfg.metricsPort() > 0 && !once) {
        metrics.serve(cfg.metricsPort());
        err.println("trainer metrics: http://0.0.0.0:" + metrics.port() + "/metrics");
      }
      if (once) {
        trainer.start();
        RoundOutcome o = trainer.runRound();
        print(out, o);
        return o.version() == null ? 3 : 0;
      }
      AtomicBoolean stop = new AtomicBoolean();
      Thread main = Thread.currentThread();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stop.set(true);
                    try {
                      main.join(60_000);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
      err.println(
          "trainer running on "
              + cfg.bootstrapServers()
              + ", registry "
              + cfg.registryDir()
              + " (Ctrl-C stops)");
      trainer.run(stop);
    }
    return 0;
  }

  /** Command-line settings as config keys (the -D overrides win). */
  Map<String, String> settings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
    m.put(TrainerConfig.TOPIC_PREFIX_CONFIG, kafka.topicPrefix);
    m.put(
        TrainerConfig.REGISTRY_DIR_CONFIG,
        (registry != null ? registry : defaultRegistry()).toString());
    Path b = bundle != null ? bundle : ModelHome.defaultBundle();
    if (Files.exists(b)) {
      m.put(TrainerConfig.BOOTSTRAP_BUNDLE_CONFIG, b.toString());
    }
    try {
      Path hx = DataDirectory.dataset(DataDirectory.resolve(data), "hatexplain");
      if (Files.exists(hx.resolve("train.jsonl"))) {
        m.put(TrainerConfig.REPLAY_FILE_CONFIG, hx.resolve("train.jsonl").toString());
      }
      if (Files.exists(hx.resolve("val.jsonl"))) {
        m.put(TrainerConfig.VALIDATION_FILE_CONFIG, hx.resolve("val.jsonl").toString());
      }
    } catch (IllegalArgumentException e) {
      if (data != null) {
        throw e;
      }
      // no data directory: no replay, the gate uses held-out feedback only
    }
    if (threads != null) {
      m.put(TrainerConfig.THREADS_CONFIG, threads.toString());
    }
    m.putAll(overrides);
    return m;
  }

  static Path defaultRegistry() {
    return ModelHome.models().getParent().resolve("registry");
  }

  static void print(PrintWriter out, RoundOutcome o) {
    if (o.version() == null) {
      out.println("no round: " + String.join("; ", o.reasons()));
      return;
    }
    out.printf(
        Locale.ROOT,
        "round %s: %s%s (training %.1f s, round %.1f s)%n",
        o.version(),
        o.decision(),
        o.published() ? ", published" : "",
        o.trainSeconds(),
        o.roundSeconds());
    out.println("  data: " + o.counts());
    for (String f : o.candidate().keySet()) {
      out.printf(
          Locale.ROOT,
          "  %-18s candidate %8.4f  production %8.4f%n",
          f,
          o.candidate().get(f),
          o.production().getOrDefault(f, Double.NaN));
    }
    for (String r : o.reasons()) {
      out.println("  refused: " + r);
    }
  }

  /** Draws the same progress bar as {@code candor train}. */
  static final class BarListener implements Trainer.Listener {
    private final PrintWriter err;
    private ProgressBar bar;

    BarListener(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void onRoundStart(String version, int rows) {
      err.println("round " + version + ": fine-tuning on " + rows + " texts");
      bar = new ProgressBar(err, "round " + version);
    }

    @Override
    public void onStep(int step, int steps, double loss, double textsPerSecond) {
      bar.update(
          step,
          steps,
          String.format(Locale.ROOT, "loss %.4f %.1f texts/s", loss, textsPerSecond),
          step == steps);
    }

    @Override
    public void onRejected(
        dev.candor.trainer.feedback.FeedbackRejection reason,
        String textId,
        long offset,
        String detail) {
      err.println("skipped feedback at offset " + offset + " (" + reason + "): " + detail);
    }
  }
}
