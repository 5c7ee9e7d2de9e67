package dev.candor.model.explain;

/**
 * A word's contribution: the sum over its word-pieces.
 *
 * @param word the word as it appears in the text
 * @param start UTF-16 start offset
 * @param end UTF-16 end offset (exclusive)
 * @param attribution summed contribution
 */
public record WordAttribution(String word, int start, int end, double attribution) {}
