package dev.candor.model.explain;

import java.util.List;

/**
 * A classification without explanation.
 *
 * @param labels class names
 * @param logits raw logits
 * @param probabilities softmax of the logits
 * @param predicted arg-max class index
 * @param truncated true when the text was longer than the model's maximum length
 * @param modelVersion the model that made it
 */
public record Prediction(
    List<String> labels,
    double[] logits,
    double[] probabilities,
    int predicted,
    boolean truncated,
    String modelVersion) {

  public String label() {
    return labels.get(predicted);
  }
}
