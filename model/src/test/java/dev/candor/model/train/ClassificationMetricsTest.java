package dev.candor.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
  private static final double EPS = 1e-12;

  @Test
  void shouldComputeHandCheckedFigures() {
    int[] y = {0, 0, 1, 1, 1};
    int[] p = {0, 1, 1, 1, 0};
    double[] s = {0.1, 0.6, 0.7, 0.9, 0.4};
    ClassificationMetrics m = ClassificationMetrics.of(y, p, s, 2);
    assertEquals(0.6, m.accuracy(), EPS);
    // class 0: tp 1 fp 1 fn 1 -> F1 0.5; class 1: tp 2 fp 1 fn 1 -> F1 2/3
    assertEquals((0.5 + 2.0 / 3) / 2, m.macroF1(), EPS);
    // positive scores {0.7, 0.9, 0.4} vs negative {0.1, 0.6}: 5 of 6 pairs ordered
    assertEquals(5.0 / 6, m.auroc(), EPS);
    assertArrayEquals(new int[] {1, 1}, m.confusion()[0]);
  }

  @Test
  void shouldCountTiesAsHalf() {
    assertEquals(
        0.5, ClassificationMetrics.auroc(new double[] {1, 1}, new boolean[] {true, false}));
    // Positives {.9,.5,.5} vs negatives {.5,.1,.2}: 3 + 2.5 + 2.5 of 9 pairs.
    int[] y = {1, 1, 1, 0, 0, 0};
    ClassificationMetrics m =
        ClassificationMetrics.of(y, y, new double[] {0.9, 0.5, 0.5, 0.5, 0.1, 0.2}, 2);
    assertEquals(8.0 / 9.0, m.auroc(), EPS);
  }

  @Test
  void shouldRankPerfectReversedAndConstantScores() {
    int[] y = {0, 0, 1, 1};
    assertEquals(
        1.0, ClassificationMetrics.of(y, y, new double[] {.1, .2, .8, .9}, 2).auroc(), EPS);
    assertEquals(
        0.0, ClassificationMetrics.of(y, y, new double[] {.9, .8, .2, .1}, 2).auroc(), EPS);
    assertEquals(
        0.5, ClassificationMetrics.of(y, y, new double[] {.5, .5, .5, .5}, 2).auroc(), EPS);
  }

  @Test
  void shouldLeaveAurocUndefinedWithoutScoresOrWithOneClass() {
    int[] y = {0, 1};
    assertTrue(Double.isNaN(ClassificationMetrics.of(y, y, null, 2).auroc()));
    assertEquals(1.0, ClassificationMetrics.of(y, y, null, 2).macroF1(), EPS);
    assertTrue(
        Double.isNaN(ClassificationMetrics.auroc(new double[] {1, 2}, new boolean[] {true, true})));
  }

  @Test
  void shouldAverageF1OnlyOverClassesThatOccur() {
    // Class 2 is neither a label nor a prediction; classes 0 and 1 have F1 2/3 each.
    ClassificationMetrics m =
        ClassificationMetrics.of(new int[] {0, 0, 1}, new int[] {0, 1, 1}, null, 3);
    assertEquals(2.0 / 3.0, m.perClassF1()[0], EPS);
    assertEquals(2.0 / 3.0, m.perClassF1()[1], EPS);
    assertTrue(Double.isNaN(m.perClassF1()[2]));
    assertEquals(2.0 / 3.0, m.macroF1(), EPS);
    // A class predicted but never true scores 0 and does count.
    ClassificationMetrics wrong =
        ClassificationMetrics.of(new int[] {0, 0}, new int[] {0, 2}, null, 3);
    assertEquals((2.0 / 3.0 + 0.0) / 2, wrong.macroF1(), EPS);
  }

  @Test
  void shouldGiveThreeClassPrecisionRecallAndOneVsOneAuroc() {
    int[] y = {0, 0, 1, 1, 2, 2, 0, 1};
    double[][] p = {
      {.7, .2, .1}, {.4, .3, .3}, {.3, .5, .2}, {.5, .2, .3},
      {.2, .2, .6}, {.1, .6, .3}, {.3, .3, .4}, {.2, .7, .1}
    };
    int[] predicted = {0, 0, 1, 0, 2, 1, 2, 1}; // arg-max of p
    ClassificationMetrics m = ClassificationMetrics.ofProbabilities(y, predicted, p, 3);
    assertArrayEquals(new int[] {2, 0, 1}, m.confusion()[0]);
    assertArrayEquals(new int[] {1, 2, 0}, m.confusion()[1]);
    assertArrayEquals(new int[] {0, 1, 1}, m.confusion()[2]);
    assertEquals(2.0 / 3, m.precision(0), EPS);
    assertEquals(2.0 / 3, m.recall(0), EPS);
    assertEquals(2.0 / 3, m.precision(1), EPS);
    assertEquals(2.0 / 3, m.recall(1), EPS);
    assertEquals(0.5, m.precision(2), EPS);
    assertEquals(0.5, m.recall(2), EPS);
    assertEquals(2, m.support(2));
    assertEquals((2.0 / 3 + 2.0 / 3 + 0.5) / 3, m.macroF1(), EPS);
    // Hand & Till, worked by hand: pair (0,1) 13/18 both ways; (0,2) (1 + 3/4)/2; (1,2)
    // (7/12 + 11/12)/2.
    double expected = (13.0 / 18 + (1 + 0.75) / 2 + (7.0 / 12 + 11.0 / 12) / 2) / 3;
    assertEquals(expected, m.auroc(), EPS);
    assertEquals(expected, ClassificationMetrics.aurocOneVsOne(y, p, 3), EPS);
    // the one-score form ranks the last class against the rest: a different figure
    double lastVsRest = ClassificationMetrics.of(y, predicted, column(p, 2), 3).auroc();
    assertTrue(Math.abs(lastVsRest - expected) > 1e-3, lastVsRest + " vs " + expected);
    // binary probabilities give the ordinary AUROC of the positive class
    ClassificationMetrics two =
        ClassificationMetrics.ofProbabilities(
            new int[] {0, 1, 0, 1},
            new int[] {0, 1, 1, 1},
            new double[][] {{.9, .1}, {.2, .8}, {.2, .8}, {.3, .7}},
            2);
    // positives .8, .7 against negatives .1, .8: 1 + 1/2 + 1 + 0 of 4 pairs
    assertEquals(2.5 / 4, two.auroc(), EPS);
    assertTrue(
        Double.isNaN(ClassificationMetrics.of(new int[] {0}, new int[] {0}, null, 3).precision(1)));
  }

  private static double[] column(double[][] p, int c) {
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = p[i][c];
    }
    return out;
  }

  @Test
  void shouldRejectOutOfRangeClassesAndNaNScores() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ClassificationMetrics.of(new int[] {2}, new int[] {0}, null, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> ClassificationMetrics.auroc(new double[] {Double.NaN}, new boolean[] {true}));
  }
}
