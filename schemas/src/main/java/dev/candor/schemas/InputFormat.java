package dev.candor.schemas;

/** The form in which an accepted text arrived on the input topic. */
public enum InputFormat {
  /** Avro single-object encoded {@code TextSubmitted}. */
  AVRO,
  /** A JSON object with at least a {@code "text"} string. */
  JSON,
  /** The whole value as UTF-8 text. */
  TEXT
}
