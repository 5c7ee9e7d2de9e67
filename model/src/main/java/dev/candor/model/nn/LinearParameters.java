package dev.candor.model.nn;

/**
 * A linear map's weight {@code [out, in]} and bias {@code [out]}.
 *
 * @param <T> tensor representation (see {@link ModelParameters})
 * @param weight rows are output units
 * @param bias null where the model has none (every B-cos linear, and Q/K/V in the B-cos model)
 */
public record LinearParameters<T>(T weight, T bias) {}
