package dev.candor.model.provenance;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Versions of what produced a model, for provenance and benchmark headers. */
public final class BuildInfo {
  private BuildInfo() {}

  /**
   * The HEAD commit of the working directory's checkout, with "-dirty" when it has uncommitted
   * changes, or "unknown" outside a checkout.
   */
  public static String gitCommit() {
    String sha = git("rev-parse", "HEAD");
    if (sha == null || !sha.matches("[0-9a-f]{40}")) {
      return "unknown";
    }
    String status = git("status", "--porcelain", "--untracked-files=no");
    return status == null || status.isEmpty() ? sha : sha + "-dirty";
  }

  private static String git(String... args) {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "git";
    System.arraycopy(args, 0, cmd, 1, args.length);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return out;
    } catch (IOException e) {
      return null; // no git on this machine: the commit is reported as unknown
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Java, OS, architecture (floating point can differ across them), cores, engine and DJL. */
  public static Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("java", System.getProperty("java.version"));
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    env.put("arch", System.getProperty("os.arch"));
    env.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    Engine engine = Engine.getInstance();
    env.put("engine", engine.getEngineName() + " " + engine.getVersion());
    env.put("djl", Engine.getDjlVersion());
    return env;
  }
}
