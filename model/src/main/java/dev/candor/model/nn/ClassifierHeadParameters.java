package dev.candor.model.nn;

/**
 * The classification head on the first ([CLS]) position.
 *
 * @param <T> tensor representation (see {@link ModelParameters})
 * @param pooler BERT's tanh pooler; null in the B-cos model, which removes it
 * @param classifier {@code [labels, hidden]}: a B-cos linear in the B-cos model
 */
public record ClassifierHeadParameters<T>(
    LinearParameters<T> pooler, LinearParameters<T> classifier) {}
