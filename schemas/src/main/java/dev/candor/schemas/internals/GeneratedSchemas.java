package dev.candor.schemas.internals;

import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The current schema of a generated record class. Lives here, not in the public {@code AvroSerdes},
 * so that the serializers below it need nothing from the package above them.
 */
public final class GeneratedSchemas {

  private GeneratedSchemas() {}

  /**
   * Returns the generated (current) schema of {@code type}.
   *
   * @param type a generated record class (cannot be {@code null})
   * @return its schema
   */
  public static Schema of(Class<? extends SpecificRecord> type) {
    Objects.requireNonNull(type, "type cannot be null");
    return SpecificData.getForClass(type).getSchema(type);
  }
}
