package dev.candor.dashboard.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.WordAttribution;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagValidatorTest {
  private final FlagValidator v = new FlagValidator(100, Set.of());

  private static ExplainedPrediction rec() {
    return Records.flagged("id-1", "you are all wonderful", "normal", "identity-term", 2);
  }

  @Test
  void shouldAcceptAWellFormedRecord() {
    FlagValidator.Result r = v.validate(rec());
    assertTrue(r.ok(), r.reason());
    assertEquals("id-1", r.item().id());
    assertEquals(4, r.item().words().size());
    assertEquals(6, r.item().tokens().size());
    assertEquals(List.of(new Model.Span(8, 11)), r.item().flags().get(0).spans());
    assertEquals(0.8, r.item().labelScore());
  }

  @Test
  void shouldRefuseWithAReason() {
    assertEquals("text-too-long", reason(p -> p.setText("x".repeat(101))));
    assertEquals("nul-in-text", reason(p -> p.setText("a\0b")));
    assertEquals("bad-id", reason(p -> p.setId("")));
    assertEquals("bad-id", reason(p -> p.setId("i".repeat(257))));
    assertEquals("bad-model-version", reason(p -> p.setModelVersion("")));
    assertEquals("bad-labels", reason(p -> p.setLabelIndex(5)));
    assertEquals("bad-labels", reason(p -> p.setLabel("other")));
    assertEquals("bad-labels", reason(p -> p.setScores(List.of(1.0))));
    assertEquals("bad-labels", reason(p -> p.setExplainedLabelIndex(-1)));
    assertEquals("non-finite-number", reason(p -> p.setCompletenessResidual(Double.NaN)));
    assertEquals(
        "non-finite-number",
        reason(p -> p.getWords().get(0).setAttribution(Double.POSITIVE_INFINITY)));
    assertEquals("bad-sha256", reason(p -> p.setTextSha256("not a hash")));
    assertEquals("bad-flag-type", reason(p -> p.getFlags().get(0).setType("")));
    assertEquals(
        "unknown-model-version", new FlagValidator(100, Set.of("v2")).validate(rec()).reason());
  }

  @Test
  void shouldDropOutOfRangeSpansInsteadOfTrustingThem() {
    ExplainedPrediction p = rec();
    p.getFlags()
        .get(0)
        .setSpans(
            List.of(
                new CharSpan(5, 999), new CharSpan(-1, 2), new CharSpan(4, 4), new CharSpan(0, 3)));
    List<WordAttribution> words = new ArrayList<>(p.getWords());
    words.add(new WordAttribution("ghost", 50, 60, 1.0)); // beyond the text
    words.add(new WordAttribution("you", 0, 3, 1.0)); // overlaps an earlier word
    p.setWords(words);
    p.getTokens().get(1).setEnd(500);
    p.getFlags().get(0).setTokenIndex(99);
    FlagValidator.Result r = v.validate(p);
    assertTrue(r.ok(), r.reason());
    assertEquals(List.of(new Model.Span(0, 3)), r.item().flags().get(0).spans());
    assertEquals(4, r.item().words().size());
    assertEquals(-1, r.item().tokens().get(1).start());
    assertEquals(-1, r.item().flags().get(0).tokenIndex());
  }

  @Test
  void shouldKeepARecordWithoutText() {
    ExplainedPrediction p = rec();
    p.setText(null);
    FlagValidator.Result r = v.validate(p);
    assertTrue(r.ok(), r.reason());
    assertEquals(null, r.item().text());
    assertTrue(r.item().words().isEmpty(), "word spans cannot be checked without the text");
    assertFalse(r.item().flags().isEmpty());
  }

  private String reason(java.util.function.Consumer<ExplainedPrediction> change) {
    ExplainedPrediction p = rec();
    change.accept(p);
    FlagValidator.Result r = v.validate(p);
    assertFalse(r.ok());
    return r.reason();
  }
}
