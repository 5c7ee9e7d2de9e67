package dev.candor.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
  @Test
  void shouldComputeHandCheckedFigures() {
    int[] y = {0, 0, 1, 1, 1};
    int[] p = {0, 1, 1, 1, 0};
    double[] s = {0.1, 0.6, 0.7, 0.9, 0.4};
    ClassificationMetrics m = ClassificationMetrics.of(y, p, s, 2);
    assertEquals(0.6, m.accuracy(), 1e-12);
    // class 0: tp 1 fp 1 fn 1 -> F1 0.5; class 1: tp 2 fp 1 fn 1 -> F1 2/3
    assertEquals((0.5 + 2.0 / 3) / 2, m.macroF1(), 1e-12);
    // positive scores {0.7, 0.9, 0.4} vs negative {0.1, 0.6}: 5 of 6 pairs ordered
    assertEquals(5.0 / 6, m.auroc(), 1e-12);
    assertArrayEquals(new int[] {1, 1}, m.confusion()[0]);
  }

  @Test
  void shouldCountTiesAsHalf() {
    assertEquals(0.5, ClassificationMetrics.auroc(new double[] {1, 1}, new boolean[] {true, false}));
    assertTrue(Double.isNaN(
        ClassificationMetrics.auroc(new double[] {1, 2}, new boolean[] {true, true})));
  }
}
