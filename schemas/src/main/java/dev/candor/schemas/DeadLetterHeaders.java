package dev.candor.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Header names on dead-letter records. A dead letter keeps the original key, value and headers and
 * adds these (all UTF-8 strings). The source coordinates use the names Kafka Streams' own
 * dead-letter records (KIP-1034) use, so one reader understands both kinds.
 */
public final class DeadLetterHeaders {

  /**
   * Why: a {@link dev.candor.schemas.RejectReason} name, {@link #MODEL_ERROR} or {@link
   * #PROCESSING_ERROR}.
   */
  public static final String REASON = "candor.error.reason";

  /** Human-readable detail of the reason. */
  public static final String DETAIL = "candor.error.detail";

  /** Topic the record was read from. */
  public static final String SOURCE_TOPIC = "__streams.errors.topic";

  /** Partition it was read from (decimal). */
  public static final String SOURCE_PARTITION = "__streams.errors.partition";

  /** Offset it was read at (decimal). */
  public static final String SOURCE_OFFSET = "__streams.errors.offset";

  /** Reason for texts the model failed to explain. */
  public static final String MODEL_ERROR = "MODEL_ERROR";

  /** Reason for records Kafka Streams' processing exception handler dead-lettered. */
  public static final String PROCESSING_ERROR = "PROCESSING_ERROR";

  private DeadLetterHeaders() {}

  /**
   * Reads the last value of a header as UTF-8.
   *
   * @param headers the record's headers
   * @param name the header name
   * @return its value, or {@code null} if absent
   */
  public static String get(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
