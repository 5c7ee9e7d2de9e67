package dev.candor.evaluation.posthoc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.candor.model.CandorModel;
import dev.candor.model.explain.ExplanationTarget;
import dev.candor.model.tokenize.TokenizedText;
import java.util.List;

/**
 * Saliency: the L2 norm over the hidden dimension of the target logit's gradient at the
 * post-LayerNorm embeddings (ordinary graph, nothing detached). Unsigned, so it ranks importance,
 * not direction.
 */
public final class Saliency implements TokenExplainer {
  private final ExplanationTarget what;

  public Saliency() {
    this(ExplanationTarget.LOGIT);
  }

  public Saliency(ExplanationTarget what) {
    this.what = what;
  }

  @Override
  public String target() {
    return what.id();
  }

  @Override
  public String name() {
    return "saliency";
  }

  @Override
  public String describe() {
    return "saliency: L2 norm of the gradient of the target "
        + (what == ExplanationTarget.LOGIT ? "logit" : "logit − mean of the others")
        + " at the post-LayerNorm embeddings (unsigned)";
  }

  @Override
  public double[][] explain(CandorModel model, List<TokenizedText> texts, int[] targets) {
    try (NDScope ignored = new NDScope()) {
      Gradients.Inputs in = Gradients.inputs(model, texts);
      NDArray g =
          Gradients.ofTarget(model.network(), in.embeddings(), in.mask(), targets, false, what);
      return Gradients.rows(g.square().sum(new int[] {-1}).sqrt(), in.batch());
    }
  }
}
