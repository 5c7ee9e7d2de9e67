package dev.candor.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * Erasure-based faithfulness (ERASER-style Comprehensiveness and Sufficiency), following the B-cos
 * LM protocol: rank non-special tokens by signed attribution and perturb the top k for every
 * fraction k.
 */
public final class Faithfulness {

  private Faithfulness() {}

  /** Drop in predicted-class probability when the top-k tokens are masked. Higher is better. */
  public static FaithfulnessResult comprehensiveness(
      ProbabilityModel model, List<ExplainedExample> examples, MaskingProtocol protocol) {
    return evaluate(FaithfulnessResult.Metric.COMPREHENSIVENESS, model, examples, protocol);
  }

  /** Drop in predicted-class probability when only the top-k tokens are kept. Lower is better. */
  public static FaithfulnessResult sufficiency(
      ProbabilityModel model, List<ExplainedExample> examples, MaskingProtocol protocol) {
    return evaluate(FaithfulnessResult.Metric.SUFFICIENCY, model, examples, protocol);
  }

  private static FaithfulnessResult evaluate(
      FaithfulnessResult.Metric metric,
      ProbabilityModel model,
      List<ExplainedExample> examples,
      MaskingProtocol protocol) {
    List<Double> fractions = protocol.fractions();
    double[] perExample = new double[examples.size()];
    double[] fractionSums = new double[fractions.size()];
    int scored = 0;
    for (int e = 0; e < examples.size(); e++) {
      double[] drops = drops(metric, model, examples.get(e), fractions);
      if (drops == null) {
        perExample[e] = Double.NaN;
        continue;
      }
      double sum = 0.0;
      for (int f = 0; f < drops.length; f++) {
        sum += drops[f];
        fractionSums[f] += drops[f];
      }
      perExample[e] = sum / drops.length;
      scored++;
    }
    double[] perFraction = new double[fractions.size()];
    for (int f = 0; f < perFraction.length; f++) {
      perFraction[f] = scored == 0 ? Double.NaN : fractionSums[f] / scored;
    }
    return new FaithfulnessResult(
        metric,
        protocol,
        perExample,
        perFraction,
        Ranking.finiteMean(perExample),
        examples.size() - scored);
  }

  /** Probability drop per fraction, or null when the example has nothing to perturb. */
  private static double[] drops(
      FaithfulnessResult.Metric metric,
      ProbabilityModel model,
      ExplainedExample ex,
      List<Double> fractions) {
    boolean[] candidate = new boolean[ex.special().length];
    for (int i = 0; i < candidate.length; i++) {
      candidate[i] = !ex.special()[i];
    }
    int[] ranked = Ranking.descending(ex.attributions(), candidate);
    if (ranked.length == 0) {
      return null;
    }
    // The unperturbed input rides in the same batch so the model is called once per example.
    List<int[]> batch = new ArrayList<>(fractions.size() + 1);
    batch.add(ex.tokenIds().clone());
    for (double fraction : fractions) {
      int k = MaskingProtocol.tokenCount(fraction, ranked.length);
      batch.add(perturb(metric, ex, ranked, k));
    }
    double[][] probs = model.probabilities(batch);
    if (probs == null || probs.length != batch.size()) {
      throw new IllegalStateException(
          "model returned "
              + (probs == null ? "null" : probs.length)
              + " rows for a batch of "
              + batch.size());
    }
    int c = ex.predictedClass();
    double original = classProbability(probs[0], c);
    double[] drops = new double[fractions.size()];
    for (int f = 0; f < drops.length; f++) {
      drops[f] = original - classProbability(probs[f + 1], c);
    }
    return drops;
  }

  static int[] perturb(FaithfulnessResult.Metric metric, ExplainedExample ex, int[] ranked, int k) {
    int[] ids = ex.tokenIds().clone();
    if (metric == FaithfulnessResult.Metric.COMPREHENSIVENESS) {
      for (int r = 0; r < k; r++) {
        ids[ranked[r]] = ex.maskTokenId();
      }
    } else {
      for (int r = k; r < ranked.length; r++) {
        ids[ranked[r]] = ex.maskTokenId();
      }
    }
    return ids;
  }

  private static double classProbability(double[] row, int c) {
    if (row == null || c >= row.length) {
      throw new IllegalStateException("model returned no probability for class " + c);
    }
    return row[c];
  }
}
