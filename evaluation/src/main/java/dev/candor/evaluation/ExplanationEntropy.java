package dev.candor.evaluation;

/**
 * Shannon entropy (nats) of |attribution| normalised to a distribution over non-special tokens. Low
 * values mean sparse explanations; the B sweep uses it to spot the over-sparsity that B &gt; 2
 * causes.
 */
public final class ExplanationEntropy {

  private ExplanationEntropy() {}

  /** NaN when every non-special attribution is zero (no distribution to measure). */
  public static double entropy(double[] attributions, boolean[] special) {
    double total = 0.0;
    for (int i = 0; i < attributions.length; i++) {
      if (special == null || !special[i]) {
        total += Math.abs(attributions[i]);
      }
    }
    if (!(total > 0.0)) {
      return Double.NaN;
    }
    double h = 0.0;
    for (int i = 0; i < attributions.length; i++) {
      if ((special == null || !special[i]) && attributions[i] != 0.0) {
        double p = Math.abs(attributions[i]) / total;
        h -= p * Math.log(p);
      }
    }
    return h;
  }

  /**
   * Entropy divided by ln(number of non-special tokens), in [0, 1], so texts of different lengths
   * compare; 0 for a single token.
   */
  public static double normalized(double[] attributions, boolean[] special) {
    int n = 0;
    for (int i = 0; i < attributions.length; i++) {
      n += (special == null || !special[i]) ? 1 : 0;
    }
    double h = entropy(attributions, special);
    if (Double.isNaN(h) || n <= 1) {
      return Double.isNaN(h) ? Double.NaN : 0.0;
    }
    return h / Math.log(n);
  }
}
