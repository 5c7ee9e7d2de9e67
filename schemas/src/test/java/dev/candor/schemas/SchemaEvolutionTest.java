package dev.candor.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.FeedbackAction;
import dev.candor.schemas.avro.TextSubmitted;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** Old and new writers against the current reader, with test variants of the schemas. */
class SchemaEvolutionTest {

  @Test
  void shouldReadOldWriterWithDefaultForAddedField() throws IOException {
    // Given: data written before 'source' existed
    Schema v0 = load("evolution/TextSubmitted-v0.avsc");
    GenericRecord old = new GenericData.Record(v0);
    old.put("id", "old-1");
    old.put("text", "written by an old producer");
    old.put("submittedAtMs", 7L);
    byte[] bytes = encodeGeneric(v0, old);
    // When: the current reader knows the old schema
    Serde<TextSubmitted> serde = AvroSerdes.of(TextSubmitted.class, storeOf(v0));
    TextSubmitted read = serde.deserializer().deserialize("t", bytes);
    // Then: the added field takes its default
    assertEquals("old-1", read.getId());
    assertEquals("written by an old producer", read.getText());
    assertEquals(7L, read.getSubmittedAtMs());
    assertNull(read.getSource());
  }

  @Test
  void shouldReadNewWriterIgnoringFieldItDoesNotKnow() throws IOException {
    Schema v2 = load("evolution/TextSubmitted-v2.avsc");
    GenericRecord newer = new GenericData.Record(v2);
    newer.put("id", "new-1");
    newer.put("text", "written by a newer producer");
    newer.put("submittedAtMs", 8L);
    newer.put("source", "api");
    newer.put("language", "en");
    byte[] bytes = encodeGeneric(v2, newer);

    Serde<TextSubmitted> serde = AvroSerdes.of(TextSubmitted.class, storeOf(v2));
    TextSubmitted read = serde.deserializer().deserialize("t", bytes);

    assertEquals(new TextSubmitted("new-1", "written by a newer producer", 8L, "api"), read);
  }

  @Test
  void shouldRefuseNewWriterWhenReaderWasNotGivenItsSchema() throws IOException {
    // Without a registry, a reader can only resolve schemas it has been given.
    Schema v2 = load("evolution/TextSubmitted-v2.avsc");
    GenericRecord newer = new GenericData.Record(v2);
    newer.put("id", "new-1");
    newer.put("text", "x");
    newer.put("submittedAtMs", 8L);
    newer.put("language", "en");
    byte[] bytes = encodeGeneric(v2, newer);

    SerializationException e =
        assertThrows(
            SerializationException.class,
            () -> AvroSerdes.of(TextSubmitted.class).deserializer().deserialize("t", bytes));
    assertTrue(e.getMessage().contains("unknown writer schema"), e.getMessage());
  }

  @Test
  void shouldLetOldReaderReadCurrentWriter() throws IOException {
    // An old consumer (v0 reader) given the current schema reads current data, dropping 'source'.
    Schema v0 = load("evolution/TextSubmitted-v0.avsc");
    byte[] bytes = AvroSerdes.of(TextSubmitted.class).serializer().serialize("t", Samples.text());

    var decoder =
        new org.apache.avro.message.BinaryMessageDecoder<GenericRecord>(
            GenericData.get(), v0, storeOf(AvroSerdes.schemaOf(TextSubmitted.class)));
    GenericRecord read = decoder.decode(bytes);

    assertEquals(Samples.text().getId(), read.get("id").toString());
    assertEquals(Samples.text().getText(), read.get("text").toString());
    assertNull(read.getSchema().getField("source"));
  }

  @Test
  void shouldFillEmptyFlagsWhenPredictionWasWrittenBeforeFlagsExisted() throws IOException {
    ExplainedPrediction read = predictionWrittenWithout("flags");

    assertTrue(read.getFlags().isEmpty());
    assertEquals(Samples.prediction().getTokens(), read.getTokens());
    assertEquals(Samples.prediction().getTextSha256(), read.getTextSha256());
  }

  @Test
  void shouldDeclareVariantsCompatibleBothWays() throws IOException {
    Schema current = AvroSerdes.schemaOf(TextSubmitted.class);
    for (String variant :
        List.of("evolution/TextSubmitted-v0.avsc", "evolution/TextSubmitted-v2.avsc")) {
      Schema other = load(variant);
      assertCompatible(current, other);
      assertCompatible(other, current);
    }
  }

  @Test
  void shouldReadVersionOneFeedbackWithDefaultsForEveryAddedField() throws IOException {
    // Given: feedback written by a version-1 producer (no action, text, spans, ...)
    Schema v1 = load("evolution/Feedback-v1.avsc");
    GenericRecord old = new GenericData.Record(v1);
    old.put("id", "t-1");
    old.put("reviewer", "ana");
    old.put("label", "normal");
    old.put("spuriousTokens", List.of("muslims"));
    old.put("rationale", null);
    old.put("createdAtMs", 9L);
    byte[] bytes = encodeGeneric(v1, old);
    // When: the current reader, given the old schema, decodes it
    Feedback read =
        AvroSerdes.of(Feedback.class, storeOf(v1)).deserializer().deserialize("t", bytes);
    // Then: old fields survive and the added ones take their defaults
    assertEquals("t-1", read.getId());
    assertEquals("normal", read.getLabel());
    assertEquals(List.of("muslims"), read.getSpuriousTokens());
    assertNull(read.getAction());
    assertNull(read.getText());
    assertNull(read.getTextSha256());
    assertNull(read.getFeedbackId());
    assertTrue(read.getSpuriousSpans().isEmpty());
  }

  @Test
  void shouldLetVersionOneReaderReadCurrentFeedback() throws IOException {
    Feedback current =
        Feedback.newBuilder()
            .setId("t-2")
            .setReviewer("ana")
            .setLabel("normal")
            .setCreatedAtMs(10L)
            .setFeedbackId("f-1")
            .setAction(FeedbackAction.MARK_SPURIOUS)
            .setText("<user> i love this song")
            .setTextSha256("ab")
            .setModelVersion("v1")
            .setPredictedLabel("normal")
            .setSpuriousSpans(List.of(new CharSpan(0, 6)))
            .build();
    byte[] bytes = AvroSerdes.of(Feedback.class).serializer().serialize("t", current);

    Schema v1 = load("evolution/Feedback-v1.avsc");
    var decoder =
        new org.apache.avro.message.BinaryMessageDecoder<GenericRecord>(
            GenericData.get(), v1, storeOf(AvroSerdes.schemaOf(Feedback.class)));
    GenericRecord read = decoder.decode(bytes);

    assertEquals("t-2", read.get("id").toString());
    assertEquals("normal", read.get("label").toString());
    assertEquals(10L, read.get("createdAtMs"));
    assertNull(read.getSchema().getField("spuriousSpans"));
  }

  @Test
  void shouldRoundTripCurrentFeedback() {
    Feedback current =
        Feedback.newBuilder()
            .setId("t-3")
            .setReviewer("bo")
            .setCreatedAtMs(11L)
            .setAction(FeedbackAction.RETRACT)
            .build();
    Serde<Feedback> serde = AvroSerdes.of(Feedback.class);
    assertEquals(
        current, serde.deserializer().deserialize("t", serde.serializer().serialize("t", current)));
    assertTrue(current.getSpuriousTokens().isEmpty());
  }

  @Test
  void shouldDeclareFeedbackVersionsCompatibleBothWays() throws IOException {
    Schema current = AvroSerdes.schemaOf(Feedback.class);
    Schema v1 = load("evolution/Feedback-v1.avsc");
    assertCompatible(current, v1);
    assertCompatible(v1, current);
  }

  @Test
  void shouldFillEmptySpansAndNullTextForPredictionsWrittenBeforeThem() throws IOException {
    ExplainedPrediction read = predictionWrittenWithout("text");

    assertNull(read.getText());
    assertEquals(Samples.prediction().getFlags(), read.getFlags());
  }

  @Test
  void shouldReadPredictionsWrittenBeforeTheTargetFieldAsExplainingTheLogit() throws IOException {
    ExplainedPrediction read = predictionWrittenWithout("explanationTarget");

    assertEquals("logit", read.getExplanationTarget());
    assertEquals(Samples.prediction().getCompletenessResidual(), read.getCompletenessResidual());
  }

  /** The sample prediction written by a producer whose schema lacked {@code field}, read now. */
  private static ExplainedPrediction predictionWrittenWithout(String field) throws IOException {
    Schema current = AvroSerdes.schemaOf(ExplainedPrediction.class);
    Schema older = withoutField(current, field);
    byte[] bytes = encodeGeneric(older, project(Samples.prediction(), current, older));
    return AvroSerdes.of(ExplainedPrediction.class, storeOf(older))
        .deserializer()
        .deserialize("t", bytes);
  }

  private static void assertCompatible(Schema reader, Schema writer) {
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    assertEquals(
        SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
        result.getType(),
        result.getDescription());
  }

  private static Schema load(String resource) throws IOException {
    try (InputStream in =
        SchemaEvolutionTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new Schema.Parser().parse(in);
    }
  }

  private static SchemaStore storeOf(Schema schema) {
    SchemaStore.Cache store = new SchemaStore.Cache();
    store.addSchema(schema);
    return store;
  }

  private static byte[] encodeGeneric(Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record, out);
    return out.toByteArray();
  }

  /** A copy of {@code schema} without one top-level field, as an older version would be. */
  private static Schema withoutField(Schema schema, String name) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      if (!f.name().equals(name)) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  /** Re-reads a specific record under another schema via Avro resolution. */
  private static GenericRecord project(ExplainedPrediction p, Schema writer, Schema reader)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    var enc = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<ExplainedPrediction>(writer).write(p, enc);
    enc.flush();
    return new GenericDatumReader<GenericRecord>(writer, reader)
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }
}
