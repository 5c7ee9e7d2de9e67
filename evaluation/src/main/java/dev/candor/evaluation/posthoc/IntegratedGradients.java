package dev.candor.evaluation.posthoc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.candor.model.CandorModel;
import dev.candor.model.explain.ExplanationTarget;
import dev.candor.model.nn.TransformerClassifier;
import dev.candor.model.tokenize.TokenizedText;
import java.util.Arrays;
import java.util.List;

/**
 * Integrated Gradients of the target logit from a zero baseline at the post-LayerNorm embeddings,
 * midpoint Riemann sum over {@code steps} points α = (k + ½)/steps. The interpolation points of one
 * text go through the model together, at most {@code maxRows} per forward/backward. Completeness:
 * the scores sum to f(x) − f(0) up to the O(1/steps²) quadrature error.
 */
public final class IntegratedGradients implements TokenExplainer {
  private final int steps;
  private final int maxRows;
  private final ExplanationTarget what;

  public IntegratedGradients(int steps) {
    this(steps, 32);
  }

  public IntegratedGradients(int steps, int maxRows) {
    this(steps, maxRows, ExplanationTarget.LOGIT);
  }

  public IntegratedGradients(int steps, int maxRows, ExplanationTarget what) {
    if (steps < 1 || maxRows < 1) {
      throw new IllegalArgumentException("steps and maxRows must be positive");
    }
    this.steps = steps;
    this.maxRows = maxRows;
    this.what = what;
  }

  @Override
  public String target() {
    return what.id();
  }

  @Override
  public String name() {
    return "ig";
  }

  @Override
  public String describe() {
    return "ig: Integrated Gradients of the target "
        + (what == ExplanationTarget.LOGIT ? "logit" : "logit − mean of the others")
        + ", "
        + steps
        + " midpoint steps, zero baseline"
        + " at the post-LayerNorm embeddings";
  }

  @Override
  public double[][] explain(CandorModel model, List<TokenizedText> texts, int[] targets) {
    double[][] out = new double[texts.size()][];
    for (int i = 0; i < texts.size(); i++) {
      out[i] = explainOne(model, texts.get(i), targets[i]);
    }
    return out;
  }

  private double[] explainOne(CandorModel model, TokenizedText text, int target) {
    TransformerClassifier net = model.network();
    try (NDScope ignored = new NDScope()) {
      Gradients.Inputs in = Gradients.inputs(model, List.of(text));
      NDArray x = in.embeddings(); // [1, len, hidden]
      int len = text.length();
      NDArray gradSum = null;
      for (int from = 0; from < steps; from += maxRows) {
        int rows = Math.min(maxRows, steps - from);
        float[] alphas = new float[rows];
        for (int r = 0; r < rows; r++) {
          alphas[r] = (float) ((from + r + 0.5) / steps);
        }
        NDArray alpha = net.manager().create(alphas, new Shape(rows, 1, 1));
        if (x.getDataType() != DataType.FLOAT32) {
          alpha = alpha.toType(x.getDataType(), false);
        }
        int[] lengths = new int[rows];
        Arrays.fill(lengths, len);
        int[] t = new int[rows];
        Arrays.fill(t, target);
        NDArray g =
            Gradients.ofTarget(net, x.mul(alpha), net.additiveMask(lengths, len), t, false, what)
                .sum(new int[] {0}, true);
        gradSum = gradSum == null ? g : gradSum.add(g);
      }
      // (x − 0) · mean gradient; the 1/steps factor is applied in Java to avoid a scalar op.
      double[] sums =
          gradSum.mul(x).sum(new int[] {-1}).toType(DataType.FLOAT64, false).toDoubleArray();
      double[] scores = new double[len];
      for (int j = 0; j < len; j++) {
        scores[j] = sums[j] / steps;
      }
      return scores;
    }
  }
}
