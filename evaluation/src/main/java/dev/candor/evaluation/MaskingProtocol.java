package dev.candor.evaluation;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The erasure fractions used by Comprehensiveness and Sufficiency. Numbers computed under different
 * protocols are not comparable, so every reported number carries {@link #describe()} next to it.
 */
public record MaskingProtocol(String name, List<Double> fractions) {

  public MaskingProtocol {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("protocol name is required");
    }
    if (fractions == null || fractions.isEmpty()) {
      throw new IllegalArgumentException("at least one fraction is required");
    }
    for (Double f : fractions) {
      if (f == null || !(f >= 0.0 && f <= 1.0)) {
        throw new IllegalArgumentException("fractions must lie in [0, 1]: " + fractions);
      }
    }
    fractions = List.copyOf(fractions);
  }

  /** B-cos LM paper: k in {10%, 20%, ..., 90%}. */
  public static MaskingProtocol paperDeciles() {
    return new MaskingProtocol(
        "paper-deciles", List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9));
  }

  /** ERASER / HateXplain: bins 1, 5, 10, 20, 50%. */
  public static MaskingProtocol eraserBins() {
    return new MaskingProtocol("eraser-bins", List.of(0.01, 0.05, 0.10, 0.20, 0.50));
  }

  /**
   * Number of non-special tokens perturbed at fraction {@code k}: round-half-up of k·n, at least
   * one when k &gt; 0, at most n.
   */
  static int tokenCount(double fraction, int nonSpecialTokens) {
    if (fraction <= 0.0 || nonSpecialTokens == 0) {
      return 0;
    }
    // The epsilon keeps products like 0.3 * 5 = 1.4999999999999998 on the intended side of .5.
    int count = (int) Math.floor(fraction * nonSpecialTokens + 0.5 + 1e-9);
    return Math.min(nonSpecialTokens, Math.max(1, count));
  }

  public String describe() {
    String percents =
        fractions.stream().map(f -> formatPercent(f * 100.0)).collect(Collectors.joining(", "));
    return String.format(
        Locale.ROOT,
        "%s: top-k%% of non-special tokens by signed attribution replaced by the mask token"
            + " (Comp) or kept alone (Suff), k in {%s}%%, round-half-up (min 1 token);"
            + " score = mean over k of the drop in predicted-class probability",
        name,
        percents);
  }

  private static String formatPercent(double p) {
    double rounded = Math.rint(p);
    return Math.abs(p - rounded) < 1e-9
        ? Long.toString((long) rounded)
        : String.format(Locale.ROOT, "%.2f", p).replaceAll("0+$", "");
  }
}
