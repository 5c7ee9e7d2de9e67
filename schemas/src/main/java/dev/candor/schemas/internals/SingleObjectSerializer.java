package dev.candor.schemas.internals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Writes a generated record in Avro single-object encoding with its generated schema. */
public final class SingleObjectSerializer<T extends SpecificRecord> implements Serializer<T> {

  private final String typeName;
  private final BinaryMessageEncoder<T> encoder;

  /**
   * Creates a serializer for {@code type}.
   *
   * @param type a generated record class
   */
  public SingleObjectSerializer(Class<T> type) {
    TrustedRecords.install();
    this.typeName = type.getSimpleName();
    this.encoder =
        new BinaryMessageEncoder<>(SpecificData.getForClass(type), GeneratedSchemas.of(type));
  }

  /** {@inheritDoc} */
  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      encoder.encode(data, out);
    } catch (IOException | AvroRuntimeException | NullPointerException e) {
      // A required field left null shows up as an NPE deep inside Avro; name the record instead.
      throw new SerializationException(
          "Cannot serialize " + typeName + " for topic '" + topic + "': " + e, e);
    }
    return out.toByteArray();
  }
}
