package dev.candor.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The B-cos LayerNorm (no β; 1/std detached in explanation mode) against float64 hand sums. */
class BcosLayerNormTest {
  private static final double[] X = {1.0, -2.0, 0.5, 3.0};
  private static final double[] GAIN = {0.5, 1.5, -1.0, 2.0};
  private static final double[] PROBE = {0.3, -0.7, 1.1, 0.2};
  private static final double EPS = 1e-5;

  @Test
  void shouldCentreScaleAndGainWithoutShift() {
    try (NDManager m = NDManager.newBaseManager()) {
      double[] out = forward(m, m.create(X, new Shape(1, 4)), false).toDoubleArray();
      double[] centred = centred();
      double std = std(centred);
      for (int i = 0; i < 4; i++) {
        assertEquals(centred[i] / std * GAIN[i], out[i], 1e-12, "feature " + i);
      }
    }
  }

  @Test
  void shouldTreatStdAsConstantInExplanationMode() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(X, new Shape(1, 4));
      x.setRequiresGradient(true);
      NDArray out;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        out = forward(m, x, true);
        gc.backward(out.mul(m.create(PROBE, new Shape(1, 4))).sum());
      }
      // d/dx_j of sum_i p_i g_i (x_i - mean) / std with std fixed: (p_j g_j - mean(p g)) / std
      double std = std(centred());
      double meanPg = 0;
      for (int i = 0; i < 4; i++) {
        meanPg += PROBE[i] * GAIN[i] / 4;
      }
      double[] expected = new double[4];
      double linear = 0;
      double value = 0;
      double[] grad = x.getGradient().toDoubleArray();
      double[] o = out.toDoubleArray();
      for (int j = 0; j < 4; j++) {
        expected[j] = (PROBE[j] * GAIN[j] - meanPg) / std;
        linear += X[j] * grad[j];
        value += PROBE[j] * o[j];
      }
      assertArrayEquals(expected, grad, 1e-12);
      // and so the layer is the linear map W(x)x: input × gradient adds up to the output
      assertEquals(value, linear, 1e-12);
    }
  }

  @Test
  void shouldDifferentiateStdOutsideExplanationMode() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray p = m.create(PROBE, new Shape(1, 4));
      NDArray x = m.create(X, new Shape(1, 4));
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(forward(m, x, false).mul(p).sum());
      }
      Function<double[], Double> f =
          xs -> forward(m, m.create(xs, new Shape(1, 4)), false).mul(p).sum().getDouble();
      BcosOpsTest.assertGradient(f, X, x.getGradient().toDoubleArray());
    }
  }

  private static NDArray forward(NDManager m, NDArray x, boolean explain) {
    return BcosOps.layerNorm(x, m.create(GAIN), null, EPS, explain);
  }

  private static double[] centred() {
    double mean = 0;
    for (double v : X) {
      mean += v / X.length;
    }
    double[] c = new double[X.length];
    for (int i = 0; i < X.length; i++) {
      c[i] = X[i] - mean;
    }
    return c;
  }

  private static double std(double[] centred) {
    double var = 0;
    for (double v : centred) {
      var += v * v / centred.length;
    }
    return Math.sqrt(var + EPS);
  }
}
