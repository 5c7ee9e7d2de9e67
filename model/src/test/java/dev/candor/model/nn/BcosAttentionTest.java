package dev.candor.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * Attention with probabilities detached in explanation mode, against float64 hand sums: one batch,
 * one head, three positions of width 2, the last one padding.
 */
class BcosAttentionTest {
  private static final Shape SHAPE = new Shape(1, 1, 3, 2);
  private static final double[][] X = {{0.5, -1.0}, {1.5, 0.25}, {-0.7, 2.0}};
  private static final double[][] PROBE = {{1.0, -0.5}, {0.3, 0.8}, {-1.2, 0.4}};
  private static final double[] MASK = {0, 0, -1e9};

  @Test
  void shouldMatchHandComputedSoftmaxAttention() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(flatten(X), SHAPE);
      NDArray probs = BcosOps.attentionProbabilities(x, x, mask(m));
      double[][] p = probabilities();
      assertArrayEquals(flatten(p), probs.toDoubleArray(), 1e-12);
      assertArrayEquals(
          flatten(times(p, X)), BcosOps.attend(probs, x, true).toDoubleArray(), 1e-12);
      assertEquals(0.0, p[0][2], "padding gets no weight");
    }
  }

  @Test
  void shouldTreatProbabilitiesAsConstantsInExplanationMode() {
    try (NDManager m = NDManager.newBaseManager()) {
      // q = k = v = x: with the probabilities detached only the value path carries gradient,
      // d/dx_jd sum_id P_id out_id = sum_i p_ij P_id
      double[][] p = probabilities();
      double[] expected = new double[6];
      for (int j = 0; j < 3; j++) {
        for (int d = 0; d < 2; d++) {
          for (int i = 0; i < 3; i++) {
            expected[j * 2 + d] += p[i][j] * PROBE[i][d];
          }
        }
      }
      assertArrayEquals(expected, gradient(m, true), 1e-12);
      double[] full = gradient(m, false);
      double gap = 0;
      for (int i = 0; i < 6; i++) {
        gap = Math.max(gap, Math.abs(full[i] - expected[i]));
      }
      assertTrue(gap > 1e-3, "without explanation mode the softmax path adds gradient: " + gap);
    }
  }

  private static double[] gradient(NDManager m, boolean explain) {
    NDArray x = m.create(flatten(X), SHAPE);
    x.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray out = BcosOps.attend(BcosOps.attentionProbabilities(x, x, mask(m)), x, explain);
      gc.backward(out.mul(m.create(flatten(PROBE), SHAPE)).sum());
    }
    return x.getGradient().toDoubleArray();
  }

  private static NDArray mask(NDManager m) {
    return m.create(MASK, new Shape(1, 1, 1, 3));
  }

  /** softmax_j(x_i · x_j / √2 + mask_j). */
  private static double[][] probabilities() {
    double[][] p = new double[3][3];
    for (int i = 0; i < 3; i++) {
      double total = 0;
      for (int j = 0; j < 3; j++) {
        double score = (X[i][0] * X[j][0] + X[i][1] * X[j][1]) / Math.sqrt(2) + MASK[j];
        p[i][j] = Math.exp(score);
        total += p[i][j];
      }
      for (int j = 0; j < 3; j++) {
        p[i][j] /= total;
      }
    }
    return p;
  }

  private static double[][] times(double[][] a, double[][] b) {
    double[][] out = new double[a.length][b[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < b.length; k++) {
        for (int d = 0; d < b[0].length; d++) {
          out[i][d] += a[i][k] * b[k][d];
        }
      }
    }
    return out;
  }

  private static double[] flatten(double[][] a) {
    double[] out = new double[a.length * a[0].length];
    for (int i = 0; i < a.length; i++) {
      System.arraycopy(a[i], 0, out, i * a[0].length, a[0].length);
    }
    return out;
  }
}
