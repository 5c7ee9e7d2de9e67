package dev.candor.stream.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.explain.Explanation;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.SpuriousFlag;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReviewerRejectedTokenRuleTest {

  private static FlagContext marks(Map<String, Integer> marks) {
    return FlagContext.of(
        texts -> {
          throw new AssertionError("must not classify");
        },
        w -> marks.getOrDefault(w, 0));
  }

  private static final Explanation USER =
      Explanations.of(
          "<user> You are great",
          "normal",
          0.9,
          0.0,
          "<",
          0.3,
          "user",
          0.2,
          ">",
          0.2,
          "you",
          0.2,
          "are",
          0.05,
          "great",
          0.1);

  @Test
  void shouldFlagAMarkedWordCarryingTheTopEvidence() {
    List<SpuriousFlag> flags =
        new ReviewerRejectedTokenRule().check(USER, marks(Map.of("<user>", 3)));

    assertEquals(1, flags.size());
    SpuriousFlag f = flags.get(0);
    assertEquals(ReviewerRejectedTokenRule.TYPE, f.getType());
    assertEquals(List.of(new CharSpan(0, 6)), f.getSpans());
    assertEquals(0.7 / 1.05, f.getScore(), 1e-9);
    assertTrue(f.getDetail().contains("\"<user>\" (3 marks, 67%)"), f.getDetail());
  }

  @Test
  void shouldCompareWordsLowerCased() {
    assertEquals(
        1,
        new ReviewerRejectedTokenRule(1, 0.1, 2, List.of())
            .check(USER, marks(Map.of("you", 1)))
            .size());
  }

  @Test
  void shouldNotFlagUnmarkedWeaklyMarkedOrMinorWords() {
    assertEquals(List.of(), new ReviewerRejectedTokenRule().check(USER, marks(Map.of())));
    assertEquals(
        List.of(),
        new ReviewerRejectedTokenRule(2, 0.2, 1, List.of()).check(USER, marks(Map.of("<user>", 1))),
        "one mark, two needed");
    assertEquals(
        List.of(),
        new ReviewerRejectedTokenRule().check(USER, marks(Map.of("great", 5))),
        "great is not the top word");
  }

  @Test
  void shouldHandleTextsWithoutWords() {
    assertEquals(
        List.of(),
        new ReviewerRejectedTokenRule()
            .check(Explanations.of("", "toxic", 0.9, 1.0), marks(Map.of("", 1))));
  }
}
