package dev.candor.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Training throughput, kernel-time share and page faults under different process settings, each in
 * its own child JVM ({@link TrainingProbe}) because the allocator and OpenMP read their settings
 * once at start-up. Runs alternate between settings so load changes hit each alike.
 */
final class ProcessSettingsBench {

  /**
   * One process setting.
   *
   * @param name as reported
   * @param env environment variables set in the child (null value: removed)
   * @param jvmArgs extra JVM arguments
   */
  record Variant(String name, Map<String, String> env, List<String> jvmArgs) {}

  private final int runs;
  private final int steps;
  private final int maxLength;
  private final List<Variant> variants;

  ProcessSettingsBench(int runs, int steps, int maxLength, boolean threadVariants) {
    this.runs = runs;
    this.steps = steps;
    this.maxLength = maxLength;
    this.variants = variants(threadVariants);
  }

  static List<Variant> variants(boolean threadVariants) {
    Map<String, String> defaults = new LinkedHashMap<>();
    for (String k : MachineInfo.TUNED_MALLOC.keySet()) {
      defaults.put(k, null);
    }
    defaults.put("CANDOR_MALLOC_TUNING", "off");
    defaults.put("OMP_WAIT_POLICY", "PASSIVE");
    Map<String, String> tuned = new LinkedHashMap<>(MachineInfo.TUNED_MALLOC);
    tuned.put("OMP_WAIT_POLICY", "PASSIVE");
    List<Variant> out = new ArrayList<>();
    out.add(new Variant("glibc malloc defaults", defaults, List.of()));
    out.add(new Variant("malloc tuned (bin/candor-env.sh)", tuned, List.of()));
    if (threadVariants) {
      Map<String, String> active = new LinkedHashMap<>(tuned);
      active.put("OMP_WAIT_POLICY", "ACTIVE");
      out.add(new Variant("tuned + OMP_WAIT_POLICY=ACTIVE", active, List.of()));
      out.add(
          new Variant(
              "tuned + 1 intra-op thread", tuned, List.of("-Dai.djl.pytorch.num_threads=1")));
    }
    return out;
  }

  /** Runs every variant {@code runs} times and returns the report's markdown lines. */
  List<String> run(List<String> texts, PrintWriter err) throws IOException, InterruptedException {
    Path textFile = Files.createTempFile("candor-bench-texts", ".txt");
    try {
      List<String> oneLine = texts.stream().map(t -> t.replaceAll("\\s+", " ")).toList();
      Files.write(textFile, oneLine, StandardCharsets.UTF_8);
      String loadBefore = MachineInfo.loadAverage();
      Map<Variant, List<TrainingProbe.Result>> results = new LinkedHashMap<>();
      Map<Variant, List<Double>> loads = new LinkedHashMap<>();
      for (Variant v : variants) {
        results.put(v, new ArrayList<>());
        loads.put(v, new ArrayList<>());
      }
      for (int r = 0; r < runs; r++) {
        for (Variant v : variants) {
          err.printf(Locale.ROOT, "process settings: run %d/%d, %s...%n", r + 1, runs, v.name());
          err.flush();
          results.get(v).add(child(v, textFile));
          loads.get(v).add(MachineInfo.load1());
        }
      }
      return report(results, loads, loadBefore, MachineInfo.loadAverage());
    } finally {
      Files.deleteIfExists(textFile);
    }
  }

  private TrainingProbe.Result child(Variant v, Path textFile)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g"); // the tensors live outside the Java heap
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.addAll(v.jvmArgs());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(TrainingProbe.class.getName());
    cmd.add(textFile.toString());
    cmd.add(String.valueOf(steps));
    cmd.add(String.valueOf(maxLength));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().put("OPT_OUT_TRACKING", "true");
    v.env()
        .forEach(
            (k, val) -> {
              if (val == null) {
                pb.environment().remove(k);
              } else {
                pb.environment().put(k, val);
              }
            });
    Process p = pb.start();
    TrainingProbe.Result result = null;
    List<String> tail = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith(TrainingProbe.PREFIX)) {
          result = TrainingProbe.Result.parse(line);
        } else {
          tail.add(line);
          if (tail.size() > 20) {
            tail.remove(0);
          }
        }
      }
    }
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    if (result == null || p.exitValue() != 0) {
      throw new IllegalStateException(
          "training probe ("
              + v.name()
              + ") failed with exit code "
              + p.exitValue()
              + ":\n"
              + String.join("\n", tail));
    }
    return result;
  }

  private List<String> report(
      Map<Variant, List<TrainingProbe.Result>> results,
      Map<Variant, List<Double>> loads,
      String loadBefore,
      String loadAfter) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "Process settings (one child JVM per run, %d runs each, alternating; B-cos training,"
                + " batch 16, %d steps, after JVM start and model load; CPU times and minor page"
                + " faults from /proc/self/stat of the child just before and after the training"
                + " loop). Load average (1/5/15 min) before: %s, after: %s.",
            runs,
            steps,
            loadBefore,
            loadAfter));
    lines.add("");
    lines.add(
        "| setting | training texts/s | kernel share of CPU time | minor faults/s | peak resident"
            + " MiB | load (1 min) |");
    lines.add("|---|---|---|---|---|---|");
    for (Map.Entry<Variant, List<TrainingProbe.Result>> e : results.entrySet()) {
      List<TrainingProbe.Result> rs = e.getValue();
      Stats rate =
          Stats.of(rs.stream().mapToDouble(TrainingProbe.Result::textsPerSecond).toArray());
      Stats kernel = Stats.of(rs.stream().mapToDouble(TrainingProbe.Result::kernelShare).toArray());
      Stats faults =
          Stats.of(rs.stream().mapToDouble(TrainingProbe.Result::faultsPerSecond).toArray());
      Stats load =
          Stats.of(loads.get(e.getKey()).stream().mapToDouble(Double::doubleValue).toArray());
      Stats rss =
          Stats.of(rs.stream().mapToDouble(TrainingProbe.Result::peakResidentMib).toArray());
      lines.add(
          String.format(
              Locale.ROOT,
              "| %s | **%.2f** (min–max %.2f–%.2f) | %.1f %% (%.1f–%.1f) | %.0f (%.0f–%.0f) |"
                  + " %.0f (%.0f–%.0f) | %.1f (%.1f–%.1f) |",
              e.getKey().name(),
              rate.median(),
              rate.min(),
              rate.max(),
              100 * kernel.median(),
              100 * kernel.min(),
              100 * kernel.max(),
              faults.median(),
              faults.min(),
              faults.max(),
              rss.median(),
              rss.min(),
              rss.max(),
              load.median(),
              load.min(),
              load.max()));
    }
    List<Variant> vs = new ArrayList<>(results.keySet());
    Variant base = vs.get(0);
    for (Variant v : vs.subList(1, vs.size())) {
      double[] ratios = new double[runs];
      for (int r = 0; r < runs; r++) {
        ratios[r] =
            results.get(v).get(r).textsPerSecond() / results.get(base).get(r).textsPerSecond();
      }
      Stats s = Stats.of(ratios);
      lines.add("");
      lines.add(
          String.format(
              Locale.ROOT,
              "%s vs %s, training texts/s ratio per run pair: **%.2f×** (min–max %.2f–%.2f, n=%d)",
              v.name(),
              base.name(),
              s.median(),
              s.min(),
              s.max(),
              s.n()));
    }
    return lines;
  }
}
