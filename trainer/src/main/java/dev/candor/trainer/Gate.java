package dev.candor.trainer;

import dev.candor.evaluation.BiasMetrics;
import dev.candor.evaluation.BiasReport;
import dev.candor.evaluation.ExplainedExample;
import dev.candor.evaluation.Faithfulness;
import dev.candor.evaluation.MaskingProtocol;
import dev.candor.evaluation.posthoc.ModelProbabilities;
import dev.candor.model.CandorModel;
import dev.candor.model.data.Example;
import dev.candor.model.explain.Explainer;
import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.Prediction;
import dev.candor.model.tokenize.TokenizedText;
import dev.candor.model.train.ClassificationMetrics;
import dev.candor.model.train.LabelledScoring;
import dev.candor.trainer.feedback.FeedbackItem;
import dev.candor.trainer.internals.RoundTrainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The evaluation gate: the same figures for production and candidate on one fixed held-out set, and
 * a decision that promotes only a candidate no worse than production beyond the tolerances.
 *
 * <p>Figures (all from the model's forward pass or its exact B-cos explanation): {@code accuracy},
 * {@code macro_f1}, {@code auroc} (binary: z_1 − z_0; more classes: one-vs-one macro AUROC of the
 * probabilities), {@code comp} (B-cos Comprehensiveness, paper deciles, predicted class, over the
 * first {@code explainSize} held-out texts), the Jigsaw bias power means {@code bias_subgroup_auc},
 * {@code bias_bpsn_auc}, {@code bias_bnsp_auc} (with more than two classes: toxic = every class but
 * "normal", scored by 1 − p(normal)) over HateXplain's ten bias-evaluation communities named in the
 * held-out rows' {@code targets}, and {@code marked_share}: the mean share of |attribution|
 * (predicted class, non-special tokens) that falls on reviewer-marked tokens of held-out feedback
 * texts (lower is better). A figure that is not finite for either model (e.g. no marked held-out
 * text) is not compared.
 */
public final class Gate {
  private Gate() {}

  /** A held-out feedback text with its marks. */
  public record MarkedText(String text, List<FeedbackItem.Span> spans) {}

  /** Computes the figures of one model. */
  public static Map<String, Double> figures(
      CandorModel model, List<Example> heldOut, List<MarkedText> marked, int explainSize) {
    List<Prediction> preds = LabelledScoring.predict(model, heldOut, 32, done -> {});
    Map<String, Double> out = predictionFigures(heldOut, preds, model.config().labels());
    try (Explainer explainer = new Explainer(model)) {
      out.put("comp", comp(model, explainer, heldOut, explainSize));
      out.put("marked_share", markedShare(model, explainer, marked));
    }
    return out;
  }

  /**
   * The figures that need only the forward pass — {@code accuracy}, {@code macro_f1}, {@code auroc}
   * and the three bias power means — from predictions made earlier, so that they can be recomputed
   * on resamples without running the model again.
   *
   * @param rows labelled rows (with HateXplain {@code targets} in their raw JSON for the bias AUCs)
   * @param preds one prediction per row, in order
   * @param labelNames the model's class names
   * @return figure name → value (NaN where it cannot be computed)
   */
  public static Map<String, Double> predictionFigures(
      List<Example> rows, List<Prediction> preds, List<String> labelNames) {
    if (rows.size() != preds.size()) {
      throw new IllegalArgumentException(
          rows.size() + " rows but " + preds.size() + " predictions");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    int k = labelNames.size();
    ClassificationMetrics m = LabelledScoring.metrics(rows, preds, k);
    // bias: toxic vs benign, scored by z_toxic − z_normal (binary) or 1 − p(normal)
    int[] labels = rows.stream().mapToInt(Example::label).toArray();
    double[] score = new double[rows.size()];
    double[][] probabilities = new double[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      double[] z = preds.get(i).logits();
      score[i] = z[k - 1] - z[0];
      probabilities[i] = preds.get(i).probabilities();
    }
    out.put("accuracy", m.accuracy());
    out.put("macro_f1", m.macroF1());
    out.put("auroc", m.auroc());
    Map<String, boolean[]> groups = subgroups(rows);
    double sub = Double.NaN;
    double bpsn = Double.NaN;
    double bnsp = Double.NaN;
    if (!groups.isEmpty()) {
      int benign = BiasMetrics.benignClass(labelNames);
      BiasReport r =
          k == 2
              ? BiasMetrics.compute(labels, score, groups)
              : BiasMetrics.compute(
                  BiasMetrics.toxicVsBenign(labels, benign),
                  BiasMetrics.toxicScore(probabilities, benign),
                  groups);
      if (!r.subgroups().isEmpty()) {
        sub = r.subgroupPowerMean();
        bpsn = r.bpsnPowerMean();
        bnsp = r.bnspPowerMean();
      }
    }
    out.put("bias_subgroup_auc", sub);
    out.put("bias_bpsn_auc", bpsn);
    out.put("bias_bnsp_auc", bnsp);
    return out;
  }

  private static double comp(
      CandorModel model, Explainer explainer, List<Example> heldOut, int explainSize) {
    List<TokenizedText> texts = new ArrayList<>();
    for (Example e : heldOut) {
      if (texts.size() >= explainSize) {
        break;
      }
      if (!e.text().isBlank()) {
        texts.add(model.tokenizer().encode(e.text()));
      }
    }
    if (texts.isEmpty()) {
      return Double.NaN;
    }
    List<ExplainedExample> explained = new ArrayList<>();
    int mask = (int) model.tokenizer().maskId();
    for (int from = 0; from < texts.size(); from += 32) {
      List<TokenizedText> part = texts.subList(from, Math.min(texts.size(), from + 32));
      List<Explanation> ex = explainer.explainTokenized(part, null);
      for (int i = 0; i < part.size(); i++) {
        TokenizedText t = part.get(i);
        int[] ids = new int[t.length()];
        double[] a = new double[t.length()];
        for (int j = 0; j < ids.length; j++) {
          ids[j] = (int) t.ids()[j];
          a[j] = ex.get(i).tokens().get(j).attribution();
        }
        explained.add(
            new ExplainedExample(ids, t.special(), a, ex.get(i).prediction().predicted(), mask));
      }
    }
    return Faithfulness.comprehensiveness(
            new ModelProbabilities(model), explained, MaskingProtocol.paperDeciles())
        .mean();
  }

  /**
   * Mean share of |attribution| (predicted class, non-special tokens) on marked tokens over texts;
   * NaN without marked texts.
   */
  public static double markedShare(CandorModel model, List<MarkedText> marked) {
    try (Explainer explainer = new Explainer(model)) {
      return markedShare(model, explainer, marked);
    }
  }

  static double markedShare(CandorModel model, Explainer explainer, List<MarkedText> marked) {
    double sum = 0;
    int n = 0;
    for (int from = 0; from < marked.size(); from += 32) {
      List<MarkedText> part = marked.subList(from, Math.min(marked.size(), from + 32));
      List<TokenizedText> tok = new ArrayList<>();
      for (MarkedText t : part) {
        tok.add(model.tokenizer().encode(t.text()));
      }
      List<Explanation> ex = explainer.explainTokenized(tok, null);
      for (int i = 0; i < part.size(); i++) {
        float[] isMarked = RoundTrainer.markedTokens(tok.get(i), part.get(i).spans());
        double on = 0;
        double all = 0;
        for (int j = 0; j < isMarked.length; j++) {
          if (tok.get(i).special()[j]) {
            continue;
          }
          double a = Math.abs(ex.get(i).tokens().get(j).attribution());
          all += a;
          if (isMarked[j] > 0) {
            on += a;
          }
        }
        if (all > 0) {
          sum += on / all;
          n++;
        }
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /**
   * Membership per community of HateXplain's bias evaluation ({@link
   * BiasMetrics#HATEXPLAIN_COMMUNITIES}) named in the rows' {@code targets}; the evaluation module
   * measures bias over the same ten.
   */
  static Map<String, boolean[]> subgroups(List<Example> rows) {
    Map<String, boolean[]> out = BiasMetrics.hateXplainMembership(rows);
    // communities no row names are left out; groups too small to have both classes on both sides
    // are skipped by BiasMetrics itself
    out.values().removeIf(member -> IntStream.range(0, member.length).noneMatch(i -> member[i]));
    return out;
  }

  /** The verdict: promote, or the figures that failed. */
  public record Decision(boolean promote, List<String> reasons) {}

  /**
   * Compares figures. Higher is better except for {@code marked_share}.
   *
   * @param tolerances how much worse each figure may be
   */
  public static Decision decide(
      Map<String, Double> candidate,
      Map<String, Double> production,
      Map<String, Double> tolerances) {
    List<String> reasons = new ArrayList<>();
    for (Map.Entry<String, Double> t : tolerances.entrySet()) {
      String f = t.getKey();
      Double c = candidate.get(f);
      Double p = production.get(f);
      if (c == null || p == null || !Double.isFinite(c) || !Double.isFinite(p)) {
        continue;
      }
      boolean lowerIsBetter = f.equals("marked_share");
      double worseBy = lowerIsBetter ? c - p : p - c;
      if (worseBy > t.getValue() + 1e-12) {
        reasons.add(
            String.format(
                Locale.ROOT,
                "%s: candidate %.4f vs production %.4f (%s by %.4f, tolerance %.4f)",
                f,
                c,
                p,
                lowerIsBetter ? "higher" : "lower",
                worseBy,
                t.getValue()));
      }
    }
    return new Decision(reasons.isEmpty(), reasons);
  }
}
