package dev.candor.stream.flags.internals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What counts as an artifact in a text rather than language: anonymisation placeholders ({@code
 * <user>}, {@code <number>}, {@code <percent>}, HateXplain style), markup tags, HTML entities, URLs
 * and {@code @mentions}, plus configured extra regular expressions. Overlapping matches are merged.
 */
public final class ArtifactPatterns {

  /** The built-in patterns, by what they match. */
  public static final List<String> BUILT_IN =
      List.of(
          // <user>, <number>, <percent>, </b>, <br/>, <a href="...">
          "</?[A-Za-z][A-Za-z0-9_-]{0,30}(?:\\s[^<>]{0,200})?/?>",
          // &amp; &#39; &#x27;
          "&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});",
          // http://…, https://…, www.…
          "(?:[hH][tT][tT][pP][sS]?://|www\\.)\\S+",
          // @someone
          "(?<![\\w@])@[A-Za-z0-9_]{1,30}");

  private static final ArtifactPatterns DEFAULT = new ArtifactPatterns(List.of());

  private final List<Pattern> patterns;

  /**
   * Built-in patterns plus extras.
   *
   * @param extra further Java regular expressions
   * @throws IllegalArgumentException naming the pattern that does not compile
   */
  public ArtifactPatterns(List<String> extra) {
    List<Pattern> ps = new ArrayList<>();
    for (String p : BUILT_IN) {
      ps.add(Pattern.compile(p));
    }
    for (String p : extra) {
      if (p.isBlank()) {
        continue;
      }
      try {
        ps.add(Pattern.compile(p));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "not a valid regular expression: " + p + " (" + e.getDescription() + ")", e);
      }
    }
    this.patterns = List.copyOf(ps);
  }

  /** The built-in patterns only. */
  public static ArtifactPatterns defaults() {
    return DEFAULT;
  }

  /**
   * Finds the artifacts of a text.
   *
   * @param text the text
   * @return non-overlapping {start, end} spans in text order (overlapping matches merged)
   */
  public List<int[]> find(String text) {
    List<int[]> all = new ArrayList<>();
    for (Pattern p : patterns) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        if (m.end() > m.start()) {
          all.add(new int[] {m.start(), m.end()});
        }
      }
    }
    all.sort(Comparator.comparingInt((int[] s) -> s[0]).thenComparingInt(s -> -s[1]));
    List<int[]> merged = new ArrayList<>();
    for (int[] s : all) {
      int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && s[0] < last[1]) {
        last[1] = Math.max(last[1], s[1]);
      } else {
        merged.add(new int[] {s[0], s[1]});
      }
    }
    return merged;
  }
}
