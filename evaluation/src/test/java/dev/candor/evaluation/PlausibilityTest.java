package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlausibilityTest {

  private static final double EPS = 1e-12;
  private static final boolean[] RATIONALE = {true, false, true, false};

  @Test
  void averagePrecisionByHand() {
    // Ranked: pos (P=1, R=.5), neg, pos (P=2/3, R=1), neg -> AP = .5·1 + .5·2/3.
    assertEquals(
        0.5 + 1.0 / 3.0,
        Plausibility.averagePrecision(new double[] {0.9, 0.8, 0.7, 0.6}, RATIONALE, null),
        EPS);
  }

  @Test
  void perfectReversedAndConstantExplainers() {
    assertEquals(
        1.0,
        Plausibility.averagePrecision(new double[] {0.9, 0.1, 0.8, 0.2}, RATIONALE, null),
        EPS);
    // Reversed: neg, neg, pos (P=1/3), pos (P=2/4) -> .5·1/3 + .5·1/2 = 5/12.
    assertEquals(
        5.0 / 12.0,
        Plausibility.averagePrecision(new double[] {0.1, 0.9, 0.2, 0.8}, RATIONALE, null),
        EPS);
    // All tied: one threshold, AP = prevalence, independent of position.
    assertEquals(
        0.5, Plausibility.averagePrecision(new double[] {1, 1, 1, 1}, RATIONALE, null), EPS);
    assertEquals(
        1.0 / 3.0,
        Plausibility.averagePrecision(
            new double[] {1, 1, 1}, new boolean[] {false, false, true}, null),
        EPS);
  }

  @Test
  void tiedThresholdEntersTogether() {
    // Scores 0.9 (neg), then 0.5 tie (pos, neg), then 0.1 (pos): P at .5 = 1/3, at .1 = 2/4.
    assertEquals(
        0.5 * (1.0 / 3.0) + 0.5 * 0.5,
        Plausibility.averagePrecision(
            new double[] {0.9, 0.5, 0.5, 0.1}, new boolean[] {false, true, false, true}, null),
        EPS);
  }

  @Test
  void specialTokensAreIgnored() {
    double[] scores = {100, 0.9, 0.1, 0.8, 0.2, 100};
    boolean[] rationale = {false, true, false, true, false, false};
    boolean[] special = {true, false, false, false, false, true};
    assertEquals(1.0, Plausibility.averagePrecision(scores, rationale, special), EPS);
    assertEquals(1.0, Plausibility.topKF1(scores, rationale, special), EPS);
  }

  @Test
  void topKF1ByHand() {
    double[] scores = {0.9, 0.8, 0.7, 0.6};
    // k = 2 (rationale size): top = {0, 1}, one hit -> P = R = F1 = .5.
    assertEquals(0.5, Plausibility.topKF1(scores, RATIONALE, null), EPS);
    // k = 3: two hits -> P = 2/3, R = 1, F1 = 0.8.
    assertEquals(0.8, Plausibility.topKF1(scores, RATIONALE, null, 3), EPS);
    assertEquals(0.0, Plausibility.topKF1(new double[] {0.1, 0.9, 0.2, 0.8}, RATIONALE, null), EPS);
    assertTrue(Double.isNaN(Plausibility.topKF1(scores, new boolean[4], null)));
  }

  @Test
  void evaluateSkipsExamplesWithoutRationale() {
    PlausibilityResult r =
        Plausibility.evaluate(
            List.of(
                new RationaleExample(new double[] {0.9, 0.1, 0.8, 0.2}, RATIONALE, null),
                new RationaleExample(new double[] {0.9, 0.8, 0.7, 0.6}, RATIONALE, null),
                new RationaleExample(new double[] {0.9, 0.8}, new boolean[2], null)),
            0);
    assertEquals(2, r.evaluated());
    assertEquals(1, r.skipped());
    assertEquals((1.0 + 0.5 + 1.0 / 3.0) / 2, r.meanAuprc(), EPS);
    assertEquals((1.0 + 0.5) / 2, r.meanTopKF1(), EPS);
  }

  @Test
  void spansMapToOverlappingTokens() {
    // "you are an idiot ok": [CLS] you are an id ##iot ok [SEP]
    int[] starts = {0, 0, 4, 8, 11, 13, 17, 0};
    int[] ends = {0, 3, 7, 10, 13, 16, 19, 0};
    assertArrayEquals(
        new boolean[] {false, false, false, false, true, true, false, false},
        SpanAlignment.tokensOverlappingSpans(starts, ends, List.of(new int[] {11, 16})));
    // A span touching a token's end boundary does not overlap it; a partial one does.
    assertArrayEquals(
        new boolean[] {false, false, true, false, false, false, false, false},
        SpanAlignment.tokensOverlappingSpans(starts, ends, List.of(new int[] {6, 8})));
  }

  @Test
  void codePointSpansBecomeUtf16Offsets() {
    String text = "\uD83D\uDE00 idiot"; // emoji (2 UTF-16 units, 1 code point), space, "idiot"
    int[] span = SpanAlignment.codePointSpansToUtf16(text, List.of(new int[] {2, 7})).get(0);
    assertArrayEquals(new int[] {3, 8}, span);
    assertEquals("idiot", text.substring(span[0], span[1]));
  }
}
