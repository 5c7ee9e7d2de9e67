package dev.candor.cli;

import dev.candor.schemas.ConfigSources;
import dev.candor.trainer.TrainerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;

/**
 * The trainer as {@code candor local} runs it: {@code candor trainer} in a child JVM, so that it
 * has its own PyTorch thread pool and its own gradient collector (PyTorch allows one per process,
 * and the stream app's explainer holds it while it explains a batch). Its log goes to {@code
 * home/trainer.log}; its settings come from {@code --trainer-config FILE} and {@code -T key=value}
 * ({@link #settings}); closing sends SIGTERM (the trainer stops between rounds; a round cut short
 * is crash-safe) and kills it if it has not stopped after 70 s.
 */
final class LocalTrainer implements AutoCloseable {
  private final Process process;
  private final Path registry;
  private final Path log;

  private LocalTrainer(Process process, Path registry, Path log) {
    this.process = process;
    this.registry = registry;
    this.log = log;
  }

  /** Keys {@code candor local} sets itself; a trainer setting may not change them. */
  static final List<String> OWNED_KEYS =
      List.of(
          TrainerConfig.BOOTSTRAP_SERVERS_CONFIG,
          TrainerConfig.TOPIC_PREFIX_CONFIG,
          TrainerConfig.REGISTRY_DIR_CONFIG);

  /**
   * The trainer settings of {@code candor local}: a properties file (may be null) and {@code -T
   * key=value} pairs (which win), validated as {@code candor trainer} validates them (declared
   * {@code candor.} keys of {@link TrainerConfig}, types, ranges; with the environment's {@code
   * CANDOR_*} overrides the child inherits), before anything starts.
   *
   * @return the settings to pass to the trainer child, in order
   * @throws IllegalArgumentException naming the key and why it is refused
   */
  static Map<String, String> settings(
      Path file, Map<String, String> pairs, Path home, Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    ConfigSources.read(file).forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    out.putAll(pairs);
    for (String key : out.keySet()) {
      if (!TrainerConfig.configDef().names().contains(key)) {
        throw new IllegalArgumentException(
            "unknown trainer setting " + key + " (the keys are listed in docs/feedback-loop.md)");
      }
      if (OWNED_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "trainer setting " + key + " is set by candor local itself and cannot be changed");
      }
    }
    Map<String, String> check = new LinkedHashMap<>(out);
    check.put(TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
    check.put(TrainerConfig.REGISTRY_DIR_CONFIG, home.resolve("registry").toString());
    try {
      TrainerConfig.load(null, check, env);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid trainer setting: " + e.getMessage(), e);
    }
    return out;
  }

  static LocalTrainer start(
      String bootstrapServers,
      Path home,
      Path bundle,
      Path data,
      String device,
      int metricsPort,
      Map<String, String> settings)
      throws IOException {
    Path registry = home.resolve("registry");
    Path log = home.resolve("trainer.log");
    ProcessBuilder pb =
        new ProcessBuilder(
            command(bootstrapServers, registry, bundle, data, device, metricsPort, settings));
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new LocalTrainer(pb.start(), registry, log);
  }

  /**
   * The child's command line: {@code java … CandorCommand trainer …}, with {@code settings} as
   * {@code -Dkey=value} after (so winning over) what {@code candor local} derives itself.
   */
  static List<String> command(
      String bootstrapServers,
      Path registry,
      Path bundle,
      Path data,
      String device,
      int metricsPort,
      Map<String, String> settings) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx3g");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CandorCommand.class.getName());
    cmd.addAll(
        List.of(
            "trainer",
            "-b",
            bootstrapServers,
            "--registry",
            registry.toString(),
            "--bundle",
            bundle.toString()));
    if (data != null) {
      cmd.addAll(List.of("--data", data.toString()));
    }
    Map<String, String> d = new LinkedHashMap<>();
    d.put(TrainerConfig.DEVICE_CONFIG, device);
    d.put(TrainerConfig.METRICS_PORT_CONFIG, Integer.toString(metricsPort));
    d.putAll(settings);
    d.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    return cmd;
  }

  Path registry() {
    return registry;
  }

  Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(70, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
