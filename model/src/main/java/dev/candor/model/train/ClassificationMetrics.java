package dev.candor.model.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accuracy, macro-F1, AUROC, per-class precision / recall / F1 and the confusion matrix: the one
 * definition shared by training's validation and the evaluation report.
 *
 * <p>AUROC: with one score per example ({@link #of(int[], int[], double[], int)}), class {@code k -
 * 1} against the rest (binary: the positive class); with every class's probability ({@link
 * #ofProbabilities}) and more than two classes, the macro average over class pairs of Hand and
 * Till's one-vs-one AUC, which is scikit-learn's {@code roc_auc_score(multi_class="ovo",
 * average="macro")} and the figure HateXplain reports for its three classes.
 *
 * @param n examples
 * @param accuracy share predicted right (NaN for no examples)
 * @param macroF1 unweighted mean of per-class F1 over the classes that occur in the labels or the
 *     predictions, so a class absent from a small split does not count as a zero
 * @param perClassF1 F1 per class; NaN for a class that is neither a label nor a prediction
 * @param auroc area under the ROC curve (see above), ties counted half; NaN when no scores are
 *     given or one side is empty
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
   * Metrics with every class's probability per example: for two classes AUROC ranks {@code
   * probabilities[i][1]}; for more, the one-vs-one macro AUROC (see the class comment).
   *
   * @param probabilities per example, the probability (or any score comparable across examples) of
   *     each of the {@code k} classes
   */
  public static ClassificationMetrics ofProbabilities(
      int[] labels, int[] predicted, double[][] probabilities, int k) {
    if (probabilities.length != labels.length) {
      throw new IllegalArgumentException("labels and probabilities differ in length");
    }
    double[] positive = new double[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (probabilities[i].length != k) {
        throw new IllegalArgumentException(
            "example " + i + " has " + probabilities[i].length + " scores for " + k + " classes");
      }
      positive[i] = probabilities[i][k - 1];
    }
    ClassificationMetrics m = of(labels, predicted, positive, k);
    if (k == 2) {
      return m;
    }
    return new ClassificationMetrics(
        m.n(),
        m.accuracy(),
        m.macroF1(),
        m.perClassF1(),
        aurocOneVsOne(labels, probabilities, k),
        m.confusion());
  }

  /**
   * Hand and Till's (2001) multi-class AUC: for each pair of classes (a, b) present in the labels,
   * the mean of AUC(a vs b, scored by p_a) and AUC(b vs a, scored by p_b) over the examples of the
   * two classes; then the unweighted mean over pairs. NaN when fewer than two classes occur.
   */
  public static double aurocOneVsOne(int[] labels, double[][] probabilities, int k) {
    double sum = 0;
    int pairs = 0;
    for (int a = 0; a < k; a++) {
      for (int b = a + 1; b < k; b++) {
        int n = 0;
        for (int y : labels) {
          n += y == a || y == b ? 1 : 0;
        }
        double[] sa = new double[n];
        double[] sb = new double[n];
        boolean[] isA = new boolean[n];
        boolean[] isB = new boolean[n];
        int j = 0;
        for (int i = 0; i < labels.length; i++) {
          if (labels[i] == a || labels[i] == b) {
            sa[j] = probabilities[i][a];
            sb[j] = probabilities[i][b];
            isA[j] = labels[i] == a;
            isB[j] = labels[i] == b;
            j++;
          }
        }
        double ab = auroc(sa, isA);
        double ba = auroc(sb, isB);
        if (Double.isNaN(ab) || Double.isNaN(ba)) {
          continue; // one of the two classes does not occur
        }
        sum += (ab + ba) / 2;
        pairs++;
      }
    }
    return pairs == 0 ? Double.NaN : sum / pairs;
  }

  /** Examples whose true class is {@code c}. */
  public int support(int c) {
    int s = 0;
    for (int o = 0; o < confusion.length; o++) {
      s += confusion[c][o];
    }
    return s;
  }

  /** Share of the examples predicted as {@code c} that are {@code c}; NaN if none is. */
  public double precision(int c) {
    int predictedAs = 0;
    for (int[] row : confusion) {
      predictedAs += row[c];
    }
    return predictedAs == 0 ? Double.NaN : (double) confusion[c][c] / predictedAs;
  }

  /** Share of the examples of class {@code c} predicted as {@code c}; NaN if there are none. */
  public double recall(int c) {
    int support = support(c);
    return support == 0 ? Double.NaN : (double) confusion[c][c] / support;
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
    int k = confusion.length;
    double[] precision = new double[k];
    double[] recall = new double[k];
    int[] support = new int[k];
    for (int c = 0; c < k; c++) {
      precision[c] = precision(c);
      recall[c] = recall(c);
      support[c] = support(c);
    }
    m.put("precision", precision);
    m.put("recall", recall);
    m.put("f1", perClassF1);
    m.put("support", support);
    return m;
  }
}
