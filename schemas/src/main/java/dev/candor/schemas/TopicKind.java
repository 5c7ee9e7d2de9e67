package dev.candor.schemas;

import java.util.Map;

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

  /**
   * Topic-level configs this role needs when the topic is created: {@code cleanup.policy=compact}
   * for model updates (only the latest per model matters), and {@code retention.ms=-1} for
   * feedback, because the trainer rebuilds its whole data set from that topic (Kafka is the durable
   * store of reviewers' judgements). Other roles keep the broker's defaults.
   *
   * @return the configs, empty if none
   */
  public Map<String, String> topicConfig() {
    if (compacted) {
      return Map.of("cleanup.policy", "compact");
    }
    if (this == FEEDBACK) {
      return Map.of("retention.ms", "-1", "retention.bytes", "-1");
    }
    return Map.of();
  }
}
