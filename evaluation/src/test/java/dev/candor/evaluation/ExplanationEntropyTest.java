package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExplanationEntropyTest {

  private static final double EPS = 1e-12;
  private static final boolean[] SPECIAL_ENDS = {true, false, false, false, false, true};

  @Test
  void uniformIsMaximalAndOneHotIsZero() {
    double[] uniform = {50, 1, -1, 1, -1, 50};
    assertEquals(Math.log(4), ExplanationEntropy.entropy(uniform, SPECIAL_ENDS), EPS);
    assertEquals(1.0, ExplanationEntropy.normalized(uniform, SPECIAL_ENDS), EPS);
    double[] oneHot = {50, 0, 3, 0, 0, 50};
    assertEquals(0.0, ExplanationEntropy.entropy(oneHot, SPECIAL_ENDS), EPS);
    assertEquals(0.0, ExplanationEntropy.normalized(oneHot, SPECIAL_ENDS), EPS);
  }

  @Test
  void byHandWithAbsoluteValues() {
    // |1|,|-1|,|2| -> .25, .25, .5
    double expected = -(2 * 0.25 * Math.log(0.25) + 0.5 * Math.log(0.5));
    assertEquals(expected, ExplanationEntropy.entropy(new double[] {1, -1, 2}, null), EPS);
    assertEquals(
        expected / Math.log(3), ExplanationEntropy.normalized(new double[] {1, -1, 2}, null), EPS);
  }

  @Test
  void allZeroIsUndefined() {
    assertTrue(
        Double.isNaN(ExplanationEntropy.entropy(new double[] {5, 0, 0, 0, 0, 5}, SPECIAL_ENDS)));
    assertTrue(Double.isNaN(ExplanationEntropy.normalized(new double[] {0, 0}, null)));
  }
}
