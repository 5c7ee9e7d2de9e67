package dev.candor.evaluation.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.evaluation.SpanAlignment;
import dev.candor.model.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps HateXplain's per-word rationale ({@code tokens} and {@code rationale}, one flag per
 * whitespace token of {@code text}) onto word-pieces by character overlap.
 */
final class Rationales {

  private Rationales() {}

  /**
   * @return per word-piece rationale flags (specials never positive), or null when the row has no
   *     rationale or its words cannot be located in the text
   */
  static boolean[] wordPieces(JsonNode raw, TokenizedText text) {
    if (raw == null) {
      return null;
    }
    JsonNode words = raw.path("tokens");
    JsonNode flags = raw.path("rationale");
    if (!words.isArray() || !flags.isArray() || words.size() != flags.size()) {
      return null;
    }
    List<int[]> spans = new ArrayList<>();
    int cursor = 0;
    String s = text.text();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i).asText();
      // The dataset promises text == " ".join(tokens); searching forward also tolerates runs of
      // spaces, and a word that cannot be found makes the row unusable rather than misaligned.
      int at = s.indexOf(w, cursor);
      if (at < 0) {
        return null;
      }
      cursor = at + w.length();
      if (flags.get(i).asInt() != 0) {
        spans.add(new int[] {at, cursor});
      }
    }
    return SpanAlignment.tokensOverlappingSpans(text.starts(), text.ends(), spans);
  }
}
