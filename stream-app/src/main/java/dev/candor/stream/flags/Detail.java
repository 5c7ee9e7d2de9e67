package dev.candor.stream.flags;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Small helpers for the one-line reasons of the built-in rules. */
final class Detail {
  private static final int MAX_WORDS = 3;
  private static final int MAX_CHARS = 40;

  private Detail() {}

  /** {@code "a", "b", "c" and 2 more}, each shortened to a readable length. */
  static String quoted(List<String> words) {
    String shown =
        words.stream().limit(MAX_WORDS).map(Detail::quoted).collect(Collectors.joining(", "));
    return words.size() > MAX_WORDS
        ? shown + " and " + (words.size() - MAX_WORDS) + " more"
        : shown;
  }

  /** One word in quotes, shortened with an ellipsis past {@value #MAX_CHARS} chars. */
  static String quoted(String word) {
    String w = word.length() > MAX_CHARS ? word.substring(0, MAX_CHARS - 1) + "…" : word;
    return "\"" + w.replace('\n', ' ').replace('\r', ' ') + "\"";
  }

  /**
   * The reason of a rule that flags words carrying a top share of the evidence, e.g. {@code
   * identity term "muslims" (religion, 41%): the top word of the evidence for 'toxic' (threshold
   * 20%)}.
   *
   * @param kind what the words are, singular ("identity term", "reviewer-rejected word")
   * @param words each word with its figures, already formatted
   */
  static String topShare(String kind, List<String> words, int topK, String label, double minShare) {
    return String.format(
        Locale.ROOT,
        "%s%s %s: %s of the evidence for '%s' (threshold %.0f%%)",
        kind,
        words.size() == 1 ? "" : "s",
        String.join(", ", words),
        topK == 1 ? "the top word" : "among the top " + topK + " words",
        label,
        100 * minShare);
  }
}
