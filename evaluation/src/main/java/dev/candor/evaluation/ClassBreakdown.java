package dev.candor.evaluation;

import dev.candor.model.train.ClassificationMetrics;
import java.util.List;

/**
 * One model's task figures per class on the evaluated texts: precision, recall, F1 and support per
 * class, and the confusion matrix ({@code [true][predicted]}).
 *
 * @param model the model's name in the report
 * @param labels class names, index = logit position
 * @param precision per class; NaN where nothing was predicted as the class
 * @param recall per class; NaN where the class has no example
 * @param f1 per class; NaN where the class is neither a label nor a prediction
 * @param support examples per true class
 * @param macroF1 unweighted mean of the defined per-class F1
 * @param confusion {@code [true][predicted]} counts
 */
public record ClassBreakdown(
    String model,
    List<String> labels,
    double[] precision,
    double[] recall,
    double[] f1,
    int[] support,
    double macroF1,
    int[][] confusion) {

  public ClassBreakdown {
    labels = List.copyOf(labels);
    int k = labels.size();
    if (precision.length != k
        || recall.length != k
        || f1.length != k
        || support.length != k
        || confusion.length != k) {
      throw new IllegalArgumentException("every per-class figure needs " + k + " entries");
    }
  }

  /** The breakdown of {@code m} for a model with {@code labels}. */
  public static ClassBreakdown of(String model, List<String> labels, ClassificationMetrics m) {
    int k = labels.size();
    if (m.confusion().length != k) {
      throw new IllegalArgumentException(
          "metrics of " + m.confusion().length + " classes for labels " + labels);
    }
    double[] precision = new double[k];
    double[] recall = new double[k];
    int[] support = new int[k];
    for (int c = 0; c < k; c++) {
      precision[c] = m.precision(c);
      recall[c] = m.recall(c);
      support[c] = m.support(c);
    }
    return new ClassBreakdown(
        model,
        labels,
        precision,
        recall,
        m.perClassF1().clone(),
        support,
        m.macroF1(),
        m.confusion());
  }
}
