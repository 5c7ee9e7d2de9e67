package dev.candor.model.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accuracy, macro-F1, AUROC (for the last class against the rest) and the confusion matrix.
 *
 * @param n examples
 * @param accuracy share predicted right
 * @param macroF1 unweighted mean of per-class F1
 * @param auroc area under the ROC curve of {@code score} for class {@code numClasses - 1}, ties
 *     counted half
 * @param confusion {@code [true][predicted]} counts
 */
public record ClassificationMetrics(
    int n, double accuracy, double macroF1, double auroc, int[][] confusion) {

  public static ClassificationMetrics of(int[] labels, int[] predicted, double[] score, int k) {
    if (labels.length != predicted.length || labels.length != score.length || labels.length == 0) {
      throw new IllegalArgumentException("labels, predictions and scores must be non-empty and equal");
    }
    int[][] confusion = new int[k][k];
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      confusion[labels[i]][predicted[i]]++;
      if (labels[i] == predicted[i]) {
        correct++;
      }
    }
    double f1Sum = 0;
    for (int c = 0; c < k; c++) {
      int tp = confusion[c][c];
      int fp = 0;
      int fn = 0;
      for (int o = 0; o < k; o++) {
        if (o != c) {
          fp += confusion[o][c];
          fn += confusion[c][o];
        }
      }
      f1Sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
    boolean[] positive = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      positive[i] = labels[i] == k - 1;
    }
    return new ClassificationMetrics(
        labels.length, (double) correct / labels.length, f1Sum / k, auroc(score, positive),
        confusion);
  }

  /** Mann-Whitney AUROC with average ranks for ties; NaN when one class is absent. */
  public static double auroc(double[] score, boolean[] positive) {
    int n = score.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
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
