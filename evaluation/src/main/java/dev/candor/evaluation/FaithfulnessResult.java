package dev.candor.evaluation;

import java.util.List;

/**
 * Comprehensiveness or Sufficiency over a set of examples.
 *
 * @param perExample mean over fractions of the predicted-class probability drop, per example; NaN
 *     for an example with no non-special token (it is counted in {@code skipped})
 * @param perFraction mean over scored examples of the drop at each fraction of the protocol
 * @param mean mean of the finite per-example values
 */
public record FaithfulnessResult(
    Metric metric,
    MaskingProtocol protocol,
    double[] perExample,
    double[] perFraction,
    double mean,
    int skipped) {

  /**
   * Area under the mean drop curve over k (trapezoid rule over the protocol's fractions as given, k
   * in [0, 1], no point added at k = 0 and no normalisation, i.e. {@code sklearn.metrics.auc(k,
   * drop)}): Σ_i (k_{i+1} − k_i)(d_i + d_{i+1}) / 2. The rule is linear in the drops, so this is
   * also the mean of the per-example areas. For the paper's deciles it spans 0.8 of the k axis, so
   * a flat curve at d gives 0.8·d. NaN with one fraction or no scored example.
   */
  public double auc() {
    List<Double> k = protocol.fractions();
    if (k.size() < 2) {
      return Double.NaN;
    }
    double area = 0;
    for (int i = 0; i + 1 < k.size(); i++) {
      area += (k.get(i + 1) - k.get(i)) * (perFraction[i] + perFraction[i + 1]) / 2.0;
    }
    return area;
  }

  public enum Metric {
    COMPREHENSIVENESS,
    SUFFICIENCY
  }
}
