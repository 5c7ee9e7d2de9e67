package dev.candor.stream.flags;

import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.Prediction;
import dev.candor.model.explain.TokenAttribution;
import dev.candor.model.explain.WordAttribution;
import java.util.ArrayList;
import java.util.List;

/** Hand-made explanations for detector tests: labels normal/toxic, [CLS] and [SEP] around. */
final class Explanations {
  static final List<String> LABELS = List.of("normal", "toxic");

  private Explanations() {}

  /**
   * An explanation of the predicted label.
   *
   * @param text the text
   * @param label "normal" or "toxic", the predicted and explained label
   * @param p its probability
   * @param cls attribution of [CLS]
   * @param piecesAndAttributions word-piece (a "##" prefix continues the previous word), then its
   *     attribution, repeated; pieces are found in the text left to right
   */
  static Explanation of(
      String text, String label, double p, double cls, Object... piecesAndAttributions) {
    List<TokenAttribution> tokens = new ArrayList<>();
    List<WordAttribution> words = new ArrayList<>();
    tokens.add(new TokenAttribution("[CLS]", -1, -1, true, cls));
    double sum = cls;
    int pos = 0;
    for (int i = 0; i < piecesAndAttributions.length; i += 2) {
      String piece = (String) piecesAndAttributions[i];
      double a = ((Number) piecesAndAttributions[i + 1]).doubleValue();
      String bare = piece.startsWith("##") ? piece.substring(2) : piece;
      int start = text.toLowerCase(java.util.Locale.ROOT).indexOf(bare, pos);
      if (start < 0) {
        throw new IllegalArgumentException("piece " + piece + " not in " + text + " after " + pos);
      }
      int end = start + bare.length();
      pos = end;
      tokens.add(new TokenAttribution(piece, start, end, false, a));
      if (piece.startsWith("##") && !words.isEmpty()) {
        WordAttribution w = words.remove(words.size() - 1);
        words.add(
            new WordAttribution(
                text.substring(w.start(), end), w.start(), end, w.attribution() + a));
      } else {
        words.add(new WordAttribution(text.substring(start, end), start, end, a));
      }
      sum += a;
    }
    tokens.add(new TokenAttribution("[SEP]", -1, -1, true, 0.0));
    int k = LABELS.indexOf(label);
    double[] probs = new double[2];
    probs[k] = p;
    probs[1 - k] = 1 - p;
    double[] logits = new double[2];
    logits[k] = sum;
    Prediction pred = new Prediction(LABELS, logits, probs, k, false, "test@1");
    return new Explanation(text, pred, k, tokens, words, 0.0, 0);
  }

  /** A prediction of {@code label} with probability {@code p} (for fake classifiers). */
  static Prediction prediction(String label, double p) {
    int k = LABELS.indexOf(label);
    double[] probs = new double[2];
    probs[k] = p;
    probs[1 - k] = 1 - p;
    return new Prediction(LABELS, new double[2], probs, k, false, "test@1");
  }
}
