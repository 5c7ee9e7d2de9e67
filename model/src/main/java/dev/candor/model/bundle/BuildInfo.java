package dev.candor.model.bundle;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Versions of what produced a model, for provenance and benchmark headers. */
public final class BuildInfo {
  private BuildInfo() {}

  /** The commit of the working directory's checkout, or "unknown". */
  public static String gitCommit() {
    try {
      Process p =
          new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return "unknown";
      }
      String sha = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return sha.matches("[0-9a-f]{40}") ? sha : "unknown";
    } catch (IOException | InterruptedException e) {
      return "unknown";
    }
  }

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
