package dev.candor.cli;

import dev.candor.dashboard.Dashboard;
import dev.candor.dashboard.DashboardConfig;
import dev.candor.stream.StreamAppConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The whole system on one machine: embedded broker, topics and the explaining stream app. */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description =
        "Run Candor locally: an in-process Kafka broker, the Candor topics, the stream app with"
            + " the default model (trained once if none is cached) and the review dashboard. Ctrl-C"
            + " stops it.")
final class LocalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "9092",
      description = "broker port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
  int port;

  @Option(
      names = {"-m", "--model"},
      description = "model bundle (default: the cached default model)")
  Path model;

  @Option(names = "--data", description = "datasets directory for the bootstrap training")
  Path data;

  @Option(names = "--device", defaultValue = "auto")
  String device;

  @Option(
      names = "--partitions",
      defaultValue = "1",
      description =
          "partitions of the texts and output topics (default: ${DEFAULT-VALUE}); more lets"
              + " more stream threads or instances share the work")
  int partitions;

  @Option(
      names = "--metrics-port",
      defaultValue = "9464",
      description = "Prometheus /metrics and /health port (default: ${DEFAULT-VALUE}; 0: off)")
  int metricsPort;

  @Option(
      names = "--home",
      description =
          "directory that keeps broker data, stream state and the model registry across"
              + " restarts (default: ~/.candor/local, or $CANDOR_HOME/local)")
  Path home;

  @Option(names = "--fresh", description = "start empty: delete what --home kept")
  boolean fresh;

  @Option(names = "--no-trainer", description = "do not start the trainer")
  boolean noTrainer;

  @Option(
      names = {"--trainer-config", "--trainer-conf"},
      paramLabel = "FILE",
      description =
          "trainer properties file (candor.* keys, as for candor trainer --config), checked"
              + " before anything starts")
  Path trainerConfig;

  @Option(
      names = {"-T", "--trainer-set"},
      paramLabel = "KEY=VALUE",
      description =
          "one trainer setting, e.g. -T candor.round.min.feedback=10 (repeatable; wins over"
              + " --trainer-config; the trainer is its own process, so candor.train.threads"
              + " sizes its PyTorch pool only)")
  Map<String, String> trainerSettings = new LinkedHashMap<>();

  @Option(
      names = "--dashboard-port",
      defaultValue = "8080",
      description =
          "review dashboard port (default: ${DEFAULT-VALUE}; 0 picks a free one; -1: off)")
  int dashboardPort;

  @Option(
      names = "--dashboard-db",
      description =
          "dashboard database JDBC URL (default: an H2 file under --home, kept across runs)")
  String dashboardDb;

  @Option(
      names = "--duration",
      defaultValue = "0",
      description = "stop after this many seconds (default: run until Ctrl-C)")
  int duration;

  private static String randomToken() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path localHome = home != null ? home : ModelHome.models().getParent().resolve("local");
    Map<String, String> trainerSet;
    try {
      trainerSet =
          LocalTrainer.settings(trainerConfig, trainerSettings, localHome, System.getenv());
    } catch (IllegalArgumentException | org.apache.kafka.common.config.ConfigException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    if (noTrainer && !trainerSet.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "--trainer-config / -T given together with --no-trainer");
    }
    Path bundle =
        model != null ? model : BootstrapModel.ensure(err, data, device, Invocation.of(spec));
    if (fresh) {
      dev.candor.model.io.Directories.deleteRecursively(localHome);
    }
    java.nio.file.Files.createDirectories(localHome);
    Path registryDir = localHome.resolve("registry");
    Path served = bundle;
    if (!noTrainer && java.nio.file.Files.exists(registryDir.resolve("CURRENT"))) {
      // a restart serves the production version the trainer left, not the bootstrap model
      dev.candor.trainer.ModelRegistry reg = dev.candor.trainer.ModelRegistry.open(registryDir);
      reg.recover();
      served = reg.bundleDir(reg.current().orElseThrow());
    }
    err.println("starting the broker and the stream app (state kept in " + localHome + ") ...");
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                stopped.await(
                    30, TimeUnit.SECONDS); // let the main thread close streams, then broker
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "candor-local-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (StreamStack stack =
            StreamStack.start(
                port,
                served,
                device,
                Map.of(StreamAppConfig.METRICS_PORT_CONFIG, metricsPort),
                localHome,
                partitions);
        LocalTrainer trainer =
            noTrainer
                ? null
                : LocalTrainer.start(
                    stack.bootstrapServers(),
                    localHome,
                    bundle,
                    data,
                    device,
                    metricsPort > 0 ? metricsPort + 1 : 0,
                    trainerSet)) {
      String bs = stack.bootstrapServers();
      out.println("Candor is running. model " + stack.app().model().version());
      if (dashboardPort >= 0) {
        Map<String, Object> dash = new LinkedHashMap<>();
        dash.put(DashboardConfig.PORT_CONFIG, dashboardPort);
        dash.put(
            DashboardConfig.DB_URL_CONFIG,
            dashboardDb != null
                ? dashboardDb
                : "jdbc:h2:file:"
                    + localHome.resolve("dashboard").resolve("candor").toAbsolutePath());
        String envToken = System.getenv(DashboardConfig.envName(DashboardConfig.TOKEN_CONFIG));
        String token = envToken != null && !envToken.isBlank() ? envToken : randomToken();
        dash.put(DashboardConfig.TOKEN_CONFIG, token);
        try {
          Dashboard d = stack.startDashboard(dash);
          out.println("review dashboard: http://127.0.0.1:" + d.port() + "/");
          out.println(
              "  log in as admin with "
                  + (envToken != null && !envToken.isBlank()
                      ? "the token in CANDOR_DASHBOARD_TOKEN"
                      : "token " + token + " (set CANDOR_DASHBOARD_TOKEN to choose one)"));
        } catch (RuntimeException e) {
          // The stream keeps running; only the review pages are missing.
          err.println(
              "review dashboard not started: "
                  + e.getMessage()
                  + " (choose another --dashboard-port, or -1 to turn it off)");
        }
      }
      out.println("bootstrap servers: " + bs);
      out.println("topics: " + String.join(", ", stack.topics().names().values()));
      if (trainer != null) {
        out.println(
            "trainer: own process, registry " + trainer.registry() + ", log " + trainer.log());
      }
      if (metricsPort > 0) {
        out.println(
            "metrics: http://127.0.0.1:"
                + stack.app().metricsPort()
                + "/metrics   health: /health");
      }
      out.println();
      out.println("In another terminal:");
      out.println(
          "  bin/candor produce -b "
              + bs
              + " \"you are all wonderful\" \"go back where you came from\"");
      out.println("  bin/candor consume -b " + bs + " --from-beginning");
      out.println("or with plain Kafka tools (JSON or raw UTF-8 text are accepted as input):");
      out.println(
          "  echo '{\"id\":\"1\",\"text\":\"hello there\"}' | kcat -P -b "
              + bs
              + " -t candor.texts -k 1");
      out.println(
          "  kcat -C -b "
              + bs
              + " -t candor.predictions -X isolation.level=read_committed"
              + "   (values are Avro single-object encoded ExplainedPrediction)");
      out.flush();
      try {
        if (duration > 0) {
          stop.await(duration, TimeUnit.SECONDS);
        } else {
          stop.await();
        }
      } catch (InterruptedException e) {
        Thread.interrupted(); // an interrupt is a stop request: shut down cleanly below
      }
      err.println("stopping ...");
    } finally {
      stopped.countDown();
      if (duration > 0 || stop.getCount() > 0) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the JVM is already exiting; the hook is running
        }
      }
    }
    return 0;
  }
}
