package dev.candor.model.nn;

/**
 * One encoder layer: self-attention (Q, K, V projections, output projection, LayerNorm), then the
 * feed-forward block (two linears, LayerNorm).
 *
 * @param <T> tensor representation (see {@link ModelParameters})
 * @param query plain linear map (not B-cos, no bias in the B-cos model)
 * @param key plain linear map
 * @param value plain linear map
 * @param attentionOutput B-cos linear in the B-cos model
 * @param attentionNorm LayerNorm after the attention residual
 * @param intermediate first feed-forward linear {@code [intermediate, hidden]}
 * @param output second feed-forward linear {@code [hidden, intermediate]}
 * @param outputNorm LayerNorm after the feed-forward residual
 */
public record EncoderLayerParameters<T>(
    LinearParameters<T> query,
    LinearParameters<T> key,
    LinearParameters<T> value,
    LinearParameters<T> attentionOutput,
    LayerNormParameters<T> attentionNorm,
    LinearParameters<T> intermediate,
    LinearParameters<T> output,
    LayerNormParameters<T> outputNorm) {}
