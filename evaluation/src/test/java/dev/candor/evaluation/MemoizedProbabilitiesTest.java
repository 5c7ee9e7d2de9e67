package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoizedProbabilitiesTest {

  /** p(class 1) = sum of ids / 100; records every sequence it is asked for. */
  private static final class CountingModel implements ProbabilityModel {
    final List<int[]> asked = new ArrayList<>();

    @Override
    public double[][] probabilities(List<int[]> batch) {
      double[][] out = new double[batch.size()][];
      for (int i = 0; i < out.length; i++) {
        asked.add(batch.get(i).clone());
        int s = 0;
        for (int id : batch.get(i)) {
          s += id;
        }
        out[i] = new double[] {1 - s / 100.0, s / 100.0};
      }
      return out;
    }
  }

  @Test
  void eachDistinctSequenceReachesTheModelOnceAndAnswersKeepInputOrder() {
    CountingModel inner = new CountingModel();
    MemoizedProbabilities memo = new MemoizedProbabilities(inner);
    double[][] first =
        memo.probabilities(List.of(new int[] {1, 2}, new int[] {3, 4}, new int[] {1, 2}));
    assertEquals(0.03, first[0][1], 1e-12);
    assertEquals(0.07, first[1][1], 1e-12);
    assertEquals(0.03, first[2][1], 1e-12);
    assertEquals(2, inner.asked.size(), "the duplicate inside one batch is computed once");
    double[][] second =
        memo.probabilities(List.of(new int[] {3, 4}, new int[] {5, 0}, new int[] {1, 2}));
    assertEquals(0.07, second[0][1], 1e-12);
    assertEquals(0.05, second[1][1], 1e-12);
    assertEquals(0.03, second[2][1], 1e-12);
    assertEquals(3, inner.asked.size(), "only the new sequence reached the model");
    assertArrayEquals(new int[] {5, 0}, inner.asked.get(2));
    assertEquals(6, memo.requested());
    assertEquals(3, memo.computed());
  }

  @Test
  void callersCannotChangeWhatOthersReceive() {
    MemoizedProbabilities memo = new MemoizedProbabilities(new CountingModel());
    int[] ids = {10, 20};
    memo.probabilities(List.of(ids))[0][1] = 99.0;
    ids[0] = 0; // the caller reuses its array: the cached entry must not follow
    assertEquals(0.30, memo.probabilities(List.of(new int[] {10, 20}))[0][1], 1e-12);
  }

  @Test
  void aModelThatDropsRowsIsAnError() {
    MemoizedProbabilities memo = new MemoizedProbabilities(batch -> new double[0][]);
    assertThrows(IllegalStateException.class, () -> memo.probabilities(List.of(new int[] {1})));
  }

  @Test
  void faithfulnessIsUnchangedByTheCache() {
    CountingModel inner = new CountingModel();
    MemoizedProbabilities memo = new MemoizedProbabilities(inner);
    boolean[] special = {true, false, false, false, true};
    ExplainedExample ex =
        new ExplainedExample(
            new int[] {0, 9, 5, 1, 0}, special, new double[] {0, 3, 2, 1, 0}, 1, 0);
    MaskingProtocol p = MaskingProtocol.paperDeciles();
    double direct = Faithfulness.comprehensiveness(new CountingModel(), List.of(ex), p).mean();
    double cached = Faithfulness.comprehensiveness(memo, List.of(ex), p).mean();
    double suff = Faithfulness.sufficiency(memo, List.of(ex), p).mean();
    assertEquals(direct, cached, 1e-15);
    assertEquals(Faithfulness.sufficiency(new CountingModel(), List.of(ex), p).mean(), suff, 1e-15);
    // 3 content tokens: the 9 fractions mask 1, 1, 1, 1, 2, 2, 2, 2, 3 tokens (round half up:
    // 0.5 → 1, 1.5 → 2, 2.5 → 3); Comp needs the original plus 3 distinct inputs, Suff keeps
    // 1, 2 or 3 tokens, the last being the original again: 6 distinct sequences in all.
    assertEquals(6, inner.asked.size());
  }
}
