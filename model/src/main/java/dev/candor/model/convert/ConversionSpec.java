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

  /**
   * A builder in the DJL manner: {@code setLabels} is required; defaults are B-cos with B = 1.5,
   * 128 tokens and head seed 42.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ConversionSpec}; validation happens in {@link #build()}. */
  public static final class Builder {
    private List<String> labels;
    private boolean bcos = true;
    private double b = 1.5;
    private int maxLength = 128;
    private long headSeed = 42;

    private Builder() {}

    /** Class names, index = logit position (at least two). */
    public Builder setLabels(List<String> labels) {
      this.labels = labels;
      return this;
    }

    /** B-cos (default) or the conventional model from the same weights. */
    public Builder optBcos(boolean bcos) {
      this.bcos = bcos;
      return this;
    }

    /** Alignment pressure B (default 1.5). */
    public Builder optB(double b) {
      this.b = b;
      return this;
    }

    /** Maximum tokens per text including the two special tokens (default 128). */
    public Builder optMaxLength(int maxLength) {
      this.maxLength = maxLength;
      return this;
    }

    /** Seed of the head's random initialisation (default 42). */
    public Builder optHeadSeed(long headSeed) {
      this.headSeed = headSeed;
      return this;
    }

    /**
     * @throws IllegalArgumentException if the labels are missing or a setting is out of range
     */
    public ConversionSpec build() {
      return new ConversionSpec(bcos, b, labels, maxLength, headSeed);
    }
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
