package dev.candor.evaluation;

import java.util.Comparator;
import java.util.stream.IntStream;

/** Deterministic orderings and rank statistics shared by the metrics. */
final class Ranking {

  private Ranking() {}

  /**
   * Positions where {@code include} is true (all when null), by score descending; equal scores keep
   * position order so results never depend on sort stability or input noise.
   */
  static int[] descending(double[] scores, boolean[] include) {
    return IntStream.range(0, scores.length)
        .filter(i -> include == null || include[i])
        .boxed()
        .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /** Mean of the finite values; NaN when there are none. */
  static double finiteMean(double[] values) {
    double sum = 0.0;
    int n = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
