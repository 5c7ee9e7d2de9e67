package dev.candor.model.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accuracy, macro-F1, AUROC (for the last class against the rest) and the confusion matrix: the one
 * definition shared by training's validation and the evaluation report.
 *
 * @param n examples
 * @param accuracy share predicted right (NaN for no examples)
 * @param macroF1 unweighted mean of per-class F1 over the classes that occur in the labels or the
 *     predictions, so a class absent from a small split does not count as a zero
 * @param perClassF1 F1 per class; NaN for a class that is neither a label nor a prediction
 * @param auroc area under the ROC curve of {@code score} for class {@code numClasses - 1}, ties
 *     counted half; NaN when no scores are given or one side is empty
 * @param confusion {@code [true][predicted]} counts
 */
public record ClassificationMetrics(
    int n, double accuracy, double macroF1, double[] perClassF1, double auroc, int[][] confusion) {

  /**
   * @param score score of class {@code k - 1} per example, or null when there is none to rank
   */
  public static ClassificationMetrics of(int[] labels, int[] predicted, double[] score, int k) {
    int n = labels.length;
    if (predicted.length != n || (score != null && score.length != n)) {
      throw new IllegalArgumentException("labels, predictions and scores differ in length");
    }
    int[][] confusion = new int[k][k];
    int correct = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0 || labels[i] >= k || predicted[i] < 0 || predicted[i] >= k) {
        throw new IllegalArgumentException("class out of range at " + i);
      }
      confusion[labels[i]][predicted[i]]++;
      correct += labels[i] == predicted[i] ? 1 : 0;
    }
    double[] f1 = new double[k];
    double f1Sum = 0;
    int present = 0;
    for (int c = 0; c < k; c++) {
      int support = 0;
      int predictedAs = 0;
      for (int o = 0; o < k; o++) {
        support += confusion[c][o];
        predictedAs += confusion[o][c];
      }
      if (support == 0 && predictedAs == 0) {
        f1[c] = Double.NaN;
        continue;
      }
      f1[c] = 2.0 * confusion[c][c] / (support + predictedAs);
      f1Sum += f1[c];
      present++;
    }
    double auroc = Double.NaN;
    if (score != null) {
      boolean[] positive = new boolean[n];
      for (int i = 0; i < n; i++) {
        positive[i] = labels[i] == k - 1;
      }
      auroc = auroc(score, positive);
    }
    return new ClassificationMetrics(
        n,
        n == 0 ? Double.NaN : (double) correct / n,
        present == 0 ? Double.NaN : f1Sum / present,
        f1,
        auroc,
        confusion);
  }

  /**
   * Mann-Whitney AUROC with average ranks for ties; NaN when one class is absent, because the AUC
   * is undefined there and a silent 0.5 would pass for chance.
   */
  public static double auroc(double[] score, boolean[] positive) {
    int n = score.length;
    if (positive.length != n) {
      throw new IllegalArgumentException("labels and scores differ in length");
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(score[i])) {
        throw new IllegalArgumentException("NaN score at " + i);
      }
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
    double rankSumPos = 0;
    long pos = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
        j++;
      }
      double avgRank = (i + j) / 2.0 + 1;
      for (int t = i; t <= j; t++) {
        if (positive[order[t]]) {
          rankSumPos += avgRank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", n);
    m.put("accuracy", accuracy);
    m.put("macro_f1", macroF1);
    m.put("auroc", auroc);
    m.put("confusion", confusion);
    return m;
  }
}
