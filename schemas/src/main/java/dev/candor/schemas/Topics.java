package dev.candor.schemas;

import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.ModelUpdate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The six Candor topics with their serdes, named from a prefix ({@code "candor."} by default) plus
 * {@link TopicKind#suffix()}, or by explicit per-topic overrides. Immutable: build another instance
 * for other names rather than changing this one.
 *
 * <p>Keys are text ids (model names on {@link TopicKind#MODEL_UPDATES}) as UTF-8 strings. The input
 * and dead-letter values are raw bytes, because the input may be Avro, JSON or plain text and a
 * dead letter keeps the original bytes whatever they were.
 */
public final class Topics {

  /** The default name prefix. */
  public static final String DEFAULT_PREFIX = "candor.";

  private final Map<TopicKind, String> names;
  private final CandorTopic<byte[], byte[]> texts;
  private final CandorTopic<String, ExplainedPrediction> predictions;
  private final CandorTopic<String, ExplainedPrediction> flags;
  private final CandorTopic<String, Feedback> feedback;
  private final CandorTopic<String, ModelUpdate> modelUpdates;
  private final CandorTopic<byte[], byte[]> deadLetters;

  private Topics(Builder b) {
    Map<TopicKind, String> n = new EnumMap<>(TopicKind.class);
    Map<String, TopicKind> seen = new HashMap<>();
    for (TopicKind kind : TopicKind.values()) {
      String name = b.overrides.getOrDefault(kind, b.prefix + kind.suffix());
      TopicKind clash = seen.put(name, kind);
      if (clash != null) {
        // Two roles on one topic would, e.g., feed predictions back in as input.
        throw new IllegalArgumentException(
            "Topics " + clash + " and " + kind + " both named '" + name + "'");
      }
      n.put(kind, name);
    }
    this.names = Collections.unmodifiableMap(n);
    this.texts = new CandorTopic<>(n.get(TopicKind.TEXTS), Serdes.ByteArray(), Serdes.ByteArray());
    this.predictions =
        new CandorTopic<>(
            n.get(TopicKind.PREDICTIONS),
            Serdes.String(),
            AvroSerdes.of(ExplainedPrediction.class, b.writerSchemas));
    this.flags =
        new CandorTopic<>(
            n.get(TopicKind.FLAGS),
            Serdes.String(),
            AvroSerdes.of(ExplainedPrediction.class, b.writerSchemas));
    this.feedback =
        new CandorTopic<>(
            n.get(TopicKind.FEEDBACK),
            Serdes.String(),
            AvroSerdes.of(Feedback.class, b.writerSchemas));
    this.modelUpdates =
        new CandorTopic<>(
            n.get(TopicKind.MODEL_UPDATES),
            Serdes.String(),
            AvroSerdes.of(ModelUpdate.class, b.writerSchemas));
    this.deadLetters =
        new CandorTopic<>(n.get(TopicKind.DEAD_LETTERS), Serdes.ByteArray(), Serdes.ByteArray());
  }

  /**
   * Returns the topics with their default names ({@code candor.texts}, ...).
   *
   * @return the default topics
   */
  public static Topics defaults() {
    return builder().build();
  }

  /**
   * Returns a builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Input texts: key and value read as raw bytes (the value decoded with {@link InputDecoder}), so
   * that a record whose key is null or not UTF-8 still reaches the dead letters exactly as it came.
   *
   * @return the topic
   */
  public CandorTopic<byte[], byte[]> texts() {
    return texts;
  }

  /**
   * Every explained prediction.
   *
   * @return the topic
   */
  public CandorTopic<String, ExplainedPrediction> predictions() {
    return predictions;
  }

  /**
   * Flagged predictions only.
   *
   * @return the topic
   */
  public CandorTopic<String, ExplainedPrediction> flags() {
    return flags;
  }

  /**
   * Reviewer feedback.
   *
   * @return the topic
   */
  public CandorTopic<String, Feedback> feedback() {
    return feedback;
  }

  /**
   * Model updates, keyed by model name; create it compacted.
   *
   * @return the topic
   */
  public CandorTopic<String, ModelUpdate> modelUpdates() {
    return modelUpdates;
  }

  /**
   * Dead letters: original key and value bytes plus error headers ({@link DeadLetterHeaders}).
   *
   * @return the topic
   */
  public CandorTopic<byte[], byte[]> deadLetters() {
    return deadLetters;
  }

  /**
   * Returns the topic name for {@code kind}.
   *
   * @param kind the topic role (cannot be {@code null})
   * @return its name
   */
  public String name(TopicKind kind) {
    return names.get(Objects.requireNonNull(kind, "kind cannot be null"));
  }

  /**
   * Returns every topic name by role, in {@link TopicKind} order, e.g. to create them all.
   *
   * @return an unmodifiable map
   */
  public Map<TopicKind, String> names() {
    return names;
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "Topics" + names;
  }

  /** Builder for {@link Topics}; every setting is optional. */
  public static final class Builder {
    private String prefix = DEFAULT_PREFIX;
    private final Map<TopicKind, String> overrides = new EnumMap<>(TopicKind.class);
    private SchemaStore writerSchemas = new SchemaStore.Cache();

    private Builder() {}

    /**
     * Sets the prefix for topics without an override, e.g. {@code "test-42."}.
     *
     * @param prefix the prefix, may be empty (cannot be {@code null})
     * @return this builder
     */
    public Builder optPrefix(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix cannot be null");
      return this;
    }

    /**
     * Sets the full name of one topic; the prefix is not applied to it.
     *
     * @param kind the topic role (cannot be {@code null})
     * @param name the full topic name (cannot be {@code null})
     * @return this builder
     */
    public Builder optName(TopicKind kind, String name) {
      overrides.put(
          Objects.requireNonNull(kind, "kind cannot be null"),
          Objects.requireNonNull(name, "name cannot be null"));
      return this;
    }

    /**
     * Sets other writer schema versions the Avro value serdes should accept.
     *
     * @param writerSchemas looked up by fingerprint (cannot be {@code null})
     * @return this builder
     */
    public Builder optWriterSchemas(SchemaStore writerSchemas) {
      this.writerSchemas = Objects.requireNonNull(writerSchemas, "writerSchemas cannot be null");
      return this;
    }

    /**
     * Builds the topics.
     *
     * @return the topics
     * @throws IllegalArgumentException if a name is illegal or two topics share a name
     */
    public Topics build() {
      return new Topics(this);
    }
  }
}
