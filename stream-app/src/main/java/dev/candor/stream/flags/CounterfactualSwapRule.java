package dev.candor.stream.flags;

import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.Prediction;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.SpuriousFlag;
import dev.candor.stream.flags.internals.ArtifactPatterns;
import dev.candor.stream.flags.internals.Evidence;
import dev.candor.stream.flags.internals.RuleConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.Configurable;

/**
 * Re-classifies texts that contain an identity term ({@link IdentityLexicon}) with the term swapped
 * for another identity of the same category and grammatical form ({@code muslims} → {@code
 * christians}), and flags a prediction when a swap moves the predicted label's probability by more
 * than {@link CounterfactualSwapRule#MIN_DELTA_CONFIG}, or flips the label while moving it by at
 * least {@link CounterfactualSwapRule#MIN_FLIP_DELTA_CONFIG} (so that a text on the decision
 * boundary, 0.51 → 0.49, is not flagged for noise).
 *
 * <p>Cost is bounded: texts without an identity term cost nothing, and only terms carrying at least
 * {@link CounterfactualSwapRule#MIN_SHARE_CONFIG} of the positive evidence for the prediction are
 * swapped (0 swaps every term); a text gets at most {@link CounterfactualSwapRule#MAX_SWAPS_CONFIG}
 * swaps (terms with the most evidence first, every occurrence of a term swapped together,
 * capitalisation kept); all swaps of a micro-batch are classified in one forward-only pass ({@link
 * FlagContext#classify}).
 *
 * <p>Score: the largest probability change of the predicted label (0..1); spans: the swapped
 * occurrences in the original text; the detail names the swap and both predictions.
 */
public final class CounterfactualSwapRule implements SpuriousFlagRule, Configurable {

  /** The {@link SpuriousFlag#getType()} this rule raises. */
  public static final String TYPE = "counterfactual-swap";

  /**
   * Config key read by {@link #configure} (declared here so that rules need nothing from the app).
   */
  public static final String MAX_SWAPS_CONFIG = "candor.flag.counterfactual.max.swaps";

  /**
   * Config key read by {@link #configure} (declared here so that rules need nothing from the app).
   */
  public static final String MIN_DELTA_CONFIG = "candor.flag.counterfactual.min.delta";

  /**
   * Config key read by {@link #configure} (declared here so that rules need nothing from the app).
   */
  public static final String MIN_FLIP_DELTA_CONFIG = "candor.flag.counterfactual.min.flip.delta";

  /**
   * Config key read by {@link #configure} (declared here so that rules need nothing from the app).
   */
  public static final String MIN_SHARE_CONFIG = "candor.flag.counterfactual.min.share";

  private volatile int maxSwaps;
  private volatile double minDelta;
  private volatile double minFlipDelta;
  private volatile double minShare;
  private volatile IdentityLexicon lexicon;

  /**
   * Creates the rule with the defaults (2 swaps per text, delta 0.2, flip delta 0.05, terms with at
   * least 0.1 of the evidence, bundled lexicon).
   */
  public CounterfactualSwapRule() {
    this(IdentityLexicon.bundled(), 2, 0.2, 0.05);
    this.minShare = 0.1;
  }

  /**
   * Creates the rule.
   *
   * @param lexicon the identity terms and their swaps
   * @param maxSwaps at most this many swapped texts per text (at least 1)
   * @param minDelta probability change (0..1) above which a swap is flagged
   * @param minFlipDelta least probability change (0..1) of a swap that flips the label to be
   *     flagged
   */
  public CounterfactualSwapRule(
      IdentityLexicon lexicon, int maxSwaps, double minDelta, double minFlipDelta) {
    if (maxSwaps < 1) {
      throw new IllegalArgumentException("maxSwaps must be at least 1, got " + maxSwaps);
    }
    if (!(minDelta >= 0 && minDelta <= 1)) {
      throw new IllegalArgumentException("minDelta must be between 0 and 1, got " + minDelta);
    }
    this.lexicon = java.util.Objects.requireNonNull(lexicon, "lexicon cannot be null");
    if (!(minFlipDelta >= 0 && minFlipDelta <= 1)) {
      throw new IllegalArgumentException(
          "minFlipDelta must be between 0 and 1, got " + minFlipDelta);
    }
    this.maxSwaps = maxSwaps;
    this.minDelta = minDelta;
    this.minFlipDelta = minFlipDelta;
    this.minShare = 0;
  }

  /**
   * Reads this rule's keys and {@link IdentityTermRule#LEXICON_CONFIG}.
   *
   * @param configs the app's config values
   */
  @Override
  public void configure(Map<String, ?> configs) {
    RuleConfig c = new RuleConfig(configs);
    this.maxSwaps = c.integer(CounterfactualSwapRule.MAX_SWAPS_CONFIG, maxSwaps, 1, 16);
    this.minDelta = c.share(CounterfactualSwapRule.MIN_DELTA_CONFIG, minDelta);
    this.minFlipDelta = c.share(CounterfactualSwapRule.MIN_FLIP_DELTA_CONFIG, minFlipDelta);
    this.minShare = c.share(CounterfactualSwapRule.MIN_SHARE_CONFIG, minShare);
    this.lexicon = IdentityTermRule.lexicon(c);
  }

  public int maxSwaps() {
    return maxSwaps;
  }

  public double minDelta() {
    return minDelta;
  }

  /**
   * Only terms with at least this share of the positive evidence are swapped.
   *
   * @return the share (0..1)
   */
  public double minShare() {
    return minShare;
  }

  /**
   * A copy that only swaps terms with at least {@code share} of the positive evidence.
   *
   * @param share 0..1; 0 swaps every term
   * @return this rule, changed
   */
  public CounterfactualSwapRule withMinShare(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be between 0 and 1, got " + share);
    }
    this.minShare = share;
    return this;
  }

  /**
   * One swapped version of a text.
   *
   * @param index the text's position in the batch
   * @param from the term found
   * @param to the term put in its place
   * @param spans the occurrences replaced, in the original text
   * @param text the swapped text
   */
  record Swap(
      int index,
      IdentityLexicon.Entry from,
      IdentityLexicon.Entry to,
      List<int[]> spans,
      String text) {}

  /** {@inheritDoc} */
  @Override
  public List<SpuriousFlag> check(Explanation explanation, FlagContext context) {
    return checkBatch(List.of(explanation), context).get(0);
  }

  /** {@inheritDoc} */
  @Override
  public List<List<SpuriousFlag>> checkBatch(List<Explanation> batch, FlagContext context) {
    List<Swap> swaps = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      swaps.addAll(swaps(i, batch.get(i)));
    }
    List<List<SpuriousFlag>> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      out.add(List.of());
    }
    if (swaps.isEmpty()) {
      return out;
    }
    List<Prediction> swapped = context.classify(swaps.stream().map(Swap::text).toList());
    if (swapped.size() != swaps.size()) {
      throw new IllegalStateException(
          swapped.size() + " predictions for " + swaps.size() + " swapped texts");
    }
    double[] bestDelta = new double[batch.size()];
    int[] best = new int[batch.size()];
    java.util.Arrays.fill(best, -1);
    for (int s = 0; s < swaps.size(); s++) {
      Swap w = swaps.get(s);
      Prediction p0 = batch.get(w.index()).prediction();
      Prediction p1 = swapped.get(s);
      int k = p0.predicted();
      double delta = Math.abs(p1.probabilities()[k] - p0.probabilities()[k]);
      boolean flipped = p1.predicted() != k;
      boolean flag = delta > minDelta || (flipped && delta >= minFlipDelta);
      if (flag && (best[w.index()] < 0 || delta > bestDelta[w.index()])) {
        best[w.index()] = s;
        bestDelta[w.index()] = delta;
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      if (best[i] >= 0) {
        out.set(i, List.of(flag(batch.get(i), swaps.get(best[i]), swapped.get(best[i]))));
      }
    }
    return out;
  }

  private SpuriousFlag flag(Explanation e, Swap w, Prediction p1) {
    Prediction p0 = e.prediction();
    int k = p0.predicted();
    double delta = Math.abs(p1.probabilities()[k] - p0.probabilities()[k]);
    String detail =
        String.format(
            Locale.ROOT,
            "swapping %s → %s (%s) %s '%s' %.2f → '%s' %.2f (p(%s) %.2f → %.2f)",
            Detail.quoted(w.from().term()),
            Detail.quoted(w.to().term()),
            w.from().category(),
            p1.predicted() != k ? "flips" : "moves",
            p0.label(),
            p0.probabilities()[k],
            p1.label(),
            p1.probabilities()[p1.predicted()],
            p0.label(),
            p0.probabilities()[k],
            p1.probabilities()[k]);
    List<CharSpan> spans = new ArrayList<>();
    int token = -1;
    for (int[] s : w.spans()) {
      spans.add(new CharSpan(s[0], s[1]));
      if (token < 0) {
        token = s[2];
      }
    }
    return new SpuriousFlag(TYPE, detail, delta, token, spans);
  }

  /** The swaps of one text: terms with the most evidence first, at most {@code maxSwaps}. */
  List<Swap> swaps(int index, Explanation e) {
    Evidence ev = Evidence.of(e, ArtifactPatterns.defaults());
    List<IdentityLexicon.Match> matches = lexicon.find(ev);
    if (matches.isEmpty()) {
      return List.of();
    }
    // term -> its occurrences {start, end, strongest token}, and its summed attribution
    Map<IdentityLexicon.Entry, List<int[]>> occurrences = new LinkedHashMap<>();
    Map<IdentityLexicon.Entry, Double> attribution = new LinkedHashMap<>();
    for (IdentityLexicon.Match m : matches) {
      List<Integer> units = new ArrayList<>();
      double a = 0;
      for (int i = m.firstUnit(); i <= m.lastUnit(); i++) {
        units.add(i);
        a += ev.units().get(i).attribution();
      }
      occurrences
          .computeIfAbsent(m.entry(), k -> new ArrayList<>())
          .add(
              new int[] {
                ev.units().get(m.firstUnit()).start(),
                ev.units().get(m.lastUnit()).end(),
                ev.topToken(units)
              });
      attribution.merge(m.entry(), a, Double::sum);
    }
    List<IdentityLexicon.Entry> terms = new ArrayList<>(occurrences.keySet());
    terms.removeIf(t -> minShare > 0 && ev.share(attribution.get(t)) < minShare);
    terms.sort(Comparator.comparingDouble((IdentityLexicon.Entry t) -> -attribution.get(t)));
    List<Swap> out = new ArrayList<>();
    int budget = maxSwaps;
    for (IdentityLexicon.Entry term : terms) {
      if (out.size() >= budget) {
        break;
      }
      for (IdentityLexicon.Entry to : lexicon.swaps(term, budget - out.size())) {
        List<int[]> spans = occurrences.get(term);
        out.add(new Swap(index, term, to, spans, replace(e.text(), spans, to.term())));
      }
    }
    return out;
  }

  /** Replaces each span (in text order) with {@code term}, keeping the original's capitals. */
  static String replace(String text, List<int[]> spans, String term) {
    StringBuilder b = new StringBuilder(text.length() + 16);
    int pos = 0;
    for (int[] s : spans) {
      b.append(text, pos, s[0]);
      b.append(cased(text.substring(s[0], s[1]), term));
      pos = s[1];
    }
    return b.append(text, pos, text.length()).toString();
  }

  private static String cased(String original, String term) {
    boolean hasLetter = original.chars().anyMatch(Character::isLetter);
    if (hasLetter && original.equals(original.toUpperCase(Locale.ROOT)) && original.length() > 1) {
      return term.toUpperCase(Locale.ROOT);
    }
    if (!original.isEmpty() && Character.isUpperCase(original.charAt(0))) {
      return Character.toUpperCase(term.charAt(0)) + term.substring(1);
    }
    return term;
  }
}
