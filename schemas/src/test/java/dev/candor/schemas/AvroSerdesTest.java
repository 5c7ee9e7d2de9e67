package dev.candor.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.TextSubmitted;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdesTest {

  static Stream<SpecificRecord> everyRecordType() {
    return Stream.of(
        Samples.text(),
        Samples.cls(),
        Samples.hello(),
        Samples.word(),
        Samples.flag(),
        Samples.prediction(),
        Samples.feedback(),
        Samples.modelUpdate());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyRecordType")
  void shouldRoundTripEveryRecordType(SpecificRecord record) {
    Serde<SpecificRecord> serde = serdeFor(record);
    byte[] bytes = serde.serializer().serialize("t", record);

    assertEquals((byte) 0xC3, bytes[0], "single-object marker");
    assertEquals((byte) 0x01, bytes[1], "single-object version");
    assertEquals(record, serde.deserializer().deserialize("t", bytes));
  }

  @Test
  void shouldKeepEmptyCollectionsAndNullOptionals() {
    Feedback minimal =
        Feedback.newBuilder().setId("x").setReviewer("bob").setCreatedAtMs(1).build();
    Serde<Feedback> serde = AvroSerdes.of(Feedback.class);

    Feedback back =
        serde.deserializer().deserialize("t", serde.serializer().serialize("t", minimal));

    assertEquals(minimal, back);
    assertNull(back.getLabel());
    assertTrue(back.getSpuriousTokens().isEmpty());
  }

  @Test
  void shouldPassNullThroughAsTombstone() {
    Serde<TextSubmitted> serde = AvroSerdes.of(TextSubmitted.class);

    assertNull(serde.serializer().serialize("t", null));
    assertNull(serde.deserializer().deserialize("t", null));
  }

  @Test
  void shouldRejectGarbageWithClearMessage() {
    Serde<ExplainedPrediction> serde = AvroSerdes.of(ExplainedPrediction.class);
    byte[] json = "{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8);

    SerializationException e =
        assertThrows(
            SerializationException.class,
            () -> serde.deserializer().deserialize("candor.predictions", json));

    assertTrue(e.getMessage().contains("ExplainedPrediction"), e.getMessage());
    assertTrue(e.getMessage().contains("candor.predictions"), e.getMessage());
    assertTrue(e.getMessage().contains("expected header C3 01, got 7B 22"), e.getMessage());
  }

  @Test
  void shouldRejectEmptyBytes() {
    Serde<TextSubmitted> serde = AvroSerdes.of(TextSubmitted.class);

    SerializationException e =
        assertThrows(
            SerializationException.class, () -> serde.deserializer().deserialize("t", new byte[0]));

    assertTrue(e.getMessage().contains("no bytes"), e.getMessage());
  }

  @Test
  void shouldRejectUnknownFingerprint() {
    Serde<TextSubmitted> serde = AvroSerdes.of(TextSubmitted.class);
    byte[] feedback = AvroSerdes.of(Feedback.class).serializer().serialize("t", Samples.feedback());

    SerializationException e =
        assertThrows(
            SerializationException.class, () -> serde.deserializer().deserialize("t", feedback));

    assertTrue(e.getMessage().contains("unknown writer schema fingerprint 0x"), e.getMessage());
  }

  @Test
  void shouldRejectTruncatedBody() {
    Serde<ExplainedPrediction> serde = AvroSerdes.of(ExplainedPrediction.class);
    byte[] full = serde.serializer().serialize("t", Samples.prediction());
    byte[] cut = Arrays.copyOf(full, full.length / 2);

    SerializationException e =
        assertThrows(
            SerializationException.class, () -> serde.deserializer().deserialize("t", cut));

    assertTrue(e.getMessage().contains("corrupt Avro body"), e.getMessage());
  }

  @Test
  void shouldRejectRandomBytesAfterValidHeader() {
    Serde<ExplainedPrediction> serde = AvroSerdes.of(ExplainedPrediction.class);
    byte[] bytes = serde.serializer().serialize("t", Samples.prediction());
    // Keep marker and fingerprint, replace the body with bytes that decode to huge lengths.
    Arrays.fill(bytes, 10, bytes.length, (byte) 0xFF);

    assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", bytes));
  }

  @Test
  void shouldNameRecordWhenRequiredFieldIsNull() {
    Serde<TextSubmitted> serde = AvroSerdes.of(TextSubmitted.class);
    TextSubmitted broken = new TextSubmitted(null, "text", 1L, null);

    SerializationException e =
        assertThrows(
            SerializationException.class,
            () -> serde.serializer().serialize("candor.texts", broken));

    assertTrue(e.getMessage().contains("TextSubmitted"), e.getMessage());
  }

  @Test
  void shouldWriteSameBytesAsGeneratedEncoder() throws Exception {
    TextSubmitted t = Samples.text();
    byte[] ours = AvroSerdes.of(TextSubmitted.class).serializer().serialize("t", t);
    ByteBuffer buffer = t.toByteBuffer();
    byte[] generated = new byte[buffer.remaining()];
    buffer.get(generated);

    assertArrayEquals(generated, ours);
  }

  @SuppressWarnings("unchecked")
  private static Serde<SpecificRecord> serdeFor(SpecificRecord record) {
    return AvroSerdes.of((Class<SpecificRecord>) record.getClass());
  }
}
