package dev.candor.schemas;

import dev.candor.schemas.DecodeResult.Accepted;
import dev.candor.schemas.DecodeResult.Rejected;
import dev.candor.schemas.avro.TextSubmitted;
import dev.candor.schemas.internals.JsonInput;
import dev.candor.schemas.internals.SingleObjectDeserializer;
import dev.candor.schemas.internals.SingleObjectHeader;
import dev.candor.schemas.internals.StrictUtf8;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.avro.AvroTypeException;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;

/**
 * Turns a raw record from the input topic into a {@link TextSubmitted} or a {@link Rejected}
 * reason. It never throws, so one bad record can never stop the stream.
 *
 * <p>Accepted forms, tried in this order:
 *
 * <ol>
 *   <li>Avro single-object encoded {@code TextSubmitted} (starts with {@code C3 01}; valid UTF-8
 *       never does, so this cannot be mistaken for text);
 *   <li>a JSON object {@code {"id": .., "text": .., "submittedAtMs": .., "source": ..}} where only
 *       {@code text} is required; a value is JSON if it starts, after whitespace, with <code>{"
 *       </code> or <code>{}</code>;
 *   <li>anything else that is valid UTF-8 is the text itself.
 * </ol>
 *
 * <p>A missing or blank id is taken from the record key (as UTF-8) or, failing that, generated. A
 * missing submit time is the record timestamp passed in, or the clock. A leading byte-order mark is
 * dropped so that char offsets start at the first real character.
 */
public final class InputDecoder {

  /** Default maximum text length, in UTF-16 chars. */
  public static final int DEFAULT_MAX_CHARS = 10_000;

  private static final char BOM = '\uFEFF';

  private final int maxChars;
  private final Clock clock;
  private final Supplier<String> idGenerator;
  private final SingleObjectDeserializer<TextSubmitted> avro;

  private InputDecoder(Builder builder) {
    this.maxChars = builder.maxChars;
    this.clock = builder.clock;
    this.idGenerator = builder.idGenerator;
    this.avro = new SingleObjectDeserializer<>(TextSubmitted.class, builder.writerSchemas);
  }

  /**
   * Returns a builder with the defaults: {@link #DEFAULT_MAX_CHARS}, the system clock, random UUID
   * ids and no writer schemas other than the current {@code TextSubmitted}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the maximum accepted text length in UTF-16 chars.
   *
   * @return the limit
   */
  public int maxChars() {
    return maxChars;
  }

  /**
   * Decodes a record, using the clock for a missing submit time.
   *
   * @param key the record key, may be {@code null}
   * @param value the record value, may be {@code null}
   * @return the decoded text or the reason it was rejected; never {@code null}
   */
  public DecodeResult decode(byte[] key, byte[] value) {
    return decode(key, value, clock.millis());
  }

  /**
   * Decodes a record.
   *
   * @param key the record key, may be {@code null}
   * @param value the record value, may be {@code null}
   * @param timestampMs the submit time to use when the value does not carry one (normally the
   *     record timestamp)
   * @return the decoded text or the reason it was rejected; never {@code null}
   */
  public DecodeResult decode(byte[] key, byte[] value, long timestampMs) {
    try {
      return decodeOrThrow(key, value, timestampMs);
    } catch (RuntimeException e) {
      // Last line of defence for the never-throws promise; every known failure is handled below.
      return new Rejected(RejectReason.NOT_DECODABLE, "unexpected decoding error: " + e);
    }
  }

  private DecodeResult decodeOrThrow(byte[] key, byte[] value, long timestampMs) {
    if (value == null) {
      return new Rejected(RejectReason.EMPTY_TEXT, "record value is null");
    }
    if (SingleObjectHeader.hasMarker(value)) {
      return decodeAvro(key, value);
    }
    String s;
    try {
      s = stripBom(StrictUtf8.decode(value));
    } catch (CharacterCodingException e) {
      return new Rejected(
          RejectReason.NOT_DECODABLE,
          "value is not Avro single-object encoding and not valid UTF-8: " + e.getMessage());
    }
    if (JsonInput.looksLikeJson(s)) {
      return decodeJson(key, s, timestampMs);
    }
    return accept(
        TextSubmitted.newBuilder()
            .setId(idFromKey(key))
            .setText(s)
            .setSubmittedAtMs(timestampMs)
            .setSource(null)
            .build(),
        InputFormat.TEXT);
  }

  private DecodeResult decodeAvro(byte[] key, byte[] value) {
    if (value.length < SingleObjectHeader.LENGTH) {
      return new Rejected(
          RejectReason.NOT_DECODABLE,
          "Avro single-object header truncated at " + value.length + " bytes");
    }
    TextSubmitted t;
    try {
      t = avro.decode(value);
    } catch (MissingSchemaException e) {
      return new Rejected(
          RejectReason.UNKNOWN_SCHEMA,
          "Avro writer schema with "
              + SingleObjectHeader.describeFingerprint(value)
              + " is not a known TextSubmitted version");
    } catch (AvroTypeException e) {
      return new Rejected(
          RejectReason.UNKNOWN_SCHEMA,
          "Avro writer schema cannot be read as TextSubmitted: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      return new Rejected(RejectReason.NOT_DECODABLE, "corrupt Avro TextSubmitted body: " + e);
    }
    if (t.getId().isBlank()) {
      t.setId(idFromKey(key));
    }
    return accept(t, InputFormat.AVRO);
  }

  private DecodeResult decodeJson(byte[] key, String s, long timestampMs) {
    JsonInput.Fields f;
    try {
      f = JsonInput.parse(s);
    } catch (JsonInput.InvalidJsonException e) {
      return new Rejected(RejectReason.NOT_DECODABLE, e.getMessage());
    }
    String id = f.id() == null || f.id().isBlank() ? idFromKey(key) : f.id();
    return accept(
        TextSubmitted.newBuilder()
            .setId(id)
            .setText(f.text())
            .setSubmittedAtMs(f.submittedAtMs() == null ? timestampMs : f.submittedAtMs())
            .setSource(f.source())
            .build(),
        InputFormat.JSON);
  }

  private DecodeResult accept(TextSubmitted t, InputFormat format) {
    String text = t.getText();
    if (text.isBlank()) {
      return new Rejected(
          RejectReason.EMPTY_TEXT,
          text.isEmpty()
              ? "text is empty"
              : "text is only whitespace (" + text.length() + " chars)");
    }
    if (text.length() > maxChars) {
      return new Rejected(
          RejectReason.TEXT_TOO_LONG,
          "text has " + text.length() + " chars, more than the limit of " + maxChars);
    }
    return new Accepted(t, format);
  }

  private String idFromKey(byte[] key) {
    String k = StrictUtf8.decodeOrNull(key);
    return k == null || k.isBlank() ? idGenerator.get() : k;
  }

  private static String stripBom(String s) {
    return !s.isEmpty() && s.charAt(0) == BOM ? s.substring(1) : s;
  }

  /** Builder for {@link InputDecoder}; every setting is optional. */
  public static final class Builder {
    private int maxChars = DEFAULT_MAX_CHARS;
    private Clock clock = Clock.systemUTC();
    private Supplier<String> idGenerator = () -> UUID.randomUUID().toString();
    private SchemaStore writerSchemas = new SchemaStore.Cache();

    private Builder() {}

    /**
     * Sets the maximum text length in UTF-16 chars (Java {@code String.length()}).
     *
     * @param maxChars the limit, at least 1
     * @return this builder
     */
    public Builder optMaxChars(int maxChars) {
      if (maxChars < 1) {
        throw new IllegalArgumentException("maxChars must be at least 1, got " + maxChars);
      }
      this.maxChars = maxChars;
      return this;
    }

    /**
     * Sets the clock used for the submit time when neither the value nor the caller gives one.
     *
     * @param clock the clock (cannot be {@code null})
     * @return this builder
     */
    public Builder optClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock cannot be null");
      return this;
    }

    /**
     * Sets how ids are made for records with neither an id nor a usable key.
     *
     * @param idGenerator supplies fresh ids (cannot be {@code null})
     * @return this builder
     */
    public Builder optIdGenerator(Supplier<String> idGenerator) {
      this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator cannot be null");
      return this;
    }

    /**
     * Sets other {@code TextSubmitted} writer schemas (older or newer versions) to accept.
     *
     * @param writerSchemas looked up by fingerprint (cannot be {@code null})
     * @return this builder
     */
    public Builder optWriterSchemas(SchemaStore writerSchemas) {
      this.writerSchemas = Objects.requireNonNull(writerSchemas, "writerSchemas cannot be null");
      return this;
    }

    /**
     * Builds the decoder.
     *
     * @return a new decoder, safe to share between threads
     */
    public InputDecoder build() {
      return new InputDecoder(this);
    }
  }
}
