package dev.candor.evaluation.posthoc;

import dev.candor.model.CandorModel;
import dev.candor.model.tokenize.TokenizedText;
import java.util.List;

/**
 * Attention rollout (Abnar &amp; Zuidema 2020): per layer the head-averaged attention plus the
 * identity for the residual, Â = ½A + ½I with rows renormalised; R = Â_L ⋯ Â_1; the score of token
 * j is R[CLS, j]. Class-agnostic; each row sums to 1.
 */
public final class AttentionRollout implements TokenExplainer {

  @Override
  public String name() {
    return "rollout";
  }

  @Override
  public String target() {
    return "none";
  }

  @Override
  public String describe() {
    return "rollout: attention rollout (½A + ½I per layer, head-averaged, rows renormalised), [CLS]"
        + " row (class-agnostic)";
  }

  @Override
  public double[][] explain(CandorModel model, List<TokenizedText> texts, int[] targets) {
    double[][][][] layers = AttentionWeights.headAveraged(model, texts);
    double[][] out = new double[texts.size()][];
    for (int i = 0; i < texts.size(); i++) {
      int len = texts.get(i).length();
      double[][] rollout = identity(len);
      for (double[][][] layer : layers) {
        rollout = multiply(withResidual(layer[i]), rollout);
      }
      out[i] = rollout[0];
    }
    return out;
  }

  static double[][] withResidual(double[][] a) {
    int n = a.length;
    double[][] r = new double[n][n];
    for (int q = 0; q < n; q++) {
      double sum = 0;
      for (int k = 0; k < n; k++) {
        r[q][k] = 0.5 * a[q][k] + (q == k ? 0.5 : 0.0);
        sum += r[q][k];
      }
      for (int k = 0; k < n; k++) {
        r[q][k] /= sum;
      }
    }
    return r;
  }

  private static double[][] identity(int n) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = 1;
    }
    return m;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    double[][] c = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        double v = a[i][k];
        for (int j = 0; j < n; j++) {
          c[i][j] += v * b[k][j];
        }
      }
    }
    return c;
  }
}
