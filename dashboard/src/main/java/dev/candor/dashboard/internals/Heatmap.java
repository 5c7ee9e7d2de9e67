package dev.candor.dashboard.internals;

import dev.candor.dashboard.internals.Model.Tok;
import dev.candor.dashboard.internals.Model.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays the text out as segments for the diverging heat-map: plain gaps and attributed pieces (words
 * or tokens) with a colour class by sign and strength, and the exact value for the title. Positive
 * attributions support the explained label ("for"), negative ones oppose it.
 */
public final class Heatmap {
  private Heatmap() {}

  /**
   * A piece of the text.
   *
   * @param text the characters (rendered escaped)
   * @param cls CSS class: empty for gaps, else {@code h-p1..h-p5} / {@code h-n1..h-n5} / {@code
   *     h-0}
   * @param title exact attribution, for hovering
   * @param start char start in the text, -1 for gaps
   * @param end char end, -1 for gaps
   */
  public record Segment(String text, String cls, String title, int start, int end) {
    /**
     * @return whether this segment is an attributed word or token
     */
    public boolean attributed() {
      return start >= 0;
    }
  }

  /**
   * Segments for the word view.
   *
   * @param text the text
   * @param words words in order, not overlapping (as stored)
   */
  public static List<Segment> words(String text, List<Word> words) {
    double max = 0;
    for (Word w : words) {
      max = Math.max(max, Math.abs(w.attribution()));
    }
    List<Segment> out = new ArrayList<>();
    int pos = 0;
    for (Word w : words) {
      if (w.start() < pos || w.end() > text.length()) {
        continue;
      }
      if (w.start() > pos) {
        out.add(gap(text.substring(pos, w.start())));
      }
      out.add(
          new Segment(
              text.substring(w.start(), w.end()),
              cls(w.attribution(), max),
              title(w.word(), w.attribution()),
              w.start(),
              w.end()));
      pos = w.end();
    }
    if (pos < text.length()) {
      out.add(gap(text.substring(pos)));
    }
    return out;
  }

  /**
   * Segments for the token view; tokens without a span (special tokens) are left out here.
   *
   * @param text the text
   * @param tokens tokens in model order
   */
  public static List<Segment> tokens(String text, List<Tok> tokens) {
    double max = maxAbs(tokens);
    List<Segment> out = new ArrayList<>();
    int pos = 0;
    for (Tok t : tokens) {
      if (t.start() < 0 || t.start() < pos || t.end() > text.length() || t.end() <= t.start()) {
        continue;
      }
      if (t.start() > pos) {
        out.add(gap(text.substring(pos, t.start())));
      }
      out.add(
          new Segment(
              text.substring(t.start(), t.end()),
              cls(t.attribution(), max),
              title(t.token(), t.attribution()),
              t.start(),
              t.end()));
      pos = t.end();
    }
    if (pos < text.length()) {
      out.add(gap(text.substring(pos)));
    }
    return out;
  }

  /**
   * Chips for the tokens that have no place in the text ([CLS], [SEP], ...).
   *
   * @param tokens tokens in model order
   */
  public static List<Segment> specials(List<Tok> tokens) {
    double max = maxAbs(tokens);
    List<Segment> out = new ArrayList<>();
    for (Tok t : tokens) {
      if (t.start() < 0) {
        out.add(
            new Segment(
                t.token(), cls(t.attribution(), max), title(t.token(), t.attribution()), -1, -1));
      }
    }
    return out;
  }

  private static double maxAbs(List<Tok> tokens) {
    double max = 0;
    for (Tok t : tokens) {
      max = Math.max(max, Math.abs(t.attribution()));
    }
    return max;
  }

  private static Segment gap(String s) {
    return new Segment(s, "", "", -1, -1);
  }

  /** Colour class: five strengths per sign, relative to the largest magnitude shown. */
  static String cls(double a, double max) {
    if (max <= 0 || Math.abs(a) < 0.05 * max) {
      return "h-0";
    }
    int level = (int) Math.min(5, Math.ceil(5 * Math.abs(a) / max));
    return (a > 0 ? "h-p" : "h-n") + level;
  }

  private static String title(String piece, double a) {
    return String.format(
        Locale.ROOT, "%s: %+.6f (%s)", piece, a, a >= 0 ? "for the label" : "against the label");
  }
}
