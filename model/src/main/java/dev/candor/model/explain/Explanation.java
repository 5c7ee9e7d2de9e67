package dev.candor.model.explain;

import java.util.List;

/**
 * A prediction with exact per-token contributions to one class's logit.
 *
 * @param text the input
 * @param prediction the classification
 * @param explained index of the class whose logit is explained
 * @param tokens every token including specials, in order
 * @param words word-level sums, in order
 * @param residual explained logit minus the sum of all token contributions (≈ 0: completeness)
 * @param droppedTokens content tokens cut by truncation
 */
public record Explanation(
    String text,
    Prediction prediction,
    int explained,
    List<TokenAttribution> tokens,
    List<WordAttribution> words,
    double residual,
    int droppedTokens) {

  public double explainedLogit() {
    return prediction.logits()[explained];
  }

  /** |residual| / max(|logit|, 1e-6): the completeness check figure. */
  public double relativeResidual() {
    return Math.abs(residual) / Math.max(Math.abs(explainedLogit()), 1e-6);
  }

  /** Attribution mass on special tokens as a share of total absolute attribution. */
  public double specialTokenShare() {
    double special = 0;
    double total = 0;
    for (TokenAttribution t : tokens) {
      total += Math.abs(t.attribution());
      if (t.special()) {
        special += Math.abs(t.attribution());
      }
    }
    return total == 0 ? 0 : special / total;
  }
}
