package dev.candor.model.nn;

/**
 * The embedding tables and the LayerNorm after their sum.
 *
 * @param <T> tensor representation (see {@link ModelParameters})
 * @param words {@code [vocab, hidden]}
 * @param positions {@code [maxPositions, hidden]}
 * @param tokenTypes {@code [typeVocab, hidden]}; null for families without token types (DistilBERT)
 * @param norm the embeddings LayerNorm
 */
public record EmbeddingParameters<T>(
    T words, T positions, T tokenTypes, LayerNormParameters<T> norm) {}
