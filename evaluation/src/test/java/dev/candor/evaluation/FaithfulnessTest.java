package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaithfulnessTest {

  private static final int CLS = 0;
  private static final int SEP = 1;
  private static final int MASK = 3;
  private static final double EPS = 1e-12;

  /** Content token i (id 10 + i) carries WEIGHTS[i] of class-1 probability: 0.4, 0.3, 0.2, 0.1. */
  private static final double[] WEIGHTS = {0.4, 0.3, 0.2, 0.1};

  private static final MaskingProtocol QUARTERS =
      new MaskingProtocol("quarters", List.of(0.25, 0.5, 0.75));

  /** p(class 1) = sum of the weights of unmasked content tokens; specials must never be touched. */
  private static final class AdditiveModel implements ProbabilityModel {
    final List<Integer> batchSizes = new ArrayList<>();

    @Override
    public double[][] probabilities(List<int[]> batch) {
      batchSizes.add(batch.size());
      double[][] out = new double[batch.size()][];
      for (int b = 0; b < batch.size(); b++) {
        int[] ids = batch.get(b);
        assertEquals(CLS, ids[0]);
        assertEquals(SEP, ids[ids.length - 1]);
        double p = 0.0;
        for (int id : ids) {
          if (id >= 10) {
            p += WEIGHTS[id - 10];
          }
        }
        out[b] = new double[] {1.0 - p, p};
      }
      return out;
    }
  }

  private static ExplainedExample example(double... contentAttributions) {
    double[] attributions = new double[contentAttributions.length + 2];
    System.arraycopy(contentAttributions, 0, attributions, 1, contentAttributions.length);
    attributions[0] = 5.0; // a large [CLS] score must not be ranked
    return new ExplainedExample(
        new int[] {CLS, 10, 11, 12, 13, SEP},
        new boolean[] {true, false, false, false, false, true},
        attributions,
        1,
        MASK);
  }

  @Test
  void perfectExplainerHasHighComprehensivenessAndLowSufficiency() {
    List<ExplainedExample> perfect = List.of(example(0.4, 0.3, 0.2, 0.1));
    // Masking top 1/2/3 removes 0.4, 0.7, 0.9 of the probability.
    FaithfulnessResult comp =
        Faithfulness.comprehensiveness(new AdditiveModel(), perfect, QUARTERS);
    assertEquals(2.0 / 3.0, comp.mean(), EPS);
    assertArrayEquals(new double[] {0.4, 0.7, 0.9}, comp.perFraction(), EPS);
    // Keeping top 1/2/3 leaves 0.4, 0.7, 0.9, i.e. drops 0.6, 0.3, 0.1.
    FaithfulnessResult suff = Faithfulness.sufficiency(new AdditiveModel(), perfect, QUARTERS);
    assertEquals(1.0 / 3.0, suff.mean(), EPS);
    assertArrayEquals(new double[] {0.6, 0.3, 0.1}, suff.perFraction(), EPS);
    assertEquals(FaithfulnessResult.Metric.SUFFICIENCY, suff.metric());
    assertEquals(0, suff.skipped());
    // trapezoid over k = 0.25, 0.5, 0.75: 0.25·(0.4+0.7)/2 + 0.25·(0.7+0.9)/2 = 0.3375
    assertEquals(0.3375, comp.auc(), EPS);
    assertEquals(0.25 * (0.6 + 0.3) / 2 + 0.25 * (0.3 + 0.1) / 2, suff.auc(), EPS);
  }

  @Test
  void areaUnderTheCurveOfAFlatCurveSpansTheFractionRange() {
    // every fraction masks the one content token: the drop is 1 at every k of the deciles
    ExplainedExample one =
        new ExplainedExample(
            new int[] {CLS, 10, SEP},
            new boolean[] {true, false, true},
            new double[] {0, 1, 0},
            1,
            MASK);
    ProbabilityModel model =
        batch ->
            batch.stream()
                .map(ids -> ids[1] == 10 ? new double[] {0.0, 1.0} : new double[] {1.0, 0.0})
                .toArray(double[][]::new);
    FaithfulnessResult comp =
        Faithfulness.comprehensiveness(model, List.of(one), MaskingProtocol.paperDeciles());
    assertEquals(1.0, comp.mean(), EPS);
    assertEquals(0.8, comp.auc(), 1e-9);
    FaithfulnessResult single =
        Faithfulness.comprehensiveness(
            model, List.of(one), new MaskingProtocol("one", List.of(0.5)));
    assertTrue(Double.isNaN(single.auc()));
  }

  @Test
  void reversedExplainerSwapsTheScores() {
    List<ExplainedExample> reversed = List.of(example(-0.4, -0.3, -0.2, -0.1));
    // Ranking by signed attribution puts the weakest token first: drops 0.1, 0.3, 0.6.
    assertEquals(
        1.0 / 3.0,
        Faithfulness.comprehensiveness(new AdditiveModel(), reversed, QUARTERS).mean(),
        EPS);
    assertEquals(
        2.0 / 3.0, Faithfulness.sufficiency(new AdditiveModel(), reversed, QUARTERS).mean(), EPS);
  }

  @Test
  void randomExplainerAveragesToTheMaskedShare() {
    // Over all 24 orderings every token is equally likely in the top k, so the expected drop at
    // k of 4 tokens is k/4 of the probability: mean over {1/4, 2/4, 3/4} = 1/2, for Comp and Suff.
    List<ExplainedExample> all = new ArrayList<>();
    permutations(new double[] {1, 2, 3, 4}, 0, all);
    assertEquals(24, all.size());
    AdditiveModel model = new AdditiveModel();
    FaithfulnessResult comp = Faithfulness.comprehensiveness(model, all, QUARTERS);
    assertEquals(0.5, comp.mean(), EPS);
    assertArrayEquals(new double[] {0.25, 0.5, 0.75}, comp.perFraction(), EPS);
    assertEquals(0.5, Faithfulness.sufficiency(model, all, QUARTERS).mean(), EPS);
    assertEquals(24, comp.perExample().length);
  }

  @Test
  void tiesAreBrokenByPosition() {
    // All equal: rank a, b, c, d, which here coincides with the perfect order.
    assertEquals(
        2.0 / 3.0,
        Faithfulness.comprehensiveness(new AdditiveModel(), List.of(example(0, 0, 0, 0)), QUARTERS)
            .mean(),
        EPS);
    ExplainedExample ex = example(0, 0, 0, 0);
    int[] ranked =
        Ranking.descending(ex.attributions(), new boolean[] {false, true, true, true, true, false});
    assertArrayEquals(new int[] {1, 2, 3, 4}, ranked);
    assertArrayEquals(
        new int[] {CLS, MASK, MASK, 12, 13, SEP},
        Faithfulness.perturb(FaithfulnessResult.Metric.COMPREHENSIVENESS, ex, ranked, 2));
    assertArrayEquals(
        new int[] {CLS, 10, 11, MASK, MASK, SEP},
        Faithfulness.perturb(FaithfulnessResult.Metric.SUFFICIENCY, ex, ranked, 2));
  }

  @Test
  void oneModelCallPerExampleWithOriginalAndEveryFraction() {
    AdditiveModel model = new AdditiveModel();
    Faithfulness.comprehensiveness(
        model, List.of(example(4, 3, 2, 1), example(1, 2, 3, 4)), MaskingProtocol.paperDeciles());
    assertEquals(List.of(10, 10), model.batchSizes);
  }

  @Test
  void exampleWithoutContentTokensIsSkipped() {
    ExplainedExample empty =
        new ExplainedExample(
            new int[] {CLS, SEP}, new boolean[] {true, true}, new double[] {1, 1}, 1, MASK);
    FaithfulnessResult r =
        Faithfulness.comprehensiveness(
            new AdditiveModel(), List.of(empty, example(0.4, 0.3, 0.2, 0.1)), QUARTERS);
    assertTrue(Double.isNaN(r.perExample()[0]));
    assertFalse(Double.isNaN(r.perExample()[1]));
    assertEquals(1, r.skipped());
    assertEquals(2.0 / 3.0, r.mean(), EPS);
  }

  @Test
  void dropIsMeasuredOnThePredictedClass() {
    ExplainedExample predictedZero =
        new ExplainedExample(
            new int[] {CLS, 10, 11, 12, 13, SEP},
            new boolean[] {true, false, false, false, false, true},
            new double[] {0, 4, 3, 2, 1, 0},
            0,
            MASK);
    // p0 rises from 0 as tokens are masked, so Comp is negative: -(0.4 + 0.7 + 0.9) / 3.
    assertEquals(
        -2.0 / 3.0,
        Faithfulness.comprehensiveness(new AdditiveModel(), List.of(predictedZero), QUARTERS)
            .mean(),
        EPS);
  }

  private static void permutations(double[] a, int from, List<ExplainedExample> out) {
    if (from == a.length) {
      out.add(example(a.clone()));
      return;
    }
    for (int i = from; i < a.length; i++) {
      swap(a, from, i);
      permutations(a, from + 1, out);
      swap(a, from, i);
    }
  }

  private static void swap(double[] a, int i, int j) {
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
