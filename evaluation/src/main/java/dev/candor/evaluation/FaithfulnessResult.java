package dev.candor.evaluation;

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

  public enum Metric {
    COMPREHENSIVENESS,
    SUFFICIENCY
  }
}
