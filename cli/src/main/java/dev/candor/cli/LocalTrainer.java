package dev.candor.cli;

import dev.candor.trainer.TrainerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The trainer as {@code candor local} runs it: {@code candor trainer} in a child JVM, so that it
 * has its own PyTorch thread pool and its own gradient collector (PyTorch allows one per process,
 * and the stream app's explainer holds it while it explains a batch). Its log goes to {@code
 * home/trainer.log}; closing sends SIGTERM (the trainer stops between rounds; a round cut short is
 * crash-safe) and kills it if it has not stopped after 70 s.
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

  static LocalTrainer start(
      String bootstrapServers, Path home, Path bundle, Path data, String device, int metricsPort)
      throws IOException {
    Path registry = home.resolve("registry");
    Path log = home.resolve("trainer.log");
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
            bundle.toString(),
            "-Dcandor.device=" + device,
            "-D" + TrainerConfig.METRICS_PORT_CONFIG + "=" + metricsPort));
    if (data != null) {
      cmd.addAll(List.of("--data", data.toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new LocalTrainer(pb.start(), registry, log);
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
