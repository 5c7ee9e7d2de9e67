package dev.candor.evaluation;

import java.util.ArrayList;
import java.util.List;

/** Agreement of token attributions with human rationales (ERASER-style plausibility). */
public final class Plausibility {

  private Plausibility() {}

  /**
   * @param fixedK top-k size for F1; 0 or less uses the number of rationale tokens of each example
   */
  public static PlausibilityResult evaluate(List<RationaleExample> examples, int fixedK) {
    List<Double> aps = new ArrayList<>();
    List<Double> f1s = new ArrayList<>();
    for (RationaleExample ex : examples) {
      double ap = averagePrecision(ex.scores(), ex.rationale(), ex.special());
      if (Double.isNaN(ap)) {
        continue;
      }
      aps.add(ap);
      f1s.add(
          fixedK > 0
              ? topKF1(ex.scores(), ex.rationale(), ex.special(), fixedK)
              : topKF1(ex.scores(), ex.rationale(), ex.special()));
    }
    return new PlausibilityResult(mean(aps), mean(f1s), aps.size(), examples.size() - aps.size());
  }

  /**
   * Area under the precision–recall curve as average precision, Σ (R_i − R_{i−1}) · P_i over
   * distinct score thresholds (tied scores enter together, as in scikit-learn). NaN without
   * positives.
   */
  public static double averagePrecision(double[] scores, boolean[] rationale, boolean[] special) {
    int[] order = Ranking.descending(scores, included(special, scores.length));
    int positives = countPositives(order, rationale);
    if (positives == 0) {
      return Double.NaN;
    }
    double ap = 0.0;
    int truePos = 0;
    int seen = 0;
    int i = 0;
    while (i < order.length) {
      int tpBefore = truePos;
      double threshold = scores[order[i]];
      while (i < order.length && scores[order[i]] == threshold) {
        truePos += rationale[order[i]] ? 1 : 0;
        seen++;
        i++;
      }
      ap += (double) (truePos - tpBefore) / positives * ((double) truePos / seen);
    }
    return ap;
  }

  /** Top-k F1 with k = number of rationale tokens (so precision = recall = F1). */
  public static double topKF1(double[] scores, boolean[] rationale, boolean[] special) {
    int[] order = Ranking.descending(scores, included(special, scores.length));
    return topKF1(scores, rationale, special, countPositives(order, rationale));
  }

  /**
   * F1 of the k highest-scoring tokens (ties by position) as a predicted rationale. NaN without
   * positives.
   */
  public static double topKF1(double[] scores, boolean[] rationale, boolean[] special, int k) {
    int[] order = Ranking.descending(scores, included(special, scores.length));
    int positives = countPositives(order, rationale);
    if (positives == 0 || k <= 0) {
      return Double.NaN;
    }
    int take = Math.min(k, order.length);
    int hits = 0;
    for (int r = 0; r < take; r++) {
      hits += rationale[order[r]] ? 1 : 0;
    }
    if (hits == 0) {
      return 0.0;
    }
    double precision = (double) hits / take;
    double recall = (double) hits / positives;
    return 2 * precision * recall / (precision + recall);
  }

  private static boolean[] included(boolean[] special, int n) {
    if (special == null) {
      return null;
    }
    boolean[] include = new boolean[n];
    for (int i = 0; i < n; i++) {
      include[i] = !special[i];
    }
    return include;
  }

  private static int countPositives(int[] order, boolean[] rationale) {
    int n = 0;
    for (int i : order) {
      n += rationale[i] ? 1 : 0;
    }
    return n;
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
