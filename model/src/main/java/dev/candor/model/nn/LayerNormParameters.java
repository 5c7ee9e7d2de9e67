package dev.candor.model.nn;

/**
 * A LayerNorm's gain γ {@code [hidden]} and shift β {@code [hidden]}.
 *
 * @param <T> tensor representation (see {@link ModelParameters})
 * @param gain the per-feature scale (Hugging Face {@code .weight})
 * @param beta the per-feature shift (Hugging Face {@code .bias}); null in the B-cos model, whose
 *     LayerNorm has no β at all, so that it stays a linear map of its input in explanation mode
 */
public record LayerNormParameters<T>(T gain, T beta) {}
