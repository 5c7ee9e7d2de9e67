package dev.candor.evaluation.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.evaluation.SpanAlignment;
import dev.candor.model.data.Example;
import dev.candor.model.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Toxic Spans rows as plausibility ground truth: {@code spans} are [start, end) code-point offsets
 * into {@code text}; a word-piece overlapping a span is positive.
 */
final class ToxicSpans {

  private ToxicSpans() {}

  /** The rows with at least one non-empty span. */
  static List<Example> withSpans(List<Example> all) {
    List<Example> out = new ArrayList<>();
    for (Example e : all) {
      if (!spans(e.raw()).isEmpty()) {
        out.add(e);
      }
    }
    return out;
  }

  /** The row's spans as code-point [start, end) pairs; malformed and empty ones are dropped. */
  static List<int[]> spans(JsonNode raw) {
    List<int[]> out = new ArrayList<>();
    if (raw == null) {
      return out;
    }
    for (JsonNode span : raw.path("spans")) {
      if (span.isArray()
          && span.size() == 2
          && span.get(0).canConvertToInt()
          && span.get(1).canConvertToInt()
          && span.get(0).asInt() < span.get(1).asInt()) {
        out.add(new int[] {span.get(0).asInt(), span.get(1).asInt()});
      }
    }
    return out;
  }

  /** Per word-piece flags (specials never positive). */
  static boolean[] wordPieces(JsonNode raw, TokenizedText text) {
    return SpanAlignment.tokensOverlappingSpans(
        text.starts(), text.ends(), SpanAlignment.codePointSpansToUtf16(text.text(), spans(raw)));
  }

  /** The class whose explanation is scored: "toxic" when the model has it, else the last label. */
  static int toxicClass(List<String> labels) {
    for (int i = 0; i < labels.size(); i++) {
      if (labels.get(i).toLowerCase(Locale.ROOT).equals("toxic")) {
        return i;
      }
    }
    return labels.size() - 1;
  }
}
