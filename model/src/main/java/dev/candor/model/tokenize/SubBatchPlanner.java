package dev.candor.model.tokenize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Splits a batch of tokenized texts into length-sorted sub-batches when that is cheaper than
 * padding every text to the longest one, decided from token counts alone.
 *
 * <p><b>Cost model.</b> One padded batch of {@code n} texts, {@code w} tokens wide (the longest
 * text), costs
 *
 * <pre>
 *   cost(n, w) = overheadTokens + n · w · (1 + w / attentionTokens)
 * </pre>
 *
 * in units of "one token through the dense layers". The {@code n · w} term is the dense work
 * (embeddings, projections, feed-forward: the same per token, padding included); the {@code w /
 * attentionTokens} term is attention's extra work per token, which grows with the width; {@code
 * overheadTokens} is the fixed price of one more batch (engine dispatch and small, less efficient
 * matrix products), expressed as the number of padded tokens it is worth. A plan is a partition of
 * the texts, sorted by length, into contiguous groups of at most {@code maxBatchSize}; the planner
 * picks the cheapest by dynamic programming ({@code O(n · maxBatchSize)}) and returns the single
 * batch, in input order, whenever splitting would not be cheaper. The default constants were fitted
 * on MiniLM-L6 (6 layers, hidden 384) on CPU; see docs/benchmarks.md, "Sub-batching".
 *
 * <p>Padding does not change a text's result (padded positions are masked out and get exactly zero
 * attribution), so a plan changes only the cost, not the predictions, up to float rounding of the
 * different matrix shapes.
 */
public final class SubBatchPlanner {

  /** Fitted on MiniLM-L6, CPU, fp32 (docs/benchmarks.md, "Sub-batching"). */
  public static final double DEFAULT_OVERHEAD_TOKENS = 64;

  /** Width at which attention's work per token equals the dense layers' (MiniLM: hidden 384). */
  public static final double DEFAULT_ATTENTION_TOKENS = 1152;

  private static final SubBatchPlanner OFF = new SubBatchPlanner(false, 0, 1);
  private static final SubBatchPlanner DEFAULT =
      new SubBatchPlanner(true, DEFAULT_OVERHEAD_TOKENS, DEFAULT_ATTENTION_TOKENS);

  private final boolean enabled;
  private final double overheadTokens;
  private final double attentionTokens;

  private SubBatchPlanner(boolean enabled, double overheadTokens, double attentionTokens) {
    this.enabled = enabled;
    this.overheadTokens = overheadTokens;
    this.attentionTokens = attentionTokens;
  }

  /**
   * Never splits: every batch is padded to its longest text (the behaviour before sub-batching).
   *
   * @return the planner
   */
  public static SubBatchPlanner off() {
    return OFF;
  }

  /**
   * Splits with the default cost model.
   *
   * @return the planner
   */
  public static SubBatchPlanner auto() {
    return DEFAULT;
  }

  /**
   * Splits with the given cost model.
   *
   * @param overheadTokens the cost of one more batch, in padded tokens (≥ 0)
   * @param attentionTokens the width at which attention costs as much as the dense layers (&gt; 0)
   * @return the planner
   */
  public static SubBatchPlanner withCost(double overheadTokens, double attentionTokens) {
    if (!(overheadTokens >= 0) || !(attentionTokens > 0)) {
      throw new IllegalArgumentException(
          "overheadTokens must be >= 0 and attentionTokens > 0, got "
              + overheadTokens
              + " and "
              + attentionTokens);
    }
    return new SubBatchPlanner(true, overheadTokens, attentionTokens);
  }

  /**
   * Parses {@code on}/{@code auto}/{@code true} (the default cost model) or {@code off}/{@code
   * false}.
   *
   * @param value the setting
   * @return the planner
   */
  public static SubBatchPlanner parse(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "on", "auto", "true" -> auto();
      case "off", "false" -> off();
      default ->
          throw new IllegalArgumentException("sub-batching must be on or off, got '" + value + "'");
    };
  }

  /**
   * Whether this planner ever splits.
   *
   * @return false for {@link #off()}
   */
  public boolean enabled() {
    return enabled;
  }

  /**
   * The modelled cost of one padded batch.
   *
   * @param n texts
   * @param width tokens of the longest text
   * @return the cost in padded-token units
   */
  public double cost(int n, int width) {
    return overheadTokens + (double) n * width * (1 + width / attentionTokens);
  }

  /**
   * The modelled cost of a plan.
   *
   * @param lengths token count per text
   * @param plan groups of indices into {@code lengths}
   * @return the summed cost of its padded batches
   */
  public double cost(int[] lengths, List<int[]> plan) {
    double total = 0;
    for (int[] group : plan) {
      int w = 0;
      for (int i : group) {
        w = Math.max(w, lengths[i]);
      }
      total += cost(group.length, w);
    }
    return total;
  }

  /**
   * Plans the batches for texts of the given lengths: groups of indices, each group in input order,
   * each at most {@code maxBatchSize} long; every index appears exactly once.
   *
   * @param lengths token count per text
   * @param maxBatchSize the largest batch allowed
   * @return the groups, the shortest texts first when split; one group in input order when not
   */
  public List<int[]> plan(int[] lengths, int maxBatchSize) {
    int n = lengths.length;
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1");
    }
    if (!enabled) {
      return inOrder(n, maxBatchSize);
    }
    Integer[] sorted = new Integer[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = i;
    }
    // stable: equal lengths keep their input order
    Arrays.sort(sorted, Comparator.comparingInt(i -> lengths[i]));
    double[] best = new double[n + 1];
    int[] cut = new int[n + 1];
    for (int i = 1; i <= n; i++) {
      best[i] = Double.POSITIVE_INFINITY;
      int width = lengths[sorted[i - 1]]; // the longest of any group ending at i
      for (int j = Math.max(0, i - maxBatchSize); j < i; j++) {
        double c = best[j] + cost(i - j, width);
        if (c < best[i]) {
          best[i] = c;
          cut[i] = j;
        }
      }
    }
    List<int[]> unsplit = inOrder(n, maxBatchSize);
    // Keep the unsplit batches unless the split is strictly cheaper: no change without a gain.
    if (best[n] >= cost(lengths, unsplit)) {
      return unsplit;
    }
    List<int[]> groups = new ArrayList<>();
    for (int i = n; i > 0; i = cut[i]) {
      int[] g = new int[i - cut[i]];
      for (int k = 0; k < g.length; k++) {
        g[k] = sorted[cut[i] + k];
      }
      Arrays.sort(g);
      groups.add(0, g);
    }
    return groups;
  }

  private static List<int[]> inOrder(int n, int maxBatchSize) {
    List<int[]> groups = new ArrayList<>();
    for (int from = 0; from < n; from += maxBatchSize) {
      int[] g = new int[Math.min(maxBatchSize, n - from)];
      for (int k = 0; k < g.length; k++) {
        g[k] = from + k;
      }
      groups.add(g);
    }
    return groups;
  }

  @Override
  public String toString() {
    return enabled
        ? String.format(
            Locale.ROOT,
            "on (cost = %.0f + n·w·(1 + w/%.0f) tokens)",
            overheadTokens,
            attentionTokens)
        : "off";
  }
}
