package dev.candor.stream.internals;

import dev.candor.schemas.DecodeResult;

/**
 * An input record after decoding, still carrying what a dead letter needs later: the original value
 * bytes and where the record was read. Only passed between processors in memory.
 *
 * @param result accepted text or rejection
 * @param originalValue the value bytes as read (may be {@code null})
 * @param topic source topic, or {@code null} if unknown
 * @param partition source partition, -1 if unknown
 * @param offset source offset, -1 if unknown
 */
public record Decoded(
    DecodeResult result, byte[] originalValue, String topic, int partition, long offset) {

  public boolean rejected() {
    return !result.isAccepted();
  }
}
