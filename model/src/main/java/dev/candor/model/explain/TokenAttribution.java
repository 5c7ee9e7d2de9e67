package dev.candor.model.explain;

/**
 * One token's exact contribution to the explained logit.
 *
 * @param token the word-piece
 * @param start UTF-16 start offset in the text, -1 for special tokens
 * @param end UTF-16 end offset (exclusive), -1 for special tokens
 * @param special true for [CLS]/[SEP]
 * @param attribution contribution to the explained logit
 */
public record TokenAttribution(
    String token, int start, int end, boolean special, double attribution) {}
