package dev.candor.cli;

import dev.candor.model.provenance.BuildInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The machine a benchmark ran on: CPU model, cores, vector extensions, allocator and thread
 * settings in effect, load average.
 */
final class MachineInfo {
  /** The vector extensions named in reports, in this order, when the CPU has them. */
  static final List<String> VECTOR_EXTENSIONS =
      List.of(
          "avx2",
          "fma",
          "avx512f",
          "avx512_vnni",
          "avx512_bf16",
          "amx_tile",
          "amx_bf16",
          "amx_int8");

  /** The extension the figures in docs/benchmarks.md were first measured with (Intel Xeon). */
  static final String DOCS_EXTENSION = "avx512f";

  /** The glibc malloc settings bin/candor-env.sh applies unless CANDOR_MALLOC_TUNING=off. */
  static final Map<String, String> TUNED_MALLOC =
      Map.of(
          "MALLOC_MMAP_THRESHOLD_", "4294967296",
          "MALLOC_TRIM_THRESHOLD_", "17179869184",
          "MALLOC_TOP_PAD_", "1073741824",
          "MALLOC_ARENA_MAX", "2");

  private MachineInfo() {}

  static String describe() {
    Map<String, String> env = BuildInfo.environment();
    long maxHeapMb = Runtime.getRuntime().maxMemory() >> 20;
    return String.format(
        "%s (%s), %s cores visible, %s %s, Java %s, %s, max heap %d MiB; %s",
        cpuModel(),
        vectorExtensions(),
        env.get("cores"),
        env.get("os"),
        env.get("arch"),
        env.get("java"),
        env.get("engine"),
        maxHeapMb,
        settings(System.getenv()));
  }

  /** The first "model name" of /proc/cpuinfo, or "unknown CPU". */
  static String cpuModel() {
    return cpuinfoField("model name").orElse("unknown CPU");
  }

  /** The CPU's flags from /proc/cpuinfo (empty when unknown, e.g. not Linux). */
  static Set<String> cpuFlags() {
    return cpuinfoField("flags")
        .map(f -> (Set<String>) new TreeSet<>(List.of(f.split("\\s+"))))
        .orElse(Set.of());
  }

  /** E.g. "avx2, fma": the {@link #VECTOR_EXTENSIONS} the CPU has, or "flags unknown". */
  static String vectorExtensions() {
    return vectorExtensions(cpuFlags());
  }

  static String vectorExtensions(Set<String> flags) {
    if (flags.isEmpty()) {
      return "CPU flags unknown";
    }
    List<String> have = new ArrayList<>();
    for (String x : VECTOR_EXTENSIONS) {
      if (flags.contains(x)) {
        have.add(x);
      }
    }
    List<String> missing =
        VECTOR_EXTENSIONS.stream()
            .filter(x -> x.startsWith("avx512f") || x.equals("amx_tile"))
            .filter(x -> !flags.contains(x))
            .toList();
    return (have.isEmpty() ? "no AVX2" : String.join(", ", have))
        + (missing.isEmpty() ? "" : "; no " + String.join(", no ", missing));
  }

  /**
   * The allocator and thread settings of a process environment, e.g. "malloc: tuned
   * (MALLOC_MMAP_THRESHOLD_=…); OMP_WAIT_POLICY=PASSIVE".
   */
  static String settings(Map<String, String> env) {
    Map<String, String> malloc = new LinkedHashMap<>();
    for (String k :
        List.of(
            "MALLOC_MMAP_THRESHOLD_",
            "MALLOC_TRIM_THRESHOLD_",
            "MALLOC_TOP_PAD_",
            "MALLOC_ARENA_MAX")) {
      if (env.get(k) != null) {
        malloc.put(k, env.get(k));
      }
    }
    String allocator;
    if (malloc.isEmpty()) {
      allocator = "glibc malloc defaults";
    } else if (malloc.equals(TUNED_MALLOC)) {
      allocator = "glibc malloc tuned by bin/candor-env.sh (" + join(malloc) + ")";
    } else {
      allocator = "glibc malloc " + join(malloc);
    }
    String preload = env.get("LD_PRELOAD");
    if (preload != null && !preload.isBlank()) {
      allocator += ", LD_PRELOAD=" + preload;
    }
    return allocator
        + ", OMP_WAIT_POLICY="
        + env.getOrDefault("OMP_WAIT_POLICY", "unset")
        + (env.get("OMP_NUM_THREADS") != null
            ? ", OMP_NUM_THREADS=" + env.get("OMP_NUM_THREADS")
            : "");
  }

  /** "1.23 / 2.34 / 3.45" from /proc/loadavg (1, 5, 15 minutes), or "unknown". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The 1-minute load average, or NaN when unknown. */
  static double load1() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * The start-up notice when the CPU lacks {@link #DOCS_EXTENSION}, or null when it has it or its
   * flags are unknown.
   */
  static String missingExtensionNotice(Set<String> flags, String cpu) {
    if (flags.isEmpty() || flags.contains(DOCS_EXTENSION)) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "note: this CPU (%s: %s) has no AVX-512 (%s), with which the throughput figures in"
            + " docs/benchmarks.md were first measured; expect the model to run about half as fast"
            + " (`candor bench model` measures this machine)",
        cpu,
        vectorExtensions(flags),
        DOCS_EXTENSION);
  }

  private static String join(Map<String, String> m) {
    List<String> parts = new ArrayList<>();
    m.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(" ", parts);
  }

  private static java.util.Optional<String> cpuinfoField(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith(name) && line.indexOf(':') > 0) {
          String key = line.substring(0, line.indexOf(':')).trim();
          if (key.equals(name)) {
            return java.util.Optional.of(line.substring(line.indexOf(':') + 1).trim());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return java.util.Optional.empty();
  }
}
