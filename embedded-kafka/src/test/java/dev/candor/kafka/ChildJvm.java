package dev.candor.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code main} class started in a child JVM on the test class path, so that an integration test
 * can SIGKILL it (no shutdown hooks, no {@code finally}, no flush) and start it again against the
 * broker that runs in the test. The child gets the offline DJL settings; its stdout and stderr go
 * to one log file, which {@link #awaitLine} watches. Shipped to other modules in the test-jar of
 * {@code candor-embedded-kafka} (stream-app's ChaosIT / CrashRecoveryIT, trainer's TrainerKillIT).
 */
public final class ChildJvm {
  /** Exit status of a process ended by SIGKILL (128 + 9). */
  public static final int SIGKILL_EXIT = 137;

  private final Process process;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code mainClass} in a new JVM with this JVM's class path.
   *
   * @param jvmOptions e.g. {@code -Xmx512m}
   * @param args the program's arguments
   * @param log file that receives stdout and stderr (replaced)
   */
  public static ChildJvm start(
      String mainClass, List<String> jvmOptions, List<String> args, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    return new ChildJvm(pb.start(), log);
  }

  public Process process() {
    return process;
  }

  public Path logFile() {
    return log;
  }

  /** The child's output so far. */
  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until the child's output contains {@code text}.
   *
   * @throws AssertionError with the log when the child exits first or the time runs out
   */
  public void awaitLine(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!log().contains(text)) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "the child exited (" + process.exitValue() + ") before '" + text + "'; log:\n" + log());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' within " + timeout + "; log:\n" + log());
      }
      Thread.sleep(20);
    }
  }

  /**
   * Sends SIGKILL and waits for the process to end.
   *
   * @return the exit status ({@value #SIGKILL_EXIT} when the signal, not a normal exit, ended it)
   */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the child survived SIGKILL for 30 s");
    }
    return process.exitValue();
  }

  /**
   * Waits for a normal exit.
   *
   * @return the exit status
   * @throws AssertionError with the log when it has not exited in time
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the child did not exit within " + timeout + "; log:\n" + log());
    }
    return process.exitValue();
  }

  /** SIGKILLs the child if it still runs (for {@code @AfterEach}). */
  public void destroy() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
