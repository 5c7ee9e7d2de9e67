package dev.candor.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Paired bootstrap of the difference between two models' figures on the same texts: the texts are
 * resampled with replacement and both models' figures recomputed on each resample, so that the
 * interval reflects which texts happened to be in the set, not only how the models differ.
 */
public final class PairedBootstrap {

  /**
   * The 2.5th and 97.5th percentiles of the resampled differences (after − before) and the share of
   * resamples in which the difference is below zero.
   */
  public record Interval(double low, double high, double shareBelowZero) {}

  private PairedBootstrap() {}

  /**
   * @param n number of texts
   * @param resamples bootstrap resamples (e.g. 1,000)
   * @param seed seeds the resampling, so a report can be reproduced
   * @param before figures of the first model on the texts at the given indices (repeats allowed)
   * @param after figures of the second model on the same indices
   * @return per figure of {@code before}, the interval of after − before; a figure that is not
   *     finite in a resample is left out of that resample
   */
  public static Map<String, Interval> differences(
      int n,
      int resamples,
      long seed,
      Function<int[], Map<String, Double>> before,
      Function<int[], Map<String, Double>> after) {
    if (n < 1 || resamples < 1) {
      throw new IllegalArgumentException("need texts and resamples, got " + n + ", " + resamples);
    }
    Random random = new Random(seed);
    Map<String, List<Double>> diffs = new LinkedHashMap<>();
    int[] idx = new int[n];
    for (int r = 0; r < resamples; r++) {
      for (int i = 0; i < n; i++) {
        idx[i] = random.nextInt(n);
      }
      Map<String, Double> b = before.apply(idx);
      Map<String, Double> a = after.apply(idx);
      for (Map.Entry<String, Double> e : b.entrySet()) {
        Double other = a.get(e.getKey());
        List<Double> list = diffs.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
        if (other != null && Double.isFinite(other) && Double.isFinite(e.getValue())) {
          list.add(other - e.getValue());
        }
      }
    }
    Map<String, Interval> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> e : diffs.entrySet()) {
      double[] d = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
      if (d.length == 0) {
        out.put(e.getKey(), new Interval(Double.NaN, Double.NaN, Double.NaN));
        continue;
      }
      Arrays.sort(d);
      long below = Arrays.stream(d).filter(x -> x < 0).count();
      out.put(
          e.getKey(),
          new Interval(percentile(d, 0.025), percentile(d, 0.975), (double) below / d.length));
    }
    return out;
  }

  /** Linear interpolation between the closest ranks of a sorted array. */
  static double percentile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
