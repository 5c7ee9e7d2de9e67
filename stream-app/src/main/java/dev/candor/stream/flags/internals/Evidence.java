package dev.candor.stream.flags.internals;

import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.TokenAttribution;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of an explained text with the attribution of their tokens: the unit the detectors
 * reason about.
 *
 * <p>Words are runs of letters, marks, digits and underscores, or single other non-space
 * characters; artifact matches ({@link ArtifactPatterns}, e.g. {@code <user>}, a URL) are one word
 * each, however the tokenizer split them. Each non-special token belongs to the word that contains
 * its first character (or, failing that, the first word it overlaps); a word's attribution is the
 * sum of its tokens'. Shares are of <em>positive</em> word-level evidence for the explained class:
 * {@code max(0, word) / sum over words of max(0, word)}. Special tokens are not words.
 */
public final class Evidence {

  /** A word, or an artifact match, of the text. */
  public record Unit(
      int start, int end, String text, double attribution, List<Integer> tokens, boolean artifact) {

    /** The word as a lookup key: lower-cased ({@link Locale#ROOT}). */
    public String key() {
      return key(text);
    }

    /** Positive part of the attribution. */
    public double positive() {
      return Math.max(0, attribution);
    }

    /**
     * Normalises a word to a lookup key.
     *
     * @param word the word as written
     * @return lower-cased, {@code ##} prefix removed
     */
    public static String key(String word) {
      String w = word.startsWith("##") ? word.substring(2) : word;
      return w.toLowerCase(Locale.ROOT).replace('\n', ' ').replace('\r', ' ');
    }
  }

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}\\p{N}_]+|[^\\s]");

  private final Explanation explanation;
  private final List<Unit> units;
  private final double positiveTotal;
  private final double tokenPositiveTotal;

  private Evidence(Explanation explanation, List<Unit> units) {
    this.explanation = explanation;
    this.units = List.copyOf(units);
    double p = 0;
    for (Unit u : units) {
      p += u.positive();
    }
    this.positiveTotal = p;
    double tp = 0;
    for (TokenAttribution t : explanation.tokens()) {
      if (!t.special()) {
        tp += Math.max(0, t.attribution());
      }
    }
    this.tokenPositiveTotal = tp;
  }

  /**
   * Segments an explanation's text and sums its token attributions into words.
   *
   * @param e the explanation
   * @param artifacts what counts as one artifact word
   * @return the evidence
   */
  public static Evidence of(Explanation e, ArtifactPatterns artifacts) {
    List<int[]> spans = segment(e.text(), artifacts);
    double[] sums = new double[spans.size()];
    List<List<Integer>> tokens = new ArrayList<>(spans.size());
    for (int i = 0; i < spans.size(); i++) {
      tokens.add(new ArrayList<>());
    }
    List<TokenAttribution> ts = e.tokens();
    for (int ti = 0; ti < ts.size(); ti++) {
      TokenAttribution t = ts.get(ti);
      if (t.special() || t.start() < 0 || t.end() <= t.start()) {
        continue;
      }
      int u = owner(spans, t.start(), t.end());
      if (u >= 0) {
        sums[u] += t.attribution();
        tokens.get(u).add(ti);
      }
    }
    List<Unit> units = new ArrayList<>(spans.size());
    for (int i = 0; i < spans.size(); i++) {
      int[] s = spans.get(i);
      units.add(
          new Unit(
              s[0],
              s[1],
              e.text().substring(s[0], s[1]),
              sums[i],
              List.copyOf(tokens.get(i)),
              s[2] == 1));
    }
    return new Evidence(e, units);
  }

  /**
   * Splits a text into words, artifact matches being one word each.
   *
   * @param text the text
   * @param artifacts artifact patterns
   * @return {start, end, 1 if artifact else 0} per word, in text order
   */
  public static List<int[]> segment(String text, ArtifactPatterns artifacts) {
    List<int[]> out = new ArrayList<>();
    List<int[]> art = artifacts.find(text);
    int pos = 0;
    for (int[] a : art) {
      words(text, pos, a[0], out);
      out.add(new int[] {a[0], a[1], 1});
      pos = a[1];
    }
    words(text, pos, text.length(), out);
    return out;
  }

  private static void words(String text, int from, int to, List<int[]> out) {
    if (from >= to) {
      return;
    }
    Matcher m = WORD.matcher(text).region(from, to);
    while (m.find()) {
      out.add(new int[] {m.start(), m.end(), 0});
    }
  }

  private static int owner(List<int[]> spans, int start, int end) {
    int overlap = -1;
    for (int i = 0; i < spans.size(); i++) {
      int[] s = spans.get(i);
      if (s[0] <= start && start < s[1]) {
        return i;
      }
      if (overlap < 0 && s[0] < end && start < s[1]) {
        overlap = i;
      }
    }
    return overlap;
  }

  public Explanation explanation() {
    return explanation;
  }

  /** The words in text order. */
  public List<Unit> units() {
    return units;
  }

  /** Sum over words of their positive attribution. */
  public double positiveTotal() {
    return positiveTotal;
  }

  /** Sum over non-special tokens of their positive attribution. */
  public double tokenPositiveTotal() {
    return tokenPositiveTotal;
  }

  /**
   * A word's (or a group of words') share of the positive evidence.
   *
   * @param attribution the summed attribution
   * @return {@code max(0, attribution) / positiveTotal}, 0 when there is no positive evidence
   */
  public double share(double attribution) {
    return positiveTotal > 0 ? Math.max(0, attribution) / positiveTotal : 0;
  }

  /**
   * How many words outside {@code excluded} carry more attribution than {@code attribution}: 0
   * means a top word.
   *
   * @param attribution the attribution of the candidate
   * @param excluded indices into {@link #units()} that make up the candidate
   * @return the candidate's 0-based rank among the words
   */
  public int rank(double attribution, List<Integer> excluded) {
    int above = 0;
    for (int i = 0; i < units.size(); i++) {
      if (!excluded.contains(i) && units.get(i).attribution() > attribution) {
        above++;
      }
    }
    return above;
  }

  /**
   * The token with the largest attribution among {@code unitIndices}' tokens.
   *
   * @param unitIndices indices into {@link #units()}
   * @return a token index, or -1 if those words have no tokens
   */
  public int topToken(List<Integer> unitIndices) {
    int best = -1;
    for (int u : unitIndices) {
      for (int t : units.get(u).tokens()) {
        if (best < 0
            || explanation.tokens().get(t).attribution()
                > explanation.tokens().get(best).attribution()) {
          best = t;
        }
      }
    }
    return best;
  }

  /** True when the explained class is the predicted one (so positive evidence supports it). */
  public boolean explainsPrediction() {
    return explanation.explained() == explanation.prediction().predicted();
  }
}
