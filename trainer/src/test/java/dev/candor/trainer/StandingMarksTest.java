package dev.candor.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.trainer.feedback.FeedbackItem.Span;
import dev.candor.trainer.feedback.StandingMarks;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class StandingMarksTest {
  @Test
  void addsEveryPlaceholderOnceAndKeepsReviewerSpans() {
    String text = "<user> <user> muslims are here <url>";
    StandingMarks marks = StandingMarks.of(List.of("placeholders"));
    List<Span> out = marks.apply(text, List.of(new Span(0, 6), new Span(14, 21)));
    assertEquals(List.of(new Span(0, 6), new Span(7, 13), new Span(14, 21), new Span(31, 36)), out);
  }

  @Test
  void identitySetMarksIdentityWordsOnly() {
    List<Span> out =
        StandingMarks.of(List.of("identity")).apply("<user> muslims are here", List.of());
    assertEquals(List.of(new Span(7, 14)), out);
  }

  @Test
  void emptyRulesLeaveSpansAlone() {
    StandingMarks none = StandingMarks.of(List.of());
    assertTrue(none.isEmpty());
    assertEquals(List.of(), none.apply("<user> hello", List.of()));
  }

  @Test
  void unknownSetIsRefusedByTheConfig() {
    assertThrows(IllegalArgumentException.class, () -> StandingMarks.of(List.of("urls")));
    assertThrows(ConfigException.class, () -> new TrainerConfig(config("placeholders,urls")));
    assertEquals(
        List.of("placeholders", "identity"),
        new TrainerConfig(config("placeholders,identity")).standingMarks().names());
  }

  private static Map<String, String> config(String marks) {
    return Map.of(
        TrainerConfig.REGISTRY_DIR_CONFIG,
        "/tmp/registry",
        TrainerConfig.STANDING_MARKS_CONFIG,
        marks);
  }
}
