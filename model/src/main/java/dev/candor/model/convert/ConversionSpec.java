package dev.candor.model.convert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to turn a pre-trained encoder into a classifier.
 *
 * @param bcos B-cos (no biases, alignment-scaled linears) or the conventional model
 * @param b the B-cos alignment pressure B (ignored by the conventional model)
 * @param labels class names, in label-index order
 * @param maxLength tokens per text including the special tokens
 * @param headSeed seed of the freshly initialised classification head
 */
public record ConversionSpec(
    boolean bcos, double b, List<String> labels, int maxLength, long headSeed) {

  public ConversionSpec {
    if (labels == null || labels.size() < 2) {
      throw new IllegalArgumentException("a classifier needs at least two labels, was " + labels);
    }
    if (maxLength < 3) {
      throw new IllegalArgumentException("max length must be at least 3, was " + maxLength);
    }
    labels = List.copyOf(labels);
  }

  /** The settings as recorded in a bundle's provenance. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bcos", bcos);
    m.put("b", b);
    m.put("max_length", maxLength);
    m.put("head_init_seed", headSeed);
    return m;
  }
}
