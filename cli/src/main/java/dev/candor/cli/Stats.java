package dev.candor.cli;

import java.util.Arrays;
import java.util.Locale;

/** Median and spread of repeated measurements (these machines are noisy). */
record Stats(double median, double min, double max, double p25, double p75, int n) {
  static Stats of(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return new Stats(
        quantile(v, 0.5), v[0], v[v.length - 1], quantile(v, 0.25), quantile(v, 0.75), v.length);
  }

  private static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }

  String format(String unit) {
    return String.format(
        Locale.ROOT,
        "%.2f %s (IQR %.2f–%.2f, min–max %.2f–%.2f, n=%d)",
        median,
        unit,
        p25,
        p75,
        min,
        max,
        n);
  }
}
