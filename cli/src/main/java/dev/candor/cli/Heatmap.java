package dev.candor.cli;

import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.WordAttribution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Renders an explanation for a terminal: words on a red (for the explained class) / blue (against)
 * background scaled by |attribution|, or, without colour, the strongest words annotated inline.
 */
final class Heatmap {
  private static final int[] RED = {224, 217, 210, 203, 196};
  private static final int[] BLUE = {195, 153, 117, 75, 33};

  private Heatmap() {}

  static String render(Explanation e, boolean color) {
    String text = e.text();
    double max = 1e-12;
    for (WordAttribution w : e.words()) {
      max = Math.max(max, Math.abs(w.attribution()));
    }
    StringBuilder b = new StringBuilder();
    int at = 0;
    for (WordAttribution w : e.words()) {
      b.append(text, at, w.start());
      double s = w.attribution() / max;
      if (color) {
        int level = (int) Math.min(4, Math.floor(Math.abs(s) * 5));
        if (Math.abs(s) < 0.1) {
          b.append(w.word());
        } else {
          int code = s > 0 ? RED[level] : BLUE[level];
          b.append("\u001b[48;5;")
              .append(code)
              .append(";38;5;16m")
              .append(w.word())
              .append("\u001b[0m");
        }
      } else {
        b.append(w.word());
        if (Math.abs(s) >= 0.25) {
          b.append(String.format(Locale.ROOT, "[%+.2f]", w.attribution()));
        }
      }
      at = w.end();
    }
    if (e.droppedTokens() > 0) {
      b.append(" …"); // the rest was not read by the model
    } else if (at < text.length()) {
      b.append(text, at, text.length());
    }
    return b.toString();
  }

  static String topWords(Explanation e, int k) {
    List<WordAttribution> words = new ArrayList<>(e.words());
    words.sort(Comparator.comparingDouble((WordAttribution w) -> -w.attribution()));
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < Math.min(k, words.size()); i++) {
      parts.add(
          String.format(Locale.ROOT, "%s %+.3f", words.get(i).word(), words.get(i).attribution()));
    }
    return String.join(", ", parts);
  }
}
