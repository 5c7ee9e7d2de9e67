package dev.candor.model.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.nn.TransformerClassifier;
import dev.candor.model.tokenize.PaddedBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Forward-only classification of a padded batch into {@link Prediction}s (logits, softmax
 * probabilities, predicted label), on the calling thread, whose grad mode the caller has turned off
 * (e.g. a {@link dev.candor.model.ModelThread}). Named so as not to be confused with DJL's {@code
 * ai.djl.inference.Predictor}, which this class does not use.
 */
public final class BatchClassifier {
  private final CandorModel model;

  public BatchClassifier(CandorModel model) {
    this.model = model;
  }

  public List<Prediction> predict(PaddedBatch batch) {
    TransformerClassifier net = model.network();
    try (NDScope ignored = new NDScope()) {
      NDArray logits =
          net.logits(net.ids(batch.ids()), net.additiveMask(batch.lengths(), batch.width()));
      double[][] z = rows(logits);
      List<Prediction> out = new ArrayList<>(z.length);
      for (int i = 0; i < z.length; i++) {
        out.add(prediction(z[i], batch.texts().get(i).truncated()));
      }
      return out;
    }
  }

  Prediction prediction(double[] logits, boolean truncated) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : logits) {
      max = Math.max(max, v);
    }
    double[] p = new double[logits.length];
    double total = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logits[i] - max);
      total += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= total;
    }
    return new Prediction(
        model.config().labels(), logits, p, argMax(logits), truncated, model.version());
  }

  static int argMax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  static double[][] rows(NDArray logits) {
    int rows = (int) logits.getShape().get(0);
    int cols = (int) logits.getShape().get(1);
    double[] flat = logits.toType(DataType.FLOAT64, false).toDoubleArray();
    double[][] out = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, i * cols, out[i], 0, cols);
    }
    return out;
  }
}
