package dev.candor.evaluation.posthoc;

import dev.candor.model.CandorModel;
import dev.candor.model.explain.Explainer;
import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.ExplanationTarget;
import dev.candor.model.tokenize.TokenizedText;
import java.util.List;

/**
 * The B-cos model's own explanation (exact input × gradient contributions in explanation mode),
 * through the product's {@link Explainer}. That explainer runs on its own thread; the caller blocks
 * meanwhile, so gradient collectors never overlap. The explainer is kept for the model last seen so
 * timings do not include thread start-up.
 */
public final class BcosExplanation implements TokenExplainer {
  private final ExplanationTarget what;
  private CandorModel model;
  private Explainer explainer;

  public BcosExplanation() {
    this(ExplanationTarget.LOGIT);
  }

  public BcosExplanation(ExplanationTarget what) {
    this.what = what;
  }

  @Override
  public String target() {
    return what.id();
  }

  @Override
  public String name() {
    return "bcos";
  }

  @Override
  public String describe() {
    return what == ExplanationTarget.LOGIT
        ? "bcos: the B-cos model's exact contributions (input × gradient of the target logit in"
            + " explanation mode; they sum to the logit)"
        : "bcos: the B-cos model's exact contributions to the target logit minus the mean of the"
            + " other logits (explanation mode; they sum to that difference)";
  }

  @Override
  public double[][] explain(CandorModel model, List<TokenizedText> texts, int[] targets) {
    if (!model.config().bcos()) {
      throw new IllegalArgumentException(
          "the bcos explainer needs a B-cos model; " + model.version() + " is conventional");
    }
    List<Explanation> es = explainerFor(model).explainTokenized(texts, targets);
    double[][] out = new double[es.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = es.get(i).tokens().stream().mapToDouble(t -> t.attribution()).toArray();
    }
    return out;
  }

  private synchronized Explainer explainerFor(CandorModel m) {
    if (m != model) {
      close();
      model = m;
      explainer = new Explainer(m, what);
    }
    return explainer;
  }

  @Override
  public synchronized void close() {
    if (explainer != null) {
      explainer.close();
      explainer = null;
      model = null;
    }
  }
}
