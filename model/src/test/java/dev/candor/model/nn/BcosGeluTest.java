package dev.candor.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** GELU as x·Φ(x) (Φ detached in explanation mode) against a float64 hand computation. */
class BcosGeluTest {
  private static final double[] X = {-2.0, -0.75, 0.0, 0.3, 1.0, 1.9};

  @Test
  void shouldBeXTimesTheNormalCdf() {
    try (NDManager m = NDManager.newBaseManager()) {
      double[] out = BcosOps.gelu(m.create(X), false).toDoubleArray();
      for (int i = 0; i < X.length; i++) {
        assertEquals(X[i] * phi(X[i]), out[i], 1e-12, "x = " + X[i]);
      }
    }
  }

  @Test
  void shouldHaveGradientPhiInExplanationModeAndTheFullDerivativeOtherwise() {
    try (NDManager m = NDManager.newBaseManager()) {
      double[] detached = gradient(m, true);
      double[] full = gradient(m, false);
      for (int i = 0; i < X.length; i++) {
        double density = Math.exp(-X[i] * X[i] / 2) / Math.sqrt(2 * Math.PI);
        assertEquals(phi(X[i]), detached[i], 1e-12, "explain, x = " + X[i]);
        assertEquals(phi(X[i]) + X[i] * density, full[i], 1e-12, "x = " + X[i]);
      }
    }
  }

  private static double[] gradient(NDManager m, boolean explain) {
    NDArray x = m.create(X);
    x.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.backward(BcosOps.gelu(x, explain).sum());
    }
    return x.getGradient().toDoubleArray();
  }

  /** Φ(x) = (1 + erf(x/√2)) / 2, with erf from its Maclaurin series (|x| ≤ 2: error < 1e-14). */
  static double phi(double x) {
    double z = x / Math.sqrt(2);
    double term = z;
    double sum = z;
    for (int n = 1; n < 60; n++) {
      term *= -z * z / n;
      sum += term / (2 * n + 1);
    }
    return 0.5 * (1 + 2 / Math.sqrt(Math.PI) * sum);
  }
}
