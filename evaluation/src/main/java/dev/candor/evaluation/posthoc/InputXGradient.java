package dev.candor.evaluation.posthoc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.candor.model.CandorModel;
import dev.candor.model.explain.ExplanationTarget;
import dev.candor.model.tokenize.TokenizedText;
import java.util.List;

/**
 * Input × gradient of the target logit at the post-LayerNorm embeddings, summed over the hidden
 * dimension. The baseline uses the ordinary graph; with {@code explanationMode} on a B-cos model it
 * is exactly the B-cos explanation (a check the tests make).
 */
public final class InputXGradient implements TokenExplainer {
  private final boolean explanationMode;
  private final ExplanationTarget what;

  public InputXGradient() {
    this(false);
  }

  public InputXGradient(boolean explanationMode) {
    this(explanationMode, ExplanationTarget.LOGIT);
  }

  public InputXGradient(boolean explanationMode, ExplanationTarget what) {
    this.explanationMode = explanationMode;
    this.what = what;
  }

  @Override
  public String target() {
    return what.id();
  }

  @Override
  public String name() {
    return "ixg";
  }

  @Override
  public String describe() {
    return "ixg: input × gradient of the target "
        + (what == ExplanationTarget.LOGIT ? "logit" : "logit − mean of the others")
        + " at the post-LayerNorm embeddings, summed over the hidden dimension"
        + (explanationMode ? " (explanation mode)" : " (nothing detached)");
  }

  @Override
  public double[][] explain(CandorModel model, List<TokenizedText> texts, int[] targets) {
    try (NDScope ignored = new NDScope()) {
      Gradients.Inputs in = Gradients.inputs(model, texts);
      NDArray g =
          Gradients.ofTarget(
              model.network(), in.embeddings(), in.mask(), targets, explanationMode, what);
      return Gradients.rows(g.mul(in.embeddings()).sum(new int[] {-1}), in.batch());
    }
  }
}
