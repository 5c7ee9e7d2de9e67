package dev.candor.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.ModelUpdate;
import dev.candor.schemas.avro.TextSubmitted;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Rules of the wire contract that reviewers would otherwise have to remember. */
class SchemaContractTest {

  private static final List<Class<? extends SpecificRecord>> TOP_LEVEL =
      List.of(TextSubmitted.class, ExplainedPrediction.class, Feedback.class, ModelUpdate.class);

  @Test
  void shouldDocumentEveryRecordAndField() {
    for (Schema record : allRecords()) {
      assertTrue(record.getDoc() != null && !record.getDoc().isBlank(), record.getFullName());
      for (Schema.Field f : record.getFields()) {
        assertTrue(f.doc() != null && !f.doc().isBlank(), record.getName() + "." + f.name());
      }
    }
  }

  @Test
  void shouldDefaultEveryNullableFieldToNull() {
    for (Schema record : allRecords()) {
      for (Schema.Field f : record.getFields()) {
        if (f.schema().isNullable()) {
          assertTrue(
              f.hasDefaultValue(), record.getName() + "." + f.name() + " needs default null");
        }
      }
    }
  }

  @Test
  void shouldUseTheCandorNamespace() {
    for (Schema record : allRecords()) {
      assertEquals("dev.candor.schemas.avro", record.getNamespace(), record.getFullName());
    }
  }

  private static Set<Schema> allRecords() {
    Set<Schema> out = new HashSet<>();
    for (Class<? extends SpecificRecord> type : TOP_LEVEL) {
      collect(AvroSerdes.schemaOf(type), out);
    }
    assertEquals(8, out.size(), "record types in the contract");
    return out;
  }

  private static void collect(Schema s, Set<Schema> out) {
    switch (s.getType()) {
      case RECORD:
        if (out.add(s)) {
          s.getFields().forEach(f -> collect(f.schema(), out));
        }
        break;
      case ARRAY:
        collect(s.getElementType(), out);
        break;
      case MAP:
        collect(s.getValueType(), out);
        break;
      case UNION:
        s.getTypes().forEach(t -> collect(t, out));
        break;
      default:
        break;
    }
  }
}
