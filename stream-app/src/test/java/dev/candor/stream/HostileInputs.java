package dev.candor.stream;

import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.DeadLetterHeaders;
import dev.candor.schemas.avro.TextSubmitted;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A seeded generator of hostile input records for the texts topic, each with the outcome it must
 * have: a prediction (with a known id, or a generated one when the record gives none) or a dead
 * letter with a given reason ({@link #ANY} where random bytes may or may not form a text).
 */
final class HostileInputs {

  /** Expected reason meaning "a prediction or any dead letter". */
  static final String ANY = "*";

  /**
   * One generated record.
   *
   * @param index position in the sequence (the offset on a one-partition topic)
   * @param kind what the generator meant to produce, for failure messages and the tally
   * @param key record key (may be null)
   * @param value record value (may be null)
   * @param headers record headers
   * @param expectedReason null for a prediction, a dead-letter reason, or {@link #ANY}
   * @param expectedId the prediction's id; null when the stream must generate one
   */
  record Case(
      int index,
      String kind,
      byte[] key,
      byte[] value,
      Headers headers,
      String expectedReason,
      String expectedId) {}

  /** Strange but valid text fragments: each must be explained like any other text. */
  private static final String[] FRAGMENTS = {
    "nul\u0000inside\u0000text",
    "bell\u0007 escape\u001b[31m red\u001b[0m del\u007f",
    "\u202Eevil reversed\u202C text",
    "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd \u0645\u0631\u062d\u0628\u0627",
    "z\u200Bw\u200Cj\u200Dn\u2060s\uFEFFp",
    "Z" + "\u0336\u0334\u0301\u0308\u0327".repeat(60),
    "e\u0301 vs \u00e9 and a\u030a",
    "\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67\u200d\ud83d\udc66 family",
    "\ud83c\udff3\ufe0f\u200d\ud83c\udf08 \ud83d\udc4d\ud83c\udffd \ud83c\uddfa\ud83c\uddf3",
    "\u0456d\u0456\u043et homoglyph", // Cyrillic i and o
    "\ud835\udc22\ud835\udc1d\ud835\udc22\ud835\udc28\ud835\udc2d math bold",
    "\u2170diot roman numeral",
    "\uff49\uff44\uff49\uff4f\uff54 fullwidth",
    "tab\there\r\nwindows line",
    "\u00a0\u00a0non-breaking\u00a0spaces",
    "\ufffd replacement char",
    "\u4f60\u597d\u4e16\u754c \u3053\u3093\u306b\u3061\u306f",
    "{sarcasm} great job",
    "[CLS] [SEP] [PAD] [MASK] [UNK] ##ing",
    "<script>alert(1)</script> ' OR 1=1 --",
  };

  /** Texts that are not blank to Java, though they look empty: still texts to explain. */
  private static final String[] INVISIBLE = {
    "\u200B", "\u00a0\u00a0", "\u0000", "\u202E", "\u0301"
  };

  private static final String[] WORDS = {
    "you",
    "are",
    "a",
    "wonderful",
    "terrible",
    "person",
    "this",
    "is",
    "fine",
    "not",
    "ok",
    "the",
    "movie",
    "was",
    "great",
    "awful",
    "people",
    "like",
    "them",
    "should",
    "go",
    "away"
  };

  private HostileInputs() {}

  /**
   * Generates {@code n} cases.
   *
   * @param seed the seed; the same seed gives the same records
   * @param n how many
   * @param maxChars the stream's max.text.chars
   * @param maxRecordBytes the stream's max.record.bytes
   * @return the cases, index = position
   */
  static List<Case> generate(long seed, int n, int maxChars, int maxRecordBytes) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Case> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(one(r, i, maxChars, maxRecordBytes));
    }
    return out;
  }

  private static Case one(SplittableRandom r, int i, int maxChars, int maxRecordBytes) {
    String id = "h-" + i;
    byte[] key = utf8(id);
    Headers h = headers(r);
    int kind = r.nextInt(24);
    switch (kind) {
      case 0: // random bytes: may happen to be a valid text
        return new Case(i, "random-bytes", key, bytes(r, r.nextInt(1, 300)), h, ANY, id);
      case 1:
        {
          byte[] avro =
              avro(
                  TextSubmitted.newBuilder()
                      .setId(id)
                      .setText(text(r))
                      .setSubmittedAtMs(1L)
                      .setSource(null)
                      .build());
          int cut = r.nextInt(2, avro.length);
          return new Case(
              i, "truncated-avro", key, Arrays.copyOf(avro, cut), h, "NOT_DECODABLE", id);
        }
      case 2:
        {
          byte[] v = bytes(r, r.nextInt(10, 80));
          v[0] = (byte) 0xC3;
          v[1] = 0x01;
          return new Case(i, "unknown-fingerprint", key, v, h, "UNKNOWN_SCHEMA", id);
        }
      case 3:
        {
          String aid = "a-" + i;
          byte[] v =
              avro(
                  TextSubmitted.newBuilder()
                      .setId(aid)
                      .setText(text(r))
                      .setSubmittedAtMs(r.nextLong())
                      .setSource(r.nextBoolean() ? null : "src\u0000" + i)
                      .build());
          return new Case(i, "avro", key, v, h, null, aid);
        }
      case 4:
        return json(
            i, "json-missing-text", key, h, "{\"id\":\"j-" + i + "\"}", "NOT_DECODABLE", id);
      case 5:
        {
          String jid = "j-" + i;
          String v =
              "{\"id\":\""
                  + jid
                  + "\",\"text\":"
                  + quote(text(r))
                  + ",\"extra\":{\"nested\":[1,2,{\"x\":null}]},\"lang\":\"xx\"}";
          return json(i, "json-extra-fields", key, h, v, null, jid);
        }
      case 6:
        {
          String jid = "j-" + i;
          int size = Math.min(maxRecordBytes - 2_000, r.nextInt(1_000, 60_000));
          String v =
              "{\"id\":\""
                  + jid
                  + "\",\"text\":\"short text\",\"source\":\""
                  + "s".repeat(size)
                  + "\",\"junk\":\""
                  + "j".repeat(r.nextInt(1, 1000))
                  + "\"}";
          return json(i, "json-huge-field", key, h, v, null, jid);
        }
      case 7:
        {
          String[] wrong = {
            "{\"text\":42}",
            "{\"text\":[\"a\"]}",
            "{\"text\":{\"x\":1}}",
            "{\"text\":\"ok\",\"id\":true}",
            "{\"text\":\"ok\",\"id\":1.5}",
            "{\"text\":\"ok\",\"submittedAtMs\":\"yesterday\"}",
            "{\"text\":\"ok\",\"submittedAtMs\":1e400}",
            "{\"text\":\"ok\",\"source\":7}",
            "{\"text\":\"ok\",\"text\":\"twice\"}",
            "{\"text\":\"unterminated",
            "{\"text\":\"ok\"} trailing",
            "{\"text\":\"ok\",}",
            "{}",
          };
          return json(
              i, "json-wrong-shape", key, h, wrong[r.nextInt(wrong.length)], "NOT_DECODABLE", id);
        }
      case 8:
        return json(i, "json-empty-text", key, h, "{\"text\":\"  \\n\\t \"}", "EMPTY_TEXT", id);
      case 9:
        {
          String[] blank = {"", " ", "\n\n", "\t \r\n", "\u2003\u2002"};
          String b = blank[r.nextInt(blank.length)];
          return new Case(i, "blank", key, utf8(b), h, "EMPTY_TEXT", id);
        }
      case 10:
        return new Case(i, "null-value", key, null, h, "EMPTY_TEXT", id);
      case 11:
        {
          // exactly at the limit, counting a surrogate pair as two chars
          String t = (r.nextBoolean() ? "\ud83d\ude00" : "ab").repeat(maxChars / 2);
          t = maxChars % 2 == 1 ? t + "x" : t;
          return new Case(i, "at-limit", key, utf8(t), h, null, id);
        }
      case 12:
        return new Case(
            i,
            "over-limit",
            key,
            utf8("y".repeat(maxChars + 1 + r.nextInt(100))),
            h,
            "TEXT_TOO_LONG",
            id);
      case 13:
        {
          // an unpaired surrogate can only arrive as a JSON escape (UTF-8 cannot carry one)
          String[] lone = {"\\ud800", "\\udfff", "a\\ud83d b", "\\ude00\\ud83d"};
          String v =
              "{\"id\":\"j-" + i + "\",\"text\":\"x " + lone[r.nextInt(lone.length)] + " y\"}";
          return json(i, "unpaired-surrogate-json", key, h, v, null, "j-" + i);
        }
      case 14:
        {
          // CESU-8 / modified UTF-8 surrogate bytes are not valid UTF-8
          byte[] v = {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'b'};
          return new Case(i, "surrogate-bytes", key, v, h, "NOT_DECODABLE", id);
        }
      case 15:
        return new Case(
            i, "invisible-only", key, utf8(INVISIBLE[r.nextInt(INVISIBLE.length)]), h, null, id);
      case 16:
        // no key: the stream generates an id
        return new Case(i, "null-key", null, utf8(text(r)), h, null, null);
      case 17:
        {
          // a key that is not UTF-8: also a generated id
          byte[] k = {(byte) 0xFF, (byte) 0xFE, (byte) i};
          return new Case(i, "binary-key", k, utf8(text(r)), h, null, null);
        }
      case 18:
        {
          String huge = id + "-" + "k".repeat(r.nextInt(10_000, 100_000));
          return new Case(i, "huge-key", utf8(huge), utf8(text(r)), h, null, huge);
        }
      case 19:
        {
          RecordHeaders odd = new RecordHeaders();
          odd.add(DeadLetterHeaders.REASON, utf8("SPOOFED"));
          odd.add(DeadLetterHeaders.SOURCE_OFFSET, utf8("-42"));
          odd.add("", null);
          for (int j = 0; j < 200; j++) {
            odd.add("h" + (j % 7), j % 3 == 0 ? null : bytes(r, r.nextInt(0, 50)));
          }
          boolean bad = r.nextBoolean();
          return new Case(
              i,
              "odd-headers",
              key,
              bad ? new byte[0] : utf8(text(r)),
              odd,
              bad ? "EMPTY_TEXT" : null,
              id);
        }
      case 20:
        return new Case(i, "bom-text", key, utf8("\uFEFF" + text(r)), h, null, id);
      case 21:
        {
          String t = "\uFEFF   ";
          return new Case(i, "bom-blank", key, utf8(t), h, "EMPTY_TEXT", id);
        }
      case 22:
        {
          byte[] v = utf8("z ".repeat((maxRecordBytes + r.nextInt(1, 2_000)) / 2 + 1));
          return new Case(i, "over-record-limit", key, v, h, "RECORD_TOO_LARGE", id);
        }
      default:
        return new Case(i, "weird-text", key, utf8(text(r)), h, null, id);
    }
  }

  /**
   * Records that fit the broker's default 1 MB message size but whose copies inside the stream
   * (buffer entry, prediction, dead letter) would not: a JSON value with a ~600 KB {@code source},
   * a ~600 KB key with a short text, and a ~900 KB plain text far over the text limit.
   *
   * @param from index of the first
   * @return three cases
   */
  static List<Case> nearBrokerLimit(int from) {
    List<Case> out = new ArrayList<>();
    String jid = "big-json-" + from;
    out.add(
        new Case(
            from,
            "near-limit-json-source",
            utf8("big-" + from),
            utf8(
                "{\"id\":\""
                    + jid
                    + "\",\"text\":\"short text\",\"source\":\""
                    + "s".repeat(600_000)
                    + "\"}"),
            new RecordHeaders(),
            "RECORD_TOO_LARGE",
            jid));
    String bigKey = "big-key-" + (from + 1) + "-" + "k".repeat(600_000);
    out.add(
        new Case(
            from + 1,
            "near-limit-key",
            utf8(bigKey),
            utf8("a short text with a huge key"),
            new RecordHeaders(),
            "RECORD_TOO_LARGE",
            bigKey));
    out.add(
        new Case(
            from + 2,
            "near-limit-text",
            utf8("big-" + (from + 2)),
            utf8("w ".repeat(450_000)),
            new RecordHeaders(),
            "RECORD_TOO_LARGE",
            "big-" + (from + 2)));
    return out;
  }

  private static Case json(
      int i, String kind, byte[] key, Headers h, String v, String reason, String id) {
    return new Case(i, kind, key, utf8(v), h, reason, id);
  }

  /** A non-blank text of words and strange fragments, always with a visible word. */
  static String text(SplittableRandom r) {
    StringBuilder b = new StringBuilder(WORDS[r.nextInt(WORDS.length)]);
    int parts = r.nextInt(1, 8);
    for (int j = 0; j < parts; j++) {
      b.append(' ');
      b.append(
          r.nextInt(3) == 0
              ? FRAGMENTS[r.nextInt(FRAGMENTS.length)]
              : WORDS[r.nextInt(WORDS.length)]);
    }
    return b.toString();
  }

  private static Headers headers(SplittableRandom r) {
    RecordHeaders h = new RecordHeaders();
    if (r.nextInt(4) == 0) {
      h.add("trace", bytes(r, r.nextInt(0, 40)));
    }
    return h;
  }

  private static byte[] bytes(SplittableRandom r, int n) {
    byte[] b = new byte[n];
    for (int j = 0; j < n; j++) {
      b[j] = (byte) r.nextInt(256);
    }
    return b;
  }

  private static byte[] avro(TextSubmitted t) {
    return AvroSerdes.of(TextSubmitted.class).serializer().serialize("texts", t);
  }

  /** A JSON string literal; control characters and quotes escaped, everything else verbatim. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
