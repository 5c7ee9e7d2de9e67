package dev.candor.model.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Architecture and head of a sequence classifier, as written to a bundle's {@code config.json}.
 * Build one with {@link #builder()}.
 *
 * @param architecture the encoder family the weights come from
 * @param vocabSize word-piece vocabulary size
 * @param hiddenSize width of every hidden state
 * @param numLayers number of encoder layers
 * @param numHeads attention heads per layer
 * @param intermediateSize feed-forward width
 * @param maxPositions rows of the position embedding table
 * @param typeVocabSize rows of the token-type table (0 when the family has none, e.g. DistilBERT)
 * @param positionOffset first position id (RoBERTa counts from padding index + 1)
 * @param layerNormEps epsilon inside every LayerNorm
 * @param bcos true for the B-cos model, false for the conventional baseline from the same weights
 * @param b alignment pressure B of every B-cos linear layer (ignored when {@code bcos} is false)
 * @param labels class names, index = logit position
 * @param maxLength maximum tokens per text including the two special tokens
 * @param specialTokens the family's [CLS]/[SEP]/[PAD]/[MASK] strings
 * @param baseModel human-readable origin of the pre-trained weights
 */
public record ModelConfig(
    Architecture architecture,
    int vocabSize,
    int hiddenSize,
    int numLayers,
    int numHeads,
    int intermediateSize,
    int maxPositions,
    int typeVocabSize,
    int positionOffset,
    double layerNormEps,
    boolean bcos,
    double b,
    List<String> labels,
    int maxLength,
    SpecialTokens specialTokens,
    String baseModel) {

  /** Encoder families whose Hugging Face checkpoints can be imported. */
  public enum Architecture {
    BERT,
    DISTILBERT,
    ROBERTA
  }

  /** Special token strings of a tokenizer family. */
  public record SpecialTokens(String cls, String sep, String pad, String mask) {
    public static SpecialTokens bert() {
      return new SpecialTokens("[CLS]", "[SEP]", "[PAD]", "[MASK]");
    }

    public static SpecialTokens roberta() {
      return new SpecialTokens("<s>", "</s>", "<pad>", "<mask>");
    }
  }

  /** Validates every field; a builder's {@code build()} and JSON reading end here too. */
  public ModelConfig {
    Objects.requireNonNull(architecture, "architecture cannot be null");
    check(labels != null, "labels", labels);
    Objects.requireNonNull(specialTokens, "specialTokens cannot be null");
    labels = List.copyOf(labels);
    check(vocabSize > 0, "vocabSize", vocabSize);
    check(hiddenSize > 0, "hiddenSize", hiddenSize);
    check(numLayers > 0, "numLayers", numLayers);
    check(numHeads > 0 && hiddenSize % numHeads == 0, "numHeads", numHeads);
    check(intermediateSize > 0, "intermediateSize", intermediateSize);
    check(typeVocabSize >= 0, "typeVocabSize", typeVocabSize);
    check(positionOffset >= 0, "positionOffset", positionOffset);
    check(labels.size() >= 2, "labels", labels);
    check(maxLength >= 3 && maxLength + positionOffset <= maxPositions, "maxLength", maxLength);
    check(!bcos || (b >= 1.0 && b <= 4.0), "b", b);
    check(layerNormEps > 0, "layerNormEps", layerNormEps);
  }

  private static void check(boolean ok, String key, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("invalid model config: " + key + " = " + value);
    }
  }

  /**
   * A builder: {@code setX} for the architecture's sizes, the labels and the maximum length, {@code
   * optX} for the rest (defaults: BERT, 2 token types, position offset 0, LayerNorm eps 1e-12,
   * B-cos with B = 1.5, the family's special tokens, base model "unspecified").
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Written to {@code config.json} with Hugging Face's key names (see {@link ModelConfigJson}), so
   * that other tools can read a bundle's architecture.
   */
  @JsonValue
  JsonNode toJson() {
    return ModelConfigJson.write(this);
  }

  /** Reads both the Hugging Face-style {@code config.json} and the older Candor key names. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static ModelConfig fromJson(JsonNode json) {
    return ModelConfigJson.read(json);
  }

  public int numLabels() {
    return labels.size();
  }

  public int headSize() {
    return hiddenSize / numHeads;
  }

  /**
   * The conversion settings as a bundle's provenance records them ({@code bcos}, {@code b}, {@code
   * max_length}), for a model made from bundles rather than from a {@code ConversionSpec}.
   */
  public Map<String, Object> provenanceSettings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bcos", bcos);
    m.put("b", b);
    m.put("max_length", maxLength);
    return m;
  }

  /** A builder with every field of this config, to derive a variant. */
  public Builder toBuilder() {
    return new Builder()
        .optArchitecture(architecture)
        .setVocabSize(vocabSize)
        .setHiddenSize(hiddenSize)
        .setNumLayers(numLayers)
        .setNumHeads(numHeads)
        .setIntermediateSize(intermediateSize)
        .setMaxPositions(maxPositions)
        .optTypeVocabSize(typeVocabSize)
        .optPositionOffset(positionOffset)
        .optLayerNormEps(layerNormEps)
        .optBcos(bcos)
        .optB(b)
        .setLabels(labels)
        .setMaxLength(maxLength)
        .optSpecialTokens(specialTokens)
        .optBaseModel(baseModel);
  }

  /** Short human description, e.g. "B-cos BERT (B=1.5, 6 layers, hidden 384)". */
  public String describe() {
    return (bcos ? "B-cos " : "conventional ")
        + architecture
        + (bcos ? " (B=" + b + ", " : " (")
        + numLayers
        + " layers, hidden "
        + hiddenSize
        + ")";
  }

  /**
   * Builds a {@link ModelConfig}; {@link #build()} validates. Required: vocabulary, hidden, layer,
   * head, feed-forward and position-table sizes, labels, maximum length.
   */
  public static final class Builder {
    private Architecture architecture = Architecture.BERT;
    private int vocabSize;
    private int hiddenSize;
    private int numLayers;
    private int numHeads;
    private int intermediateSize;
    private int maxPositions;
    private int typeVocabSize = 2;
    private int positionOffset;
    private double layerNormEps = 1e-12;
    private boolean bcos = true;
    private double b = 1.5;
    private List<String> labels;
    private int maxLength;
    private SpecialTokens specialTokens;
    private String baseModel = "unspecified";

    private Builder() {}

    /** The encoder family the weights come from (default BERT). */
    public Builder optArchitecture(Architecture architecture) {
      this.architecture = architecture;
      return this;
    }

    public Builder setVocabSize(int vocabSize) {
      this.vocabSize = vocabSize;
      return this;
    }

    public Builder setHiddenSize(int hiddenSize) {
      this.hiddenSize = hiddenSize;
      return this;
    }

    public Builder setNumLayers(int numLayers) {
      this.numLayers = numLayers;
      return this;
    }

    public Builder setNumHeads(int numHeads) {
      this.numHeads = numHeads;
      return this;
    }

    public Builder setIntermediateSize(int intermediateSize) {
      this.intermediateSize = intermediateSize;
      return this;
    }

    /** Rows of the position embedding table. */
    public Builder setMaxPositions(int maxPositions) {
      this.maxPositions = maxPositions;
      return this;
    }

    /** Rows of the token-type table (default 2; 0 for families without one). */
    public Builder optTypeVocabSize(int typeVocabSize) {
      this.typeVocabSize = typeVocabSize;
      return this;
    }

    /** First position id (default 0; RoBERTa starts after its padding index). */
    public Builder optPositionOffset(int positionOffset) {
      this.positionOffset = positionOffset;
      return this;
    }

    public Builder optLayerNormEps(double layerNormEps) {
      this.layerNormEps = layerNormEps;
      return this;
    }

    /** B-cos (default) or the conventional model from the same weights. */
    public Builder optBcos(boolean bcos) {
      this.bcos = bcos;
      return this;
    }

    /** Alignment pressure B of every B-cos linear layer (default 1.5, the encoders' value). */
    public Builder optB(double b) {
      this.b = b;
      return this;
    }

    /** Class names, index = logit position (at least two). */
    public Builder setLabels(List<String> labels) {
      this.labels = labels;
      return this;
    }

    /** Maximum tokens per text including the two special tokens. */
    public Builder setMaxLength(int maxLength) {
      this.maxLength = maxLength;
      return this;
    }

    /** Special token strings (default: RoBERTa's for RoBERTa, BERT's otherwise). */
    public Builder optSpecialTokens(SpecialTokens specialTokens) {
      this.specialTokens = specialTokens;
      return this;
    }

    /** Human-readable origin of the pre-trained weights. */
    public Builder optBaseModel(String baseModel) {
      this.baseModel = baseModel;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first invalid or missing field
     */
    public ModelConfig build() {
      SpecialTokens tokens = specialTokens;
      if (tokens == null) {
        tokens =
            architecture == Architecture.ROBERTA ? SpecialTokens.roberta() : SpecialTokens.bert();
      }
      return new ModelConfig(
          architecture,
          vocabSize,
          hiddenSize,
          numLayers,
          numHeads,
          intermediateSize,
          maxPositions,
          typeVocabSize,
          positionOffset,
          layerNormEps,
          bcos,
          b,
          labels,
          maxLength,
          tokens,
          baseModel);
    }
  }
}
