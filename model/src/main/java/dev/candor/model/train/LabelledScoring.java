package dev.candor.model.train;

import dev.candor.model.CandorModel;
import dev.candor.model.data.Example;
import dev.candor.model.explain.BatchClassifier;
import dev.candor.model.explain.Prediction;
import dev.candor.model.nn.GradMode;
import dev.candor.model.tokenize.PaddedBatch;
import dev.candor.model.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Classifies a labelled set in length-sorted batches and scores it: training's validation and
 * {@code candor evaluate}. (The explanation-quality evaluation is the {@code evaluation} module.)
 */
public final class LabelledScoring {
  private LabelledScoring() {}

  /**
   * Metrics over {@code rows}; AUROC ranks z_1 − z_0 for two classes and is the one-vs-one macro
   * AUROC of the softmax probabilities for more (see {@link ClassificationMetrics}).
   */
  public static ClassificationMetrics score(CandorModel model, List<Example> rows, int batch) {
    return score(model, rows, batch, done -> {});
  }

  public static ClassificationMetrics score(
      CandorModel model, List<Example> rows, int batchSize, IntConsumer progress) {
    List<Prediction> preds = predict(model, rows, batchSize, progress);
    return metrics(rows, preds, model.config().numLabels());
  }

  /**
   * Accuracy, macro-F1 and AUROC (binary: of z_1 − z_0; more classes: one-vs-one of the
   * probabilities) of predictions made earlier.
   *
   * @param rows labelled rows
   * @param preds one prediction per row, in order
   * @param numLabels the model's number of classes
   */
  public static ClassificationMetrics metrics(
      List<Example> rows, List<Prediction> preds, int numLabels) {
    int[] labels = new int[rows.size()];
    int[] predicted = new int[rows.size()];
    double[] score = new double[rows.size()];
    double[][] probabilities = new double[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      labels[i] = rows.get(i).label();
      predicted[i] = preds.get(i).predicted();
      double[] z = preds.get(i).logits();
      score[i] = numLabels == 2 ? z[1] - z[0] : Double.NaN;
      probabilities[i] = preds.get(i).probabilities();
    }
    return numLabels == 2
        ? ClassificationMetrics.of(labels, predicted, score, numLabels)
        : ClassificationMetrics.ofProbabilities(labels, predicted, probabilities, numLabels);
  }

  /** Predictions in input order, computed on the calling thread with grad mode off. */
  public static List<Prediction> predict(
      CandorModel model, List<Example> rows, int batchSize, IntConsumer progress) {
    GradMode.disableForThisThread();
    List<TokenizedText> tok = new ArrayList<>(rows.size());
    for (Example e : rows) {
      tok.add(model.tokenizer().encode(e.text().isBlank() ? " " : e.text()));
    }
    Integer[] order = new Integer[rows.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingInt(i -> tok.get(i).length()));
    Prediction[] out = new Prediction[rows.size()];
    BatchClassifier classifier = new BatchClassifier(model);
    for (int from = 0; from < order.length; from += batchSize) {
      int to = Math.min(order.length, from + batchSize);
      List<TokenizedText> batch = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        batch.add(tok.get(order[i]));
      }
      List<Prediction> p = classifier.predict(PaddedBatch.of(batch, model.tokenizer().padId()));
      for (int i = from; i < to; i++) {
        out[order[i]] = p.get(i - from);
      }
      progress.accept(to);
    }
    return List.of(out);
  }
}
