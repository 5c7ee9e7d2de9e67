package dev.candor.trainer.feedback;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Standing rules: term sets that count as reviewer-marked in every training text of a round, replay
 * texts included. Reviewers mark a placeholder once; the rule applies that judgement to every text
 * that carries the same term, which is what makes the model stop relying on it rather than only on
 * the few texts that were reviewed.
 */
public final class StandingMarks {
  private static final Map<String, Function<String, List<FeedbackItem.Span>>> SETS =
      Map.of("placeholders", SpuriousTerms::placeholders, "identity", SpuriousTerms::identity);

  /** The names a configuration may use. */
  public static final List<String> NAMES = List.of("placeholders", "identity");

  private final List<String> names;

  private StandingMarks(List<String> names) {
    this.names = List.copyOf(names);
  }

  /** The rules named in {@code names} (each one of {@link #NAMES}). */
  public static StandingMarks of(List<String> names) {
    for (String n : names) {
      if (!SETS.containsKey(n)) {
        throw new IllegalArgumentException(
            "unknown standing mark set '" + n + "' (known: " + NAMES + ")");
      }
    }
    return new StandingMarks(names);
  }

  public List<String> names() {
    return names;
  }

  public boolean isEmpty() {
    return names.isEmpty();
  }

  /**
   * {@code spans} plus every span of the standing sets in {@code text}, sorted, without exact
   * duplicates.
   */
  public List<FeedbackItem.Span> apply(String text, List<FeedbackItem.Span> spans) {
    if (names.isEmpty()) {
      return spans;
    }
    List<FeedbackItem.Span> out = new ArrayList<>(spans);
    for (String n : names) {
      for (FeedbackItem.Span s : SETS.get(n).apply(text)) {
        if (!out.contains(s)) {
          out.add(s);
        }
      }
    }
    out.sort(
        Comparator.comparingInt(FeedbackItem.Span::start).thenComparingInt(FeedbackItem.Span::end));
    return List.copyOf(out);
  }
}
