package dev.candor.cli;

import dev.candor.model.provenance.BuildInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** One line describing the machine a benchmark ran on. */
final class MachineInfo {
  private MachineInfo() {}

  static String describe() {
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: keep "unknown CPU"
    }
    Map<String, String> env = BuildInfo.environment();
    long maxHeapMb = Runtime.getRuntime().maxMemory() >> 20;
    return String.format(
        "%s, %s cores visible, %s %s, Java %s, %s, max heap %d MiB",
        cpu,
        env.get("cores"),
        env.get("os"),
        env.get("arch"),
        env.get("java"),
        env.get("engine"),
        maxHeapMb);
  }
}
