package dev.candor.evaluation;

import java.util.List;

/**
 * A classifier seen as a black box: softmax class probabilities for a batch of token-id sequences.
 */
@FunctionalInterface
public interface ProbabilityModel {

  /**
   * @return one row per input sequence, one column per class, rows summing to 1.
   */
  double[][] probabilities(List<int[]> tokenIdSequences);
}
