package dev.candor.model.explain;

import java.util.List;

/**
 * A prediction with exact per-token contributions to one class's logit, or to that logit minus the
 * mean of the others (see {@link ExplanationTarget}).
 *
 * @param text the input
 * @param prediction the classification
 * @param explained index of the class whose logit is explained
 * @param tokens every token including specials, in order
 * @param words word-level sums, in order
 * @param residual explained value minus the sum of all token contributions (≈ 0: completeness)
 * @param droppedTokens content tokens cut by truncation
 * @param target what the contributions decompose
 */
public record Explanation(
    String text,
    Prediction prediction,
    int explained,
    List<TokenAttribution> tokens,
    List<WordAttribution> words,
    double residual,
    int droppedTokens,
    ExplanationTarget target) {

  public Explanation {
    if (target == null) {
      throw new IllegalArgumentException("target cannot be null");
    }
  }

  /** An explanation of the raw logit ({@link ExplanationTarget#LOGIT}). */
  public Explanation(
      String text,
      Prediction prediction,
      int explained,
      List<TokenAttribution> tokens,
      List<WordAttribution> words,
      double residual,
      int droppedTokens) {
    this(
        text,
        prediction,
        explained,
        tokens,
        words,
        residual,
        droppedTokens,
        ExplanationTarget.LOGIT);
  }

  /** The explained class's raw logit z_c. */
  public double explainedLogit() {
    return prediction.logits()[explained];
  }

  /** What the contributions sum to: z_c, or z_c − mean of the other logits. */
  public double explainedValue() {
    return target.value(prediction.logits(), explained);
  }

  /** |residual| / max(|explained value|, 1e-6): the completeness check figure. */
  public double relativeResidual() {
    return Math.abs(residual) / Math.max(Math.abs(explainedValue()), 1e-6);
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
