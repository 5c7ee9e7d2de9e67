package dev.candor.evaluation;

/**
 * One input as the erasure metrics need it. Arrays are indexed by token position and must have
 * equal length; padding, if present, must be flagged special so it is never ranked or masked.
 */
public record ExplainedExample(
    int[] tokenIds, boolean[] special, double[] attributions, int predictedClass, int maskTokenId) {

  public ExplainedExample {
    if (tokenIds == null || special == null || attributions == null) {
      throw new IllegalArgumentException("tokenIds, special and attributions are required");
    }
    if (special.length != tokenIds.length || attributions.length != tokenIds.length) {
      throw new IllegalArgumentException(
          "length mismatch: tokens="
              + tokenIds.length
              + " special="
              + special.length
              + " attributions="
              + attributions.length);
    }
    for (double a : attributions) {
      if (Double.isNaN(a)) {
        throw new IllegalArgumentException("NaN attribution");
      }
    }
    if (predictedClass < 0) {
      throw new IllegalArgumentException("predictedClass must be >= 0");
    }
  }
}
