package dev.candor.model.nn;

import java.util.List;

/**
 * Every parameter of a {@link TransformerClassifier}, held by layer and role.
 *
 * <p>Plain records rather than DJL {@code Block}s: the math lives in the {@link BcosOps} functional
 * forms, which take an explanation-mode flag that a block's {@code forward(…, training)} cannot
 * carry; the weights' on-disk names are Hugging Face BERT names (safetensors), not DJL's block-path
 * names; and neither DJL's initializers nor its {@code .params} format are used. Records give the
 * same typing (a layer's query weight is {@code layer.query().weight()}, not a string key) without
 * that machinery.
 *
 * <p>Generic in the tensor representation so that one binding ({@link ParameterLayout#bind}) yields
 * both the layout's shapes ({@code long[]}) and a model's live arrays ({@code NDArray}): the
 * mapping between Hugging Face names and fields is written once.
 *
 * @param <T> tensor representation
 * @param embeddings the embedding tables and their LayerNorm
 * @param layers encoder layers, first first
 * @param head the classification head
 */
public record ModelParameters<T>(
    EmbeddingParameters<T> embeddings,
    List<EncoderLayerParameters<T>> layers,
    ClassifierHeadParameters<T> head) {
  public ModelParameters {
    layers = List.copyOf(layers);
  }
}
