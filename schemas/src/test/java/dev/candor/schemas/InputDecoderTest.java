package dev.candor.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.schemas.DecodeResult.Accepted;
import dev.candor.schemas.DecodeResult.Rejected;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.TextSubmitted;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class InputDecoderTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final long RECORD_TS = 1_600_000_000_000L;

  private final AtomicInteger ids = new AtomicInteger();
  private final InputDecoder decoder =
      InputDecoder.builder()
          .optMaxChars(1_000)
          .optClock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
          .optIdGenerator(() -> "gen-" + ids.incrementAndGet())
          .build();

  // ---- accepted forms

  @Test
  void shouldAcceptAvroTextSubmitted() {
    byte[] value = avro(Samples.text());

    Accepted a = accepted(decoder.decode(utf8("ignored-key"), value));

    assertEquals(InputFormat.AVRO, a.format());
    assertEquals(Samples.text(), a.text());
  }

  @Test
  void shouldTakeIdFromKeyWhenAvroIdIsBlank() {
    TextSubmitted noId = new TextSubmitted("", "hello", 5L, null);

    Accepted a = accepted(decoder.decode(utf8("k-9"), avro(noId)));

    assertEquals("k-9", a.text().getId());
    assertEquals(5L, a.text().getSubmittedAtMs());
  }

  @Test
  void shouldAcceptJsonWithIdAndText() {
    Accepted a =
        accepted(
            decoder.decode(
                utf8("key"),
                utf8(
                    "{\"id\":\"j-1\",\"text\":\"you are"
                        + " great\",\"source\":\"web\",\"extra\":[1,2]}"),
                RECORD_TS));

    assertEquals(InputFormat.JSON, a.format());
    assertEquals(new TextSubmitted("j-1", "you are great", RECORD_TS, "web"), a.text());
  }

  @Test
  void shouldTakeJsonIdFromKeyWhenAbsent() {
    Accepted a = accepted(decoder.decode(utf8("key-7"), utf8("  {\"text\":\"hi\"}  ")));

    assertEquals("key-7", a.text().getId());
    assertEquals(NOW, a.text().getSubmittedAtMs());
    assertNull(a.text().getSource());
  }

  @Test
  void shouldGenerateJsonIdWithoutKey() {
    Accepted a = accepted(decoder.decode(null, utf8("{\"text\":\"hi\"}")));

    assertEquals("gen-1", a.text().getId());
  }

  @Test
  void shouldAcceptIntegerJsonIdAndSubmitTime() {
    Accepted a =
        accepted(
            decoder.decode(
                null, utf8("{\"id\":12345678901234,\"text\":\"hi\",\"submittedAtMs\":99}")));

    assertEquals("12345678901234", a.text().getId());
    assertEquals(99L, a.text().getSubmittedAtMs());
  }

  @Test
  void shouldAcceptRawUtf8TextWithKeyAsId() {
    String text = "Grüße, 世界 \uD83D\uDE00 — {not json}";

    Accepted a = accepted(decoder.decode(utf8("raw-1"), utf8(text), RECORD_TS));

    assertEquals(InputFormat.TEXT, a.format());
    assertEquals(new TextSubmitted("raw-1", text, RECORD_TS, null), a.text());
  }

  @Test
  void shouldGenerateIdForRawTextWithoutKey() {
    Accepted first = accepted(decoder.decode(null, utf8("one")));
    Accepted second = accepted(decoder.decode(utf8("  "), utf8("two")));

    assertEquals("gen-1", first.text().getId());
    assertEquals("gen-2", second.text().getId());
  }

  @Test
  void shouldGenerateIdWhenKeyIsNotUtf8() {
    Accepted a = accepted(decoder.decode(new byte[] {(byte) 0xFF, 0x00}, utf8("text")));

    assertEquals("gen-1", a.text().getId());
  }

  @Test
  void shouldUseRandomUuidIdsByDefault() {
    Accepted a = accepted(InputDecoder.builder().build().decode(null, utf8("text")));

    assertEquals(36, a.text().getId().length(), a.text().getId());
  }

  @Test
  void shouldTreatTextStartingWithBraceAsRawText() {
    Accepted a = accepted(decoder.decode(null, utf8("{sarcasm} great job")));

    assertEquals(InputFormat.TEXT, a.format());
    assertEquals("{sarcasm} great job", a.text().getText());
  }

  @Test
  void shouldDropByteOrderMark() {
    Accepted a = accepted(decoder.decode(null, utf8("\uFEFFhello")));

    assertEquals("hello", a.text().getText());
  }

  @Test
  void shouldAcceptTextAtExactlyTheLimit() {
    Accepted a = accepted(decoder.decode(null, utf8("x".repeat(1_000))));

    assertEquals(1_000, a.text().getText().length());
  }

  // ---- rejections

  @Test
  void shouldRejectNullValueAsEmpty() {
    assertRejected(RejectReason.EMPTY_TEXT, "null", decoder.decode(utf8("k"), null));
  }

  @Test
  void shouldRejectEmptyAndBlankText() {
    assertRejected(RejectReason.EMPTY_TEXT, "empty", decoder.decode(null, new byte[0]));
    assertRejected(RejectReason.EMPTY_TEXT, "whitespace", decoder.decode(null, utf8(" \t\n ")));
    assertRejected(RejectReason.EMPTY_TEXT, "empty", decoder.decode(null, utf8("{\"text\":\"\"}")));
    assertRejected(
        RejectReason.EMPTY_TEXT,
        "whitespace",
        decoder.decode(null, avro(new TextSubmitted("a", "   ", 1L, null))));
  }

  @Test
  void shouldRejectInvalidUtf8() {
    byte[] bad = {'h', 'i', (byte) 0xC3, 0x28, 'x'};

    Rejected r =
        assertRejected(RejectReason.NOT_DECODABLE, "not valid UTF-8", decoder.decode(null, bad));

    assertTrue(r.detail().contains("byte offset 2"), r.detail());
  }

  @Test
  void shouldRejectLoneSurrogateEncodedAsUtf8() {
    // CESU-style encoding of U+D800 is not well-formed UTF-8.
    byte[] bad = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};

    assertRejected(RejectReason.NOT_DECODABLE, "UTF-8", decoder.decode(null, bad));
  }

  @Test
  void shouldRejectJsonWithoutText() {
    assertRejected(
        RejectReason.NOT_DECODABLE,
        "no \"text\"",
        decoder.decode(null, utf8("{\"id\":\"x\",\"body\":\"hello\"}")));
    assertRejected(RejectReason.NOT_DECODABLE, "no \"text\"", decoder.decode(null, utf8("{}")));
    assertRejected(
        RejectReason.NOT_DECODABLE, "no \"text\"", decoder.decode(null, utf8("{\"text\":null}")));
  }

  @Test
  void shouldRejectJsonWithWrongTypes() {
    assertRejected(
        RejectReason.NOT_DECODABLE,
        "\"text\" must be a string, got number 42",
        decoder.decode(null, utf8("{\"text\":42}")));
    assertRejected(
        RejectReason.NOT_DECODABLE,
        "\"text\" must be a string, got array",
        decoder.decode(null, utf8("{\"text\":[\"a\"]}")));
    assertRejected(
        RejectReason.NOT_DECODABLE,
        "\"id\" must be a string or an integer, got object",
        decoder.decode(null, utf8("{\"id\":{},\"text\":\"a\"}")));
    assertRejected(
        RejectReason.NOT_DECODABLE,
        "\"id\" must be a string or an integer, got number 1.5",
        decoder.decode(null, utf8("{\"id\":1.5,\"text\":\"a\"}")));
    assertRejected(
        RejectReason.NOT_DECODABLE,
        "\"submittedAtMs\" must be an integer",
        decoder.decode(null, utf8("{\"text\":\"a\",\"submittedAtMs\":\"yesterday\"}")));
    assertRejected(
        RejectReason.NOT_DECODABLE,
        "\"source\" must be a string, got boolean",
        decoder.decode(null, utf8("{\"text\":\"a\",\"source\":true}")));
  }

  @Test
  void shouldRejectMalformedJson() {
    assertRejected(
        RejectReason.NOT_DECODABLE,
        "malformed JSON",
        decoder.decode(null, utf8("{\"id\":\"1\",\"text\":\"unterminated")));
    assertRejected(
        RejectReason.NOT_DECODABLE,
        "malformed JSON",
        decoder.decode(null, utf8("{\"text\":\"a\"} trailing")));
    assertRejected(
        RejectReason.NOT_DECODABLE,
        "malformed JSON",
        decoder.decode(null, utf8("{\"text\":\"a\",\"text\":\"b\"}")));
  }

  @Test
  void shouldRejectTextOverLimit() {
    String big = "a".repeat(100_000);

    assertRejected(
        RejectReason.TEXT_TOO_LONG,
        "100000 chars, more than the limit of 1000",
        decoder.decode(null, utf8(big)));
    assertRejected(
        RejectReason.TEXT_TOO_LONG,
        "limit",
        decoder.decode(null, utf8("{\"text\":\"" + big + "\"}")));
    assertRejected(
        RejectReason.TEXT_TOO_LONG,
        "limit",
        decoder.decode(null, avro(new TextSubmitted("a", big, 1L, null))));
  }

  @Test
  void shouldRejectUnknownAvroFingerprint() {
    byte[] feedback = AvroSerdes.of(Feedback.class).serializer().serialize("t", Samples.feedback());

    Rejected r =
        assertRejected(
            RejectReason.UNKNOWN_SCHEMA, "fingerprint 0x", decoder.decode(null, feedback));

    assertTrue(r.detail().contains("not a known TextSubmitted version"), r.detail());
  }

  @Test
  void shouldRejectTruncatedAvro() {
    byte[] full = avro(Samples.text());

    assertRejected(
        RejectReason.NOT_DECODABLE,
        "header truncated",
        decoder.decode(null, Arrays.copyOf(full, 5)));
    assertRejected(
        RejectReason.NOT_DECODABLE, "corrupt Avro", decoder.decode(null, Arrays.copyOf(full, 14)));
  }

  @Test
  void shouldNeverThrowOnRandomBytes() {
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      byte[] value = new byte[random.nextInt(64)];
      random.nextBytes(value);
      if (i % 3 == 0 && value.length >= 2) {
        value[0] = (byte) 0xC3; // exercise the Avro path too
        value[1] = 0x01;
      }
      DecodeResult result = decoder.decode(null, value);
      if (result instanceof Accepted a) {
        assertTrue(a.text().getText().length() <= 1_000);
      }
    }
  }

  @Test
  void shouldValidateBuilderArguments() {
    assertThrows(IllegalArgumentException.class, () -> InputDecoder.builder().optMaxChars(0));
    assertThrows(NullPointerException.class, () -> InputDecoder.builder().optClock(null));
    assertEquals(InputDecoder.DEFAULT_MAX_CHARS, InputDecoder.builder().build().maxChars());
  }

  private static Accepted accepted(DecodeResult result) {
    return assertInstanceOf(Accepted.class, result, () -> "expected accepted, got " + result);
  }

  private static Rejected assertRejected(
      RejectReason reason, String detailPart, DecodeResult result) {
    Rejected r = assertInstanceOf(Rejected.class, result, () -> "expected rejected, got " + result);
    assertEquals(reason, r.reason(), r.detail());
    assertTrue(
        r.detail().contains(detailPart), () -> "'" + r.detail() + "' lacks '" + detailPart + "'");
    return r;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] avro(TextSubmitted t) {
    Serializer<TextSubmitted> s = AvroSerdes.of(TextSubmitted.class).serializer();
    return s.serialize("t", t);
  }
}
