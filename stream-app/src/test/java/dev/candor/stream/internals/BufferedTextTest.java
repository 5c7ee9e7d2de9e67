package dev.candor.stream.internals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class BufferedTextTest {

  private final Serde<BufferedText> serde = BufferedText.serde();

  @Test
  void shouldRoundTripEveryFieldIncludingNulls() {
    BufferedText t =
        new BufferedText(
            "id-1",
            "Ünïcode \uD83D\uDE00 text",
            5L,
            null,
            6L,
            7L,
            "candor.texts",
            2,
            99L,
            null,
            "Ünïcode".getBytes(StandardCharsets.UTF_8),
            List.of(
                new RecordHeader("trace", "abc".getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("empty", null)));

    BufferedText back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", t));

    assertEquals(t.id(), back.id());
    assertEquals(t.text(), back.text());
    assertEquals(5L, back.submittedAtMs());
    assertNull(back.source());
    assertEquals(6L, back.enqueuedAtMs());
    assertEquals(7L, back.timestamp());
    assertEquals("candor.texts", back.topic());
    assertEquals(2, back.partition());
    assertEquals(99L, back.offset());
    assertNull(back.originalKey());
    assertArrayEquals(t.originalValue(), back.originalValue());
    assertEquals("trace", back.originalHeaders().get(0).key());
    assertArrayEquals(
        "abc".getBytes(StandardCharsets.UTF_8), back.originalHeaders().get(0).value());
    assertNull(back.originalHeaders().get(1).value());
  }

  @Test
  void shouldRefuseAnUnknownFormatVersion() {
    assertThrows(
        SerializationException.class,
        () -> serde.deserializer().deserialize("t", new byte[] {9, 0, 0}));
  }
}
