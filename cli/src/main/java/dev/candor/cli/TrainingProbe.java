package dev.candor.cli;

import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.convert.BaseModels;
import dev.candor.model.convert.ConversionSpec;
import dev.candor.model.data.Example;
import dev.candor.model.train.FineTuner;
import dev.candor.model.train.TrainingConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The child JVM {@code candor bench model} starts once per process setting (allocator, threads): a
 * short B-cos training run on the untrained MiniLM whose texts/s, user and kernel CPU time and
 * minor page faults it reads from {@code /proc/self/stat} just before and just after the training
 * loop, so JVM start-up and model loading are not counted. Prints one line starting with {@value
 * #PREFIX}.
 */
final class TrainingProbe {
  static final String PREFIX = "candor-training-probe ";

  /** Linux reports utime/stime in clock ticks of 1/100 s (USER_HZ) on every architecture. */
  private static final double TICKS_PER_SECOND = 100;

  private TrainingProbe() {}

  /**
   * One run's figures.
   *
   * @param textsPerSecond training texts/s as the trainer measured it
   * @param wallSeconds wall time of the training call
   * @param userSeconds user CPU time during it
   * @param kernelSeconds kernel CPU time during it
   * @param minorFaults minor page faults during it
   * @param peakResidentMib the process's peak resident memory (VmHWM) at the end
   */
  record Result(
      double textsPerSecond,
      double wallSeconds,
      double userSeconds,
      double kernelSeconds,
      long minorFaults,
      double peakResidentMib) {

    double kernelShare() {
      double total = userSeconds + kernelSeconds;
      return total > 0 ? kernelSeconds / total : Double.NaN;
    }

    double faultsPerSecond() {
      return minorFaults / wallSeconds;
    }

    String line() {
      return String.format(
          Locale.ROOT,
          "%stexts_per_s=%.4f wall_s=%.4f user_s=%.2f kernel_s=%.2f minflt=%d peak_rss_mib=%.1f",
          PREFIX,
          textsPerSecond,
          wallSeconds,
          userSeconds,
          kernelSeconds,
          minorFaults,
          peakResidentMib);
    }

    static Result parse(String line) {
      String[] parts = line.substring(PREFIX.length()).trim().split("\\s+");
      double[] v = new double[6];
      for (int i = 0; i < 6; i++) {
        v[i] = Double.parseDouble(parts[i].substring(parts[i].indexOf('=') + 1));
      }
      return new Result(v[0], v[1], v[2], v[3], (long) v[4], v[5]);
    }
  }

  /**
   * Fields of a {@code /proc/<pid>/stat} line: {@code [minflt, utime, stime]}.
   *
   * @param stat the file's content
   * @return minor faults, user ticks, kernel ticks
   */
  static long[] stat(String stat) {
    // the command name (field 2) may contain spaces and parentheses: parse after the last ')'
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // f[0] is field 3 (state): minflt is field 10, utime 14, stime 15
    return new long[] {Long.parseLong(f[7]), Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  /**
   * VmHWM (peak resident set) of a {@code /proc/<pid>/status} text, in MiB.
   *
   * @param status the file's content
   * @return the peak, or NaN if absent
   */
  static double peakResidentMib(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmHWM:")) {
        String[] f = line.substring(6).trim().split("\\s+");
        return Long.parseLong(f[0]) / 1024.0; // kB
      }
    }
    return Double.NaN;
  }

  private static long[] selfStat() throws IOException {
    return stat(Files.readString(Path.of("/proc/self/stat")));
  }

  /**
   * {@code TrainingProbe <texts file> <steps> <max length>}.
   *
   * @param args see above
   * @throws IOException if the texts cannot be read
   */
  public static void main(String[] args) throws IOException {
    List<String> texts = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
    int steps = Integer.parseInt(args[1]);
    int maxLength = Integer.parseInt(args[2]);
    List<Example> rows = new ArrayList<>();
    for (int i = 0; i < steps * 16; i++) {
      rows.add(new Example(String.valueOf(i), texts.get(i % texts.size()), i % 2, null));
    }
    ConversionSpec spec =
        ConversionSpec.builder()
            .setLabels(List.of("normal", "toxic"))
            .optMaxLength(maxLength)
            .build();
    try (CandorModel fresh =
        BaseModels.bundledMiniLm(spec)
            .toModel("bcos-minilm-untrained", ai.djl.Device.cpu(), DataType.FLOAT32)) {
      TrainingConfig c =
          TrainingConfig.builder()
              .setLearningRate(1e-4)
              .optEpochs(1)
              .optSeed(42)
              .optLimitValidation(16)
              .build();
      long[] before = selfStat();
      long t0 = System.nanoTime();
      double rate =
          new FineTuner(c, null).train(fresh, rows, rows.subList(0, 16)).trainTextsPerSecond();
      double wall = (System.nanoTime() - t0) / 1e9;
      long[] after = selfStat();
      Result r =
          new Result(
              rate,
              wall,
              (after[1] - before[1]) / TICKS_PER_SECOND,
              (after[2] - before[2]) / TICKS_PER_SECOND,
              after[0] - before[0],
              peakResidentMib(Files.readString(Path.of("/proc/self/status"))));
      System.out.println(r.line());
      System.out.flush();
    }
    System.exit(0); // the engine's threads must not keep the child alive
  }
}
