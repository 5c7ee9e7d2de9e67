package dev.candor.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BcosOpsTest {

  @Test
  void shouldMatchHandComputedBcosLinearInFloat64() {
    try (NDManager m = NDManager.newBaseManager()) {
      double[] x = {1.0, -2.0, 0.5};
      double[][] w = {{0.3, 0.1, -0.7}, {-1.0, 2.0, 0.25}};
      double b = 2.0;
      NDArray out =
          BcosOps.bcosLinear(
              m.create(x, new Shape(1, 3)), m.create(flatten(w), new Shape(2, 3)), b, false);
      double normX = Math.sqrt(1 + 4 + 0.25 + 1e-6);
      for (int o = 0; o < 2; o++) {
        double rowNorm = Math.sqrt(w[o][0] * w[o][0] + w[o][1] * w[o][1] + w[o][2] * w[o][2]);
        double lin = (w[o][0] * x[0] + w[o][1] * x[1] + w[o][2] * x[2]) / rowNorm;
        double expected = lin * Math.pow(Math.abs(lin / normX) + 1e-6, b - 1);
        assertEquals(expected, out.toDoubleArray()[o], 1e-12);
      }
    }
  }

  @Test
  void shouldBePlainNormalisedLinearForBEqualsOne() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new double[] {3, 4}, new Shape(1, 2));
      NDArray w = m.create(new double[] {2, 0}, new Shape(1, 2));
      assertEquals(3.0, BcosOps.bcosLinear(x, w, 1.0, false).toDoubleArray()[0], 1e-12);
    }
  }

  @Test
  void shouldHaveFiniteDifferenceGradientsForBcosLinear() {
    Random r = new Random(1);
    try (NDManager m = NDManager.newBaseManager()) {
      double[] x = gaussian(r, 3 * 5);
      double[] w = gaussian(r, 4 * 5);
      double[] probe = gaussian(r, 3 * 4);
      NDArray p = m.create(probe, new Shape(3, 4));
      NDArray wArr = m.create(w, new Shape(4, 5));
      Function<double[], Double> f =
          xs ->
              BcosOps.bcosLinear(m.create(xs, new Shape(3, 5)), wArr, 1.7, false)
                  .mul(p)
                  .sum()
                  .getDouble();
      NDArray xArr = m.create(x, new Shape(3, 5));
      xArr.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(BcosOps.bcosLinear(xArr, wArr, 1.7, false).mul(p).sum());
      }
      assertGradient(f, x, xArr.getGradient().toDoubleArray());

      NDArray xFixed = m.create(x, new Shape(3, 5));
      Function<double[], Double> fw =
          ws ->
              BcosOps.bcosLinear(xFixed, m.create(ws, new Shape(4, 5)), 1.7, false)
                  .mul(p)
                  .sum()
                  .getDouble();
      NDArray wGrad = m.create(w, new Shape(4, 5));
      wGrad.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(BcosOps.bcosLinear(xFixed, wGrad, 1.7, false).mul(p).sum());
      }
      assertGradient(fw, w, wGrad.getGradient().toDoubleArray());
    }
  }

  static void assertGradient(Function<double[], Double> f, double[] at, double[] analytic) {
    double h = 1e-6;
    for (int i = 0; i < at.length; i++) {
      double[] plus = at.clone();
      double[] minus = at.clone();
      plus[i] += h;
      minus[i] -= h;
      double numeric = (f.apply(plus) - f.apply(minus)) / (2 * h);
      double tol = 1e-6 * Math.max(1.0, Math.abs(numeric));
      assertTrue(
          Math.abs(numeric - analytic[i]) < tol,
          "d/dx[" + i + "]: finite difference " + numeric + " vs autograd " + analytic[i]);
    }
  }

  static double[] gaussian(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian();
    }
    return v;
  }

  private static double[] flatten(double[][] a) {
    double[] out = new double[a.length * a[0].length];
    for (int i = 0; i < a.length; i++) {
      System.arraycopy(a[i], 0, out, i * a[0].length, a[0].length);
    }
    return out;
  }
}
