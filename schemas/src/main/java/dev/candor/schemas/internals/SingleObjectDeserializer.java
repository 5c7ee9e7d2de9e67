package dev.candor.schemas.internals;

import java.io.IOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Avro single-object encoded data into a generated record, resolving the writer schema by
 * fingerprint against the generated schema plus a {@link SchemaStore} of other known versions.
 */
public final class SingleObjectDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private final String typeName;
  private final BinaryMessageDecoder<T> decoder;

  /**
   * Creates a deserializer for {@code type}.
   *
   * @param type a generated record class
   * @param writerSchemas other writer schemas to accept
   */
  public SingleObjectDeserializer(Class<T> type, SchemaStore writerSchemas) {
    TrustedRecords.install();
    this.typeName = type.getSimpleName();
    Schema readerSchema = GeneratedSchemas.of(type);
    this.decoder =
        new BinaryMessageDecoder<>(SpecificData.getForClass(type), readerSchema, writerSchemas);
  }

  /**
   * Decodes {@code data}, letting Avro's own exceptions through so that a caller can tell an
   * unknown schema ({@link MissingSchemaException}) from a bad header or a corrupt body.
   *
   * @param data the encoded bytes
   * @return the record
   * @throws IOException if the body ends early
   * @throws AvroRuntimeException for a bad header, unknown fingerprint or corrupt body
   */
  public T decode(byte[] data) throws IOException {
    return decoder.decode(data);
  }

  /** {@inheritDoc} */
  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return decode(data);
    } catch (BadHeaderException e) {
      throw fail(
          topic,
          data,
          "not Avro single-object encoding (expected header C3 01, got "
              + SingleObjectHeader.describeStart(data)
              + ")",
          e);
    } catch (MissingSchemaException e) {
      throw fail(
          topic,
          data,
          "unknown writer schema "
              + SingleObjectHeader.describeFingerprint(data)
              + "; the reader knows only its own schema and the versions it was given",
          e);
    } catch (AvroTypeException e) {
      throw fail(
          topic, data, "writer schema cannot be read as " + typeName + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      // Truncated or corrupt bodies surface as EOF, negative lengths, bad unions, OOM-safe
      // AvroRuntimeExceptions or index errors depending on where the bytes break.
      throw fail(topic, data, "corrupt Avro body: " + e, e);
    }
  }

  private SerializationException fail(String topic, byte[] data, String why, Exception cause) {
    return new SerializationException(
        "Cannot deserialize "
            + typeName
            + " from topic '"
            + topic
            + "' ("
            + data.length
            + " bytes): "
            + why,
        cause);
  }
}
