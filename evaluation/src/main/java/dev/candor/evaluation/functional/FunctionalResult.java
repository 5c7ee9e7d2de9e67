package dev.candor.evaluation.functional;

import dev.candor.model.CandorModel;
import dev.candor.model.data.Example;
import dev.candor.model.explain.Prediction;
import dev.candor.model.train.LabelledScoring;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A model's score on a {@link FunctionalSuite}: accuracy per functionality, per group and overall.
 *
 * @param suiteSource where the suite was read from
 * @param suiteSha256 the suite file's checksum
 * @param byFunctionality one row per functionality, in file order
 * @param byGroup one row per group (templates without a group under "(none)")
 * @param outcomes every case with the model's binary answer
 */
public record FunctionalResult(
    String suiteSource,
    String suiteSha256,
    List<Row> byFunctionality,
    List<Row> byGroup,
    List<Outcome> outcomes) {

  /**
   * Cases of one functionality (or group) and how many were right.
   *
   * @param name the functionality or group
   * @param n cases
   * @param correct cases answered as expected
   */
  public record Row(String name, int n, int correct) {
    public double accuracy() {
      return n == 0 ? Double.NaN : (double) correct / n;
    }
  }

  /**
   * One case and the model's answer.
   *
   * @param testCase the case
   * @param predictedToxic whether the model called it toxic
   * @param toxicProbability the summed probability of the toxic classes
   */
  public record Outcome(
      FunctionalSuite.Case testCase, boolean predictedToxic, double toxicProbability) {
    public boolean correct() {
      return predictedToxic == testCase.expectedToxic();
    }
  }

  public FunctionalResult {
    byFunctionality = List.copyOf(byFunctionality);
    byGroup = List.copyOf(byGroup);
    outcomes = List.copyOf(outcomes);
  }

  /** Scores given answers; {@code outcomes} in any order. */
  public static FunctionalResult of(FunctionalSuite suite, List<Outcome> outcomes) {
    Map<String, int[]> byF = new LinkedHashMap<>();
    Map<String, int[]> byG = new LinkedHashMap<>();
    for (String f : suite.functionalities().keySet()) {
      byF.put(f, new int[2]);
    }
    for (FunctionalSuite.Group g : suite.groups()) {
      byG.put(g.name(), new int[2]);
    }
    for (Outcome o : outcomes) {
      int[] f = byF.computeIfAbsent(o.testCase().functionality(), k -> new int[2]);
      String group = o.testCase().group() == null ? "(none)" : o.testCase().group();
      int[] g = byG.computeIfAbsent(group, k -> new int[2]);
      f[0]++;
      g[0]++;
      if (o.correct()) {
        f[1]++;
        g[1]++;
      }
    }
    return new FunctionalResult(suite.source(), suite.sha256(), rows(byF), rows(byG), outcomes);
  }

  private static List<Row> rows(Map<String, int[]> m) {
    List<Row> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(new Row(k, v[0], v[1])));
    return out;
  }

  /**
   * Classifies every case of the suite with {@code model} on the calling thread. A prediction is
   * toxic when its class is not the non-toxic one: the class named {@code normal} when the model
   * has one, else class 0 (so a three-class model's hate speech and offensive both count as toxic).
   */
  public static FunctionalResult evaluate(
      CandorModel model, FunctionalSuite suite, IntConsumer progress) {
    List<FunctionalSuite.Case> cases = suite.cases();
    List<Example> rows = new ArrayList<>(cases.size());
    for (int i = 0; i < cases.size(); i++) {
      FunctionalSuite.Case c = cases.get(i);
      rows.add(new Example("functional-" + i, c.text(), c.expectedToxic() ? 1 : 0, null));
    }
    int benign = benignClass(model.config().labels());
    List<Prediction> preds = LabelledScoring.predict(model, rows, 64, progress);
    List<Outcome> outcomes = new ArrayList<>(cases.size());
    for (int i = 0; i < cases.size(); i++) {
      Prediction p = preds.get(i);
      double[] prob = p.probabilities();
      double toxic = 0;
      for (int c = 0; c < prob.length; c++) {
        toxic += c == benign ? 0 : prob[c];
      }
      outcomes.add(new Outcome(cases.get(i), p.predicted() != benign, toxic));
    }
    return of(suite, outcomes);
  }

  /** The index of the non-toxic class: the one named {@code normal}, else 0. */
  public static int benignClass(List<String> labels) {
    int i = labels.indexOf("normal");
    return i >= 0 ? i : 0;
  }

  /** Cases in all. */
  public int n() {
    return outcomes.size();
  }

  /** Share of all cases answered as expected. */
  public double accuracy() {
    long right = outcomes.stream().filter(Outcome::correct).count();
    return outcomes.isEmpty() ? Double.NaN : (double) right / outcomes.size();
  }

  /**
   * The cases that expect toxic and those that expect normal, each with how many the model got
   * right (its recall of that label). A suite that leans to one label rewards a model that leans
   * the same way; these two rows show the lean.
   */
  public List<Row> byExpected() {
    int[] toxic = new int[2];
    int[] normal = new int[2];
    for (Outcome o : outcomes) {
      int[] r = o.testCase().expectedToxic() ? toxic : normal;
      r[0]++;
      r[1] += o.correct() ? 1 : 0;
    }
    return List.of(new Row("toxic", toxic[0], toxic[1]), new Row("normal", normal[0], normal[1]));
  }

  /**
   * The mean of the accuracies on the toxic-expected and the normal-expected cases: 0.5 for a model
   * that calls everything one label, whatever the suite's balance.
   */
  public double balancedAccuracy() {
    return byExpected().stream()
        .filter(r -> r.n() > 0)
        .mapToDouble(Row::accuracy)
        .average()
        .orElse(Double.NaN);
  }

  /** Unweighted mean of the per-functionality accuracies. */
  public double meanOverFunctionalities() {
    return byFunctionality.stream()
        .filter(r -> r.n() > 0)
        .mapToDouble(Row::accuracy)
        .average()
        .orElse(Double.NaN);
  }
}
