package dev.candor.evaluation.posthoc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.candor.model.CandorModel;
import dev.candor.model.tokenize.TokenizedText;
import java.util.List;

/**
 * Saliency: the L2 norm over the hidden dimension of the target logit's gradient at the
 * post-LayerNorm embeddings (ordinary graph, nothing detached). Unsigned, so it ranks importance,
 * not direction.
 */
public final class Saliency implements TokenExplainer {

  @Override
  public String name() {
    return "saliency";
  }

  @Override
  public String describe() {
    return "saliency: L2 norm of the gradient of the target logit at the post-LayerNorm embeddings"
        + " (unsigned)";
  }

  @Override
  public double[][] explain(CandorModel model, List<TokenizedText> texts, int[] targets) {
    try (NDScope ignored = new NDScope()) {
      Gradients.Inputs in = Gradients.inputs(model, texts);
      NDArray g =
          Gradients.ofTargetLogit(model.network(), in.embeddings(), in.mask(), targets, false);
      return Gradients.rows(g.square().sum(new int[] {-1}).sqrt(), in.batch());
    }
  }
}
