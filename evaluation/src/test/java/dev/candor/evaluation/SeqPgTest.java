package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeqPgTest {

  private static final double EPS = 1e-12;

  // Layout: [CLS] a a a [SEP] b b [SEP]  -> A = [1,4), B = [5,7)
  private static SeqPgPair pair(double[] forA, double[] forB) {
    return new SeqPgPair(1, 4, 5, 7, forA, forB);
  }

  @Test
  void perfectExplainerPointsOnlyAtItsOwnSegment() {
    SeqPgResult r =
        SeqPg.score(
            List.of(
                pair(
                    new double[] {9, 1, 2, 3, 9, 0, 0, 9}, new double[] {9, 0, 0, 0, 9, 1, 1, 9})));
    assertEquals(1.0, r.perPairA()[0], EPS);
    assertEquals(1.0, r.perPairB()[0], EPS);
    assertEquals(1.0, r.mean(), EPS);
  }

  @Test
  void reversedExplainerScoresZero() {
    SeqPgResult r =
        SeqPg.score(
            List.of(
                pair(
                    new double[] {0, 0, 0, 0, 0, 1, 1, 0}, new double[] {0, 1, 1, 1, 0, 0, 0, 0})));
    assertEquals(0.0, r.mean(), EPS);
  }

  @Test
  void uniformExplainerScoresSegmentLengthShare() {
    double[] uniform = {1, 1, 1, 1, 1, 1, 1, 1};
    SeqPgResult r = SeqPg.score(List.of(pair(uniform, uniform)));
    assertEquals(3.0 / 5.0, r.perPairA()[0], EPS);
    assertEquals(2.0 / 5.0, r.perPairB()[0], EPS);
    assertEquals(0.5, r.mean(), EPS);
  }

  @Test
  void onlyPositiveAttributionCounts() {
    // A: 1 + 2 (the -1 ignored) = 3 inside, 1 in B -> 3/4. B: 2 inside, 2 + 0 in A -> 1/2.
    SeqPgResult r =
        SeqPg.score(
            List.of(
                pair(
                    new double[] {0.5, 1, 2, -1, 0, 1, -3, 0.5},
                    new double[] {0, 2, -5, 0, 0, 2, 0, 0}),
                pair(
                    new double[] {0, 1, 0, 0, 0, 0, 0, 0}, new double[] {0, 1, 0, 0, 0, 0, 0, 0})));
    assertEquals(0.75, r.perPairA()[0], EPS);
    assertEquals(0.5, r.perPairB()[0], EPS);
    assertEquals((0.75 + 0.5 + 1.0 + 0.0) / 4, r.mean(), EPS);
  }

  @Test
  void noPositiveAttributionIsUndefinedNotZero() {
    double[] none = {1, 0, 0, -1, 1, -1, 0, 1};
    SeqPgResult r = SeqPg.score(List.of(pair(none, new double[] {0, 0, 0, 0, 0, 1, 0, 0})));
    assertTrue(Double.isNaN(r.perPairA()[0]));
    assertEquals(1, r.undefined());
    assertEquals(1.0, r.mean(), EPS);
  }

  @Test
  void rejectsOverlappingSegments() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new SeqPgPair(0, 4, 3, 6, new double[8], new double[8]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SeqPgPair(0, 4, 5, 9, new double[8], new double[8]));
  }
}
