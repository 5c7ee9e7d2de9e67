package dev.candor.stream.internals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An accepted text waiting in the micro-batch buffer, with everything needed to emit its prediction
 * or, if the model fails, its dead letter (original key, value, headers, coordinates).
 *
 * @param id text id (output key)
 * @param text the text
 * @param submittedAtMs when it was submitted
 * @param source optional origin, may be {@code null}
 * @param enqueuedAtMs wall-clock time it entered the buffer (drives the time-based flush)
 * @param timestamp the input record's timestamp, reused for the outputs
 * @param topic source topic, may be {@code null}
 * @param partition source partition
 * @param offset source offset
 * @param originalKey key bytes as read, may be {@code null}
 * @param originalValue value bytes as read
 * @param originalHeaders headers as read
 */
public record BufferedText(
    String id,
    String text,
    long submittedAtMs,
    String source,
    long enqueuedAtMs,
    long timestamp,
    String topic,
    int partition,
    long offset,
    byte[] originalKey,
    byte[] originalValue,
    List<Header> originalHeaders) {

  /** Format version of the store encoding; bump it and keep reading the old one on change. */
  private static final byte FORMAT = 1;

  /** The store serde: a small versioned binary layout (no schema registry needed). */
  public static Serde<BufferedText> serde() {
    return Serdes.serdeFrom(new Ser(), new De());
  }

  private static final class Ser implements Serializer<BufferedText> {
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public byte[] serialize(String topic, BufferedText t) {
      if (t == null) {
        return null;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 4 * t.text.length());
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeByte(FORMAT);
        writeString(out, t.id);
        writeString(out, t.text);
        out.writeLong(t.submittedAtMs);
        writeString(out, t.source);
        out.writeLong(t.enqueuedAtMs);
        out.writeLong(t.timestamp);
        writeString(out, t.topic);
        out.writeInt(t.partition);
        out.writeLong(t.offset);
        writeBytes(out, t.originalKey);
        writeBytes(out, t.originalValue);
        out.writeInt(t.originalHeaders.size());
        for (Header h : t.originalHeaders) {
          writeString(out, h.key());
          writeBytes(out, h.value());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    @Override
    public void close() {}
  }

  private static final class De implements Deserializer<BufferedText> {
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public BufferedText deserialize(String topic, byte[] data) {
      if (data == null) {
        return null;
      }
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
        byte format = in.readByte();
        if (format != FORMAT) {
          throw new SerializationException("Unknown buffered-text format " + format);
        }
        String id = readString(in);
        String text = readString(in);
        long submitted = in.readLong();
        String source = readString(in);
        long enqueued = in.readLong();
        long timestamp = in.readLong();
        String srcTopic = readString(in);
        int partition = in.readInt();
        long offset = in.readLong();
        byte[] key = readBytes(in);
        byte[] value = readBytes(in);
        int n = in.readInt();
        List<Header> headers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          headers.add(new RecordHeader(readString(in), readBytes(in)));
        }
        return new BufferedText(
            id,
            text,
            submitted,
            source,
            enqueued,
            timestamp,
            srcTopic,
            partition,
            offset,
            key,
            value,
            List.copyOf(headers));
      } catch (IOException e) {
        throw new SerializationException("Corrupt buffered text", e);
      }
    }

    @Override
    public void close() {}
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    writeBytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] b = readBytes(in);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
