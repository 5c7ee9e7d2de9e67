package dev.candor.evaluation;

import java.util.ArrayList;
import java.util.List;

/** Maps character-span rationales (Toxic Spans) onto tokens. */
public final class SpanAlignment {

  private SpanAlignment() {}

  /**
   * A token is in the rationale if its [start, end) character range overlaps any span [start, end).
   * Tokens with an empty range (special tokens) are never positive. Offsets and spans must use the
   * same unit; see {@link #codePointSpansToUtf16}.
   */
  public static boolean[] tokensOverlappingSpans(
      int[] tokenStarts, int[] tokenEnds, List<int[]> spans) {
    if (tokenStarts.length != tokenEnds.length) {
      throw new IllegalArgumentException("token start and end arrays differ in length");
    }
    boolean[] positive = new boolean[tokenStarts.length];
    for (int t = 0; t < positive.length; t++) {
      if (tokenStarts[t] >= tokenEnds[t]) {
        continue;
      }
      for (int[] span : spans) {
        if (tokenStarts[t] < span[1] && span[0] < tokenEnds[t]) {
          positive[t] = true;
          break;
        }
      }
    }
    return positive;
  }

  /**
   * Toxic Spans counts code points while Java strings (and most tokenizer offsets on the JVM) count
   * UTF-16 units; they differ on any text with emoji or other supplementary characters.
   */
  public static List<int[]> codePointSpansToUtf16(String text, List<int[]> spans) {
    int codePoints = text.codePointCount(0, text.length());
    List<int[]> converted = new ArrayList<>(spans.size());
    for (int[] span : spans) {
      int start = Math.min(Math.max(span[0], 0), codePoints);
      int end = Math.min(Math.max(span[1], start), codePoints);
      converted.add(new int[] {text.offsetByCodePoints(0, start), text.offsetByCodePoints(0, end)});
    }
    return converted;
  }
}
