package dev.candor.stream.internals;

import dev.candor.schemas.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds the headers of a dead-letter record. */
final class DeadLetters {

  private DeadLetters() {}

  /** The original headers (copied, never mutated) plus reason, detail and source coordinates. */
  static Headers headers(
      Iterable<Header> original,
      String reason,
      String detail,
      String topic,
      int partition,
      long offset) {
    RecordHeaders h = new RecordHeaders();
    if (original != null) {
      for (Header o : original) {
        h.add(o.key(), o.value());
      }
    }
    put(h, DeadLetterHeaders.REASON, reason);
    put(h, DeadLetterHeaders.DETAIL, detail);
    if (topic != null) {
      put(h, DeadLetterHeaders.SOURCE_TOPIC, topic);
      put(h, DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(partition));
      put(h, DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(offset));
    }
    return h;
  }

  private static void put(RecordHeaders h, String key, String value) {
    h.remove(key); // a re-processed dead letter must not carry two reasons
    h.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
