package dev.candor.evaluation.posthoc;

import dev.candor.model.CandorModel;
import dev.candor.model.tokenize.TokenizedText;
import java.util.List;

/**
 * Token occlusion: the drop in the target's softmax probability when one token is replaced by the
 * mask token. Special tokens are never occluded and score 0.
 *
 * <p>This is the very perturbation Comprehensiveness applies (one token at a time), so ranking by
 * it greedily optimises that metric: reports label it the metric-aligned upper reference, not a
 * post-hoc baseline. {@link LogitOcclusion} is the paper's occlusion baseline.
 */
public final class Occlusion implements TokenExplainer {

  @Override
  public String name() {
    return "occlusion";
  }

  @Override
  public String describe() {
    return "occlusion: the metric-aligned upper reference, not a post-hoc baseline: drop in the"
        + " target's softmax probability when one token is replaced by [MASK], the"
        + " perturbation Comp itself applies (specials score 0)";
  }

  @Override
  public double[][] explain(CandorModel model, List<TokenizedText> texts, int[] targets) {
    ModelProbabilities probs = new ModelProbabilities(model);
    long mask = model.tokenizer().maskId();
    double[][] out = new double[texts.size()][];
    for (int t = 0; t < texts.size(); t++) {
      OccludedCopies copies = OccludedCopies.of(texts.get(t), mask);
      double[][] p = probs.ofIds(copies.rows());
      int target = targets[t];
      out[t] = copies.perToken(texts.get(t).length(), r -> p[0][target] - p[r + 1][target]);
    }
    return out;
  }
}
