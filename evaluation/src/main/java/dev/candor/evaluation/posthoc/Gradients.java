package dev.candor.evaluation.posthoc;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.candor.model.CandorModel;
import dev.candor.model.explain.ExplanationTarget;
import dev.candor.model.nn.TransformerClassifier;
import dev.candor.model.tokenize.PaddedBatch;
import dev.candor.model.tokenize.TokenizedText;
import java.util.List;

/** Shared plumbing of the gradient-based explainers; callers wrap each batch in an NDScope. */
final class Gradients {

  private Gradients() {}

  /** A padded batch with its additive mask and post-LayerNorm embeddings (no graph attached). */
  record Inputs(PaddedBatch batch, NDArray mask, NDArray embeddings) {}

  static Inputs inputs(CandorModel model, List<TokenizedText> texts) {
    TransformerClassifier net = model.network();
    PaddedBatch b = PaddedBatch.of(texts, model.tokenizer().padId());
    NDArray mask = net.additiveMask(b.lengths(), b.width());
    NDArray embeddings = net.embed(net.ids(b.ids()), false).stopGradient();
    return new Inputs(b, mask, embeddings);
  }

  /**
   * Gradient of each row's target logit (raw, before softmax) with respect to {@code embeddings}.
   *
   * @param explain B-cos explanation mode (dynamic factors detached); false for the ordinary graph
   * @return {@code [rows, len, hidden]}
   */
  static NDArray ofTargetLogit(
      TransformerClassifier net, NDArray embeddings, NDArray mask, int[] targets, boolean explain) {
    return ofTarget(net, embeddings, mask, targets, explain, ExplanationTarget.LOGIT);
  }

  /**
   * Gradient of each row's explained value ({@link ExplanationTarget#value}: the target logit, or
   * the target logit minus the mean of the others) with respect to {@code embeddings}.
   */
  static NDArray ofTarget(
      TransformerClassifier net,
      NDArray embeddings,
      NDArray mask,
      int[] targets,
      boolean explain,
      ExplanationTarget what) {
    // A fresh leaf each call: gradients never accumulate across calls.
    NDArray x = embeddings.stopGradient();
    x.setRequiresGradient(true);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray logits = net.logitsFromEmbeddings(x, mask, explain);
      collector.backward(logits.mul(weights(net, logits, targets, what)).sum());
    }
    return x.getGradient();
  }

  /** Per row the output gradient of {@code what} for that row's target, in the logits' dtype. */
  static NDArray weights(
      TransformerClassifier net, NDArray logits, int[] targets, ExplanationTarget what) {
    int rows = (int) logits.getShape().get(0);
    int classes = (int) logits.getShape().get(1);
    if (targets.length != rows) {
      throw new IllegalArgumentException(targets.length + " targets for " + rows + " rows");
    }
    double[] v = new double[rows * classes];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(what.weights(classes, targets[i]), 0, v, i * classes, classes);
    }
    return net.manager().create(v, logits.getShape()).toType(logits.getDataType(), false);
  }

  /** Splits {@code [batch, width]} scores into per-text rows without the padding. */
  static double[][] rows(NDArray scores, PaddedBatch batch) {
    double[] flat = scores.toType(DataType.FLOAT64, false).toDoubleArray();
    int width = batch.width();
    double[][] out = new double[batch.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new double[batch.lengths()[i]];
      System.arraycopy(flat, i * width, out[i], 0, out[i].length);
    }
    return out;
  }
}
