package dev.candor.model.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Objects;

/**
 * Architecture and head of a sequence classifier, as written to a bundle's {@code config.json}.
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
@JsonIgnoreProperties(ignoreUnknown = true)
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

  public ModelConfig {
    Objects.requireNonNull(architecture, "architecture cannot be null");
    Objects.requireNonNull(labels, "labels cannot be null");
    Objects.requireNonNull(specialTokens, "specialTokens cannot be null");
    labels = List.copyOf(labels);
    check(vocabSize > 0, "vocabSize", vocabSize);
    check(hiddenSize > 0, "hiddenSize", hiddenSize);
    check(numLayers > 0, "numLayers", numLayers);
    check(numHeads > 0 && hiddenSize % numHeads == 0, "numHeads", numHeads);
    check(intermediateSize > 0, "intermediateSize", intermediateSize);
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

  public int numLabels() {
    return labels.size();
  }

  public int headSize() {
    return hiddenSize / numHeads;
  }

  /** The same architecture and weights layout with another head, B or length. */
  public ModelConfig with(boolean bcos, double b, List<String> labels, int maxLength) {
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
        specialTokens,
        baseModel);
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
}
