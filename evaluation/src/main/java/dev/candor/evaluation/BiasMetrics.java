package dev.candor.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.model.data.Example;
import dev.candor.model.train.ClassificationMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The Jigsaw Unintended Bias in Toxicity Classification benchmark metrics. */
public final class BiasMetrics {

  /** Jigsaw's power-mean exponent: strongly weights the worst subgroup. */
  public static final double POWER = -5.0;

  /**
   * HateXplain's bias evaluation communities: the ten most frequent target communities of the
   * dataset ("None" and "Other" excluded), as chosen in its {@code Bias_Calculation_NB.ipynb}.
   * Rarer communities (a handful of validation texts each) are left out there, and here, because
   * with the power mean's exponent of −5 one community of five texts decides the whole figure.
   */
  public static final List<String> HATEXPLAIN_COMMUNITIES =
      List.of(
          "African",
          "Islam",
          "Jewish",
          "Homosexual",
          "Women",
          "Refugee",
          "Arab",
          "Caucasian",
          "Asian",
          "Hispanic");

  private BiasMetrics() {}

  /**
   * Membership of each of {@link #HATEXPLAIN_COMMUNITIES} (all ten, in that order), from the
   * HateXplain {@code targets} array in each row's raw JSON; rows without one belong to none.
   *
   * @param rows labelled rows
   * @return community → per-row membership
   */
  public static Map<String, boolean[]> hateXplainMembership(List<Example> rows) {
    Map<String, boolean[]> out = new LinkedHashMap<>();
    for (String c : HATEXPLAIN_COMMUNITIES) {
      out.put(c, new boolean[rows.size()]);
    }
    for (int i = 0; i < rows.size(); i++) {
      JsonNode raw = rows.get(i).raw();
      for (JsonNode t : raw == null ? List.<JsonNode>of() : raw.path("targets")) {
        boolean[] member = out.get(t.asText());
        if (member != null) {
          member[i] = true;
        }
      }
    }
    return out;
  }

  /**
   * The benign class of a model whose bias is measured as toxic vs benign: "normal" when the model
   * has that label (HateXplain's binary and three-class models), else class 0.
   *
   * @param labels the model's class names
   * @return the benign class index
   */
  public static int benignClass(List<String> labels) {
    int normal = labels.indexOf("normal");
    return normal >= 0 ? normal : 0;
  }

  /**
   * Labels collapsed for the bias AUCs of a model with more than two classes: 1 (toxic) for every
   * class but {@code benign}, 0 for {@code benign} — HateXplain's own grouping of hate speech and
   * offensive as toxic.
   *
   * @param labels class index per example
   * @param benign the benign class
   * @return 1 toxic, 0 not, per example
   */
  public static int[] toxicVsBenign(int[] labels, int benign) {
    int[] out = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = labels[i] == benign ? 0 : 1;
    }
    return out;
  }

  /**
   * The toxic score of a model with more than two classes: 1 − p(benign), the probability of all
   * the other classes together.
   *
   * @param probabilities per example, the probability of each class
   * @param benign the benign class
   * @return one score per example
   */
  public static double[] toxicScore(double[][] probabilities, int benign) {
    double[] out = new double[probabilities.length];
    for (int i = 0; i < probabilities.length; i++) {
      out[i] = 1.0 - probabilities[i][benign];
    }
    return out;
  }

  /** With at least one positive and one negative required on each side of every comparison. */
  public static BiasReport compute(
      int[] labels, double[] scores, Map<String, boolean[]> subgroups) {
    return compute(labels, scores, subgroups, 1, 1);
  }

  /**
   * @param labels 1 toxic, 0 not
   * @param scores model score for the toxic class
   * @param subgroups name → per-example membership (identity mentioned / targeted)
   * @param minPositives least toxic examples needed in the subgroup and in its background
   * @param minNegatives least non-toxic examples needed in the subgroup and in its background
   */
  public static BiasReport compute(
      int[] labels,
      double[] scores,
      Map<String, boolean[]> subgroups,
      int minPositives,
      int minNegatives) {
    int n = labels.length;
    if (scores.length != n) {
      throw new IllegalArgumentException("labels and scores differ in length");
    }
    boolean[] positive = new boolean[n];
    for (int i = 0; i < n; i++) {
      positive[i] = labels[i] == 1;
    }
    Map<String, BiasReport.SubgroupAucs> results = new TreeMap<>();
    Map<String, String> skipped = new TreeMap<>();
    for (Map.Entry<String, boolean[]> e : new TreeMap<>(subgroups).entrySet()) {
      boolean[] member = e.getValue();
      if (member.length != n) {
        throw new IllegalArgumentException("membership of " + e.getKey() + " has wrong length");
      }
      int[] c = counts(positive, member);
      String reason = skipReason(c, minPositives, minNegatives);
      if (reason != null) {
        skipped.put(e.getKey(), reason);
        continue;
      }
      results.put(
          e.getKey(),
          new BiasReport.SubgroupAucs(
              c[0] + c[1],
              c[0],
              aucWhere(positive, scores, i -> member[i]),
              aucWhere(positive, scores, i -> member[i] != positive[i]),
              aucWhere(positive, scores, i -> member[i] == positive[i])));
    }
    double overall = ClassificationMetrics.auroc(scores, positive);
    double sub =
        powerMean(
            results.values().stream().mapToDouble(BiasReport.SubgroupAucs::subgroupAuc).toArray());
    double bpsn =
        powerMean(
            results.values().stream().mapToDouble(BiasReport.SubgroupAucs::bpsnAuc).toArray());
    double bnsp =
        powerMean(
            results.values().stream().mapToDouble(BiasReport.SubgroupAucs::bnspAuc).toArray());
    double finalScore = 0.25 * overall + 0.25 * (sub + bpsn + bnsp);
    return new BiasReport(overall, results, skipped, sub, bpsn, bnsp, finalScore);
  }

  /** Generalised mean with {@link #POWER}; NaN for no values, 0 if any value is 0. */
  static double powerMean(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double sum = 0.0;
    for (double v : values) {
      sum += Math.pow(v, POWER);
    }
    return Math.pow(sum / values.length, 1.0 / POWER);
  }

  /** {subgroup positives, subgroup negatives, background positives, background negatives}. */
  private static int[] counts(boolean[] positive, boolean[] member) {
    int[] c = new int[4];
    for (int i = 0; i < positive.length; i++) {
      c[(member[i] ? 0 : 2) + (positive[i] ? 0 : 1)]++;
    }
    return c;
  }

  private static String skipReason(int[] c, int minPositives, int minNegatives) {
    if (c[0] < minPositives || c[1] < minNegatives) {
      return String.format(
          "subgroup has %d positives / %d negatives (need %d / %d)",
          c[0], c[1], minPositives, minNegatives);
    }
    if (c[2] < minPositives || c[3] < minNegatives) {
      return String.format(
          "background has %d positives / %d negatives (need %d / %d)",
          c[2], c[3], minPositives, minNegatives);
    }
    return null;
  }

  private static double aucWhere(
      boolean[] positive, double[] scores, java.util.function.IntPredicate keep) {
    int m = 0;
    for (int i = 0; i < positive.length; i++) {
      m += keep.test(i) ? 1 : 0;
    }
    boolean[] p = new boolean[m];
    double[] s = new double[m];
    int j = 0;
    for (int i = 0; i < positive.length; i++) {
      if (keep.test(i)) {
        p[j] = positive[i];
        s[j++] = scores[i];
      }
    }
    return ClassificationMetrics.auroc(s, p);
  }
}
