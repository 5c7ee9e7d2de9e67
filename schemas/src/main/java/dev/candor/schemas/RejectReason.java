package dev.candor.schemas;

/**
 * Why an input record was not accepted. The names are stable: they go into dead-letter headers and
 * metric tags, so never rename one.
 */
public enum RejectReason {
  /** Not valid UTF-8, malformed JSON, JSON of the wrong shape, or a corrupt Avro body. */
  NOT_DECODABLE,
  /** A null value, or a text that is empty or only whitespace. */
  EMPTY_TEXT,
  /** A text longer than the configured maximum number of chars. */
  TEXT_TOO_LONG,
  /**
   * Avro single-object encoding whose writer-schema fingerprint is unknown, or whose schema cannot
   * be read as a {@code TextSubmitted}.
   */
  UNKNOWN_SCHEMA,
  /**
   * Key, value and headers together are larger than the stream accepts: the copies the stream makes
   * (buffer entry, prediction, dead letter) must stay under the broker's message size.
   */
  RECORD_TOO_LARGE
}
