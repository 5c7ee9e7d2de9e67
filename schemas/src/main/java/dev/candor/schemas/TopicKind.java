package dev.candor.schemas;

/** The six topics Candor uses, with their default name suffix and cleanup policy. */
public enum TopicKind {
  /** Input texts: {@code TextSubmitted}, JSON or raw UTF-8, read as bytes. */
  TEXTS("texts", false),
  /** Every explained prediction. */
  PREDICTIONS("predictions", false),
  /** Only flagged predictions; the review queue. */
  FLAGS("flags", false),
  /** Reviewer feedback. */
  FEEDBACK("feedback", false),
  /** Model hot-swap announcements, keyed by model name; only the latest per model matters. */
  MODEL_UPDATES("model-updates", true),
  /** Records that could not be processed, with their original bytes and error headers. */
  DEAD_LETTERS("dead-letters", false);

  private final String suffix;
  private final boolean compacted;

  TopicKind(String suffix, boolean compacted) {
    this.suffix = suffix;
    this.compacted = compacted;
  }

  /**
   * The default name without prefix, e.g. {@code "model-updates"}.
   *
   * @return the suffix
   */
  public String suffix() {
    return suffix;
  }

  /**
   * Whether the topic should be created with {@code cleanup.policy=compact}.
   *
   * @return true for compacted topics
   */
  public boolean compacted() {
    return compacted;
  }
}
