package dev.candor.evaluation.posthoc;

import dev.candor.model.CandorModel;
import dev.candor.model.explain.ExplanationTarget;
import dev.candor.model.tokenize.TokenizedText;
import java.util.List;

/**
 * Occlusion as the B-cos LM paper's baselines compute it: the drop in the explained logit (or, for
 * the relative target, in the logit minus the mean of the others) when one token is replaced by the
 * [PAD] token, which stays inside the attention mask (the token is occluded, the length kept).
 * Special tokens are never occluded and score 0. One forward per non-special token.
 */
public final class LogitOcclusion implements TokenExplainer {
  private final ExplanationTarget what;

  public LogitOcclusion(ExplanationTarget what) {
    this.what = what;
  }

  @Override
  public String name() {
    return "occlusion-pad";
  }

  @Override
  public String target() {
    return what.id();
  }

  @Override
  public String describe() {
    return "occlusion-pad: drop in the target "
        + (what == ExplanationTarget.LOGIT ? "logit" : "logit − mean of the others")
        + " when one token is replaced by [PAD] (kept inside the attention mask; specials score"
        + " 0)";
  }

  @Override
  public double[][] explain(CandorModel model, List<TokenizedText> texts, int[] targets) {
    ModelProbabilities forward = new ModelProbabilities(model);
    long pad = model.tokenizer().padId();
    double[][] out = new double[texts.size()][];
    for (int t = 0; t < texts.size(); t++) {
      OccludedCopies copies = OccludedCopies.of(texts.get(t), pad);
      double[][] z = forward.logitsOfIds(copies.rows());
      int target = targets[t];
      double original = what.value(z[0], target);
      out[t] = copies.perToken(texts.get(t).length(), r -> original - what.value(z[r + 1], target));
    }
    return out;
  }
}
