package dev.candor.model.explain;

import java.util.Locale;

/**
 * What an explanation decomposes. In explanation mode every logit is a linear map of the
 * post-LayerNorm embeddings, so any fixed linear combination of the logits is decomposed exactly by
 * one backward pass with that combination as the output gradient.
 */
public enum ExplanationTarget {
  /** The explained class's raw logit z_c; the contributions sum to z_c. */
  LOGIT,
  /**
   * z_c − mean_{j≠c} z_j (binary: z_c − z_other); the contributions sum to that difference. The
   * softmax probability of class c depends on the logits only through such differences, so this is
   * the quantity that erasure metrics (Comp/Suff) read. With one class it equals {@link #LOGIT}.
   */
  RELATIVE;

  /** Parses {@code logit} or {@code relative} (case-insensitive). */
  public static ExplanationTarget parse(String name) {
    if (name == null) {
      throw new IllegalArgumentException("explanation target cannot be null");
    }
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "logit" -> LOGIT;
      case "relative" -> RELATIVE;
      default ->
          throw new IllegalArgumentException(
              "unknown explanation target '" + name + "'; choose logit or relative");
    };
  }

  /** The lower-case name used in configs, command lines and reports. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The output gradient whose dot product with the logits is the explained value: 1 at {@code
   * explained}; for {@link #RELATIVE} also −1/(K−1) at every other class.
   */
  public double[] weights(int classes, int explained) {
    if (explained < 0 || explained >= classes) {
      throw new IllegalArgumentException("class " + explained + " of " + classes);
    }
    double[] w = new double[classes];
    w[explained] = 1.0;
    if (this == RELATIVE && classes > 1) {
      double other = -1.0 / (classes - 1);
      for (int j = 0; j < classes; j++) {
        if (j != explained) {
          w[j] = other;
        }
      }
    }
    return w;
  }

  /** The explained value for these logits: Σ_j weights_j · z_j. */
  public double value(double[] logits, int explained) {
    double[] w = weights(logits.length, explained);
    double v = 0;
    for (int j = 0; j < w.length; j++) {
      v += w[j] * logits[j];
    }
    return v;
  }

  /** One line for reports. */
  public String describe() {
    return this == LOGIT
        ? "logit: the explained class's raw logit z_c (contributions sum to z_c)"
        : "relative: z_c − mean of the other classes' logits (contributions sum to that"
            + " difference; binary: z_c − z_other)";
  }
}
