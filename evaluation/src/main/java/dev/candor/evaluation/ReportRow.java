package dev.candor.evaluation;

import dev.candor.model.train.ClassificationMetrics;

/**
 * One (model, explainer) line of an evaluation report. Null means "not measured"; NaN is stored as
 * null so an undefined metric can never print as a number. Bias columns are the Jigsaw power means.
 *
 * @param bcos whether the model is a B-cos model (null: unknown); model-level
 * @param b the model's B (null for a conventional or unknown model)
 * @param sweep true for a B-sweep model (evaluated with the bcos explainer only, on a smaller
 *     training budget); such models feed the B sweep, not the targets
 * @param target what the explainer's scores explain: {@code logit}, {@code relative}, {@code
 *     probability} or {@code none} (class-agnostic); null when not recorded
 * @param explainerSteps IG steps, Shapley permutations or LIME samples (null for other explainers)
 * @param compAuc area under the Comp curve over k ({@link FaithfulnessResult#auc()})
 * @param suffAuc area under the Suff curve over k
 * @param meanPredictedProbability the model's mean predicted-class probability on the texts
 *     (model-level): the most any Comp can reach at k = 100%
 * @param plausibilityTopKF1 top-k F1 against the HateXplain rationale (k = rationale size)
 * @param entropy mean normalised entropy of |attribution| over non-special tokens ({@link
 *     ExplanationEntropy#normalized}); low means sparse
 * @param toxicSpansAuprc average precision of the toxic-class explanation against Toxic Spans
 * @param toxicSpansTopKF1 top-k F1 of the toxic-class explanation against Toxic Spans
 * @param toxicSpansTexts Toxic Spans texts with at least one span token that entered the means
 */
public record ReportRow(
    String model,
    String explainer,
    Boolean bcos,
    Double b,
    boolean sweep,
    String target,
    Integer explainerSteps,
    Double accuracy,
    Double macroF1,
    Double auroc,
    Double comp,
    Double suff,
    Double compAuc,
    Double suffAuc,
    Double meanPredictedProbability,
    Double seqPg,
    Double plausibilityAuprc,
    Double plausibilityTopKF1,
    Double entropy,
    Double biasSubgroupAuc,
    Double biasBpsnAuc,
    Double biasBnspAuc,
    Double explainMsPerText,
    Double toxicSpansAuprc,
    Double toxicSpansTopKF1,
    Integer toxicSpansTexts) {

  public ReportRow {
    if (model == null || explainer == null) {
      throw new IllegalArgumentException("model and explainer are required");
    }
    b = finite(b);
    accuracy = finite(accuracy);
    macroF1 = finite(macroF1);
    auroc = finite(auroc);
    comp = finite(comp);
    suff = finite(suff);
    compAuc = finite(compAuc);
    suffAuc = finite(suffAuc);
    meanPredictedProbability = finite(meanPredictedProbability);
    seqPg = finite(seqPg);
    plausibilityAuprc = finite(plausibilityAuprc);
    plausibilityTopKF1 = finite(plausibilityTopKF1);
    entropy = finite(entropy);
    biasSubgroupAuc = finite(biasSubgroupAuc);
    biasBpsnAuc = finite(biasBpsnAuc);
    biasBnspAuc = finite(biasBnspAuc);
    explainMsPerText = finite(explainMsPerText);
    toxicSpansAuprc = finite(toxicSpansAuprc);
    toxicSpansTopKF1 = finite(toxicSpansTopKF1);
  }

  public static Builder builder(String model, String explainer) {
    return new Builder(model, explainer);
  }

  private static Double finite(Double v) {
    return v == null || !Double.isFinite(v) ? null : v;
  }

  public static final class Builder {
    private final String model;
    private final String explainer;
    private Boolean bcos;
    private Double b;
    private boolean sweep;
    private String target;
    private Double compAuc, suffAuc, meanPredictedProbability;
    private Integer explainerSteps, toxicSpansTexts;
    private Double accuracy,
        macroF1,
        auroc,
        comp,
        suff,
        seqPg,
        plausibilityAuprc,
        plausibilityTopKF1;
    private Double entropy, biasSubgroupAuc, biasBpsnAuc, biasBnspAuc, explainMsPerText;
    private Double toxicSpansAuprc, toxicSpansTopKF1;

    private Builder(String model, String explainer) {
      this.model = model;
      this.explainer = explainer;
    }

    /** The kind of model: B-cos with its B, or conventional (B is then dropped). */
    public Builder modelKind(boolean isBcos, double alignmentB) {
      bcos = isBcos;
      b = isBcos ? alignmentB : null;
      return this;
    }

    /** Marks a B-sweep model's row. */
    public Builder sweep(boolean v) {
      sweep = v;
      return this;
    }

    public Builder classification(ClassificationMetrics r) {
      accuracy = r.accuracy();
      macroF1 = r.macroF1();
      auroc = r.auroc();
      return this;
    }

    public Builder bias(BiasReport r) {
      biasSubgroupAuc = r.subgroupPowerMean();
      biasBpsnAuc = r.bpsnPowerMean();
      biasBnspAuc = r.bnspPowerMean();
      return this;
    }

    public Builder plausibility(PlausibilityResult r) {
      plausibilityAuprc = r.meanAuprc();
      plausibilityTopKF1 = r.meanTopKF1();
      return this;
    }

    public Builder toxicSpans(PlausibilityResult r) {
      toxicSpansAuprc = r.meanAuprc();
      toxicSpansTopKF1 = r.meanTopKF1();
      toxicSpansTexts = r.evaluated();
      return this;
    }

    public Builder target(String v) {
      target = v;
      return this;
    }

    public Builder compAuc(Double v) {
      compAuc = v;
      return this;
    }

    public Builder suffAuc(Double v) {
      suffAuc = v;
      return this;
    }

    public Builder meanPredictedProbability(Double v) {
      meanPredictedProbability = v;
      return this;
    }

    public Builder explainerSteps(Integer v) {
      explainerSteps = v;
      return this;
    }

    public Builder accuracy(Double v) {
      accuracy = v;
      return this;
    }

    public Builder macroF1(Double v) {
      macroF1 = v;
      return this;
    }

    public Builder auroc(Double v) {
      auroc = v;
      return this;
    }

    public Builder comp(Double v) {
      comp = v;
      return this;
    }

    public Builder suff(Double v) {
      suff = v;
      return this;
    }

    public Builder seqPg(Double v) {
      seqPg = v;
      return this;
    }

    public Builder plausibilityAuprc(Double v) {
      plausibilityAuprc = v;
      return this;
    }

    public Builder plausibilityTopKF1(Double v) {
      plausibilityTopKF1 = v;
      return this;
    }

    public Builder entropy(Double v) {
      entropy = v;
      return this;
    }

    public Builder biasSubgroupAuc(Double v) {
      biasSubgroupAuc = v;
      return this;
    }

    public Builder biasBpsnAuc(Double v) {
      biasBpsnAuc = v;
      return this;
    }

    public Builder biasBnspAuc(Double v) {
      biasBnspAuc = v;
      return this;
    }

    public Builder explainMsPerText(Double v) {
      explainMsPerText = v;
      return this;
    }

    public Builder toxicSpansAuprc(Double v) {
      toxicSpansAuprc = v;
      return this;
    }

    public Builder toxicSpansTopKF1(Double v) {
      toxicSpansTopKF1 = v;
      return this;
    }

    public Builder toxicSpansTexts(Integer v) {
      toxicSpansTexts = v;
      return this;
    }

    public ReportRow build() {
      return new ReportRow(
          model,
          explainer,
          bcos,
          b,
          sweep,
          target,
          explainerSteps,
          accuracy,
          macroF1,
          auroc,
          comp,
          suff,
          compAuc,
          suffAuc,
          meanPredictedProbability,
          seqPg,
          plausibilityAuprc,
          plausibilityTopKF1,
          entropy,
          biasSubgroupAuc,
          biasBpsnAuc,
          biasBnspAuc,
          explainMsPerText,
          toxicSpansAuprc,
          toxicSpansTopKF1,
          toxicSpansTexts);
    }
  }
}
