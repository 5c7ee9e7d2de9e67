package dev.candor.schemas.internals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The 10-byte header of Avro single-object encoding: marker {@code C3 01} + schema fingerprint. */
public final class SingleObjectHeader {

  /** Length of marker plus fingerprint. */
  public static final int LENGTH = 10;

  private SingleObjectHeader() {}

  /**
   * Whether {@code data} starts with the single-object marker. Plain UTF-8 text never does: {@code
   * 0xC3} must be followed by a continuation byte {@code 0x80..0xBF}, never {@code 0x01}.
   *
   * @param data bytes to test, may be {@code null}
   * @return true if the first two bytes are {@code C3 01}
   */
  public static boolean hasMarker(byte[] data) {
    return data != null && data.length >= 2 && data[0] == (byte) 0xC3 && data[1] == 0x01;
  }

  /**
   * Returns the fingerprint as hex, for messages; only meaningful when {@link #hasMarker} holds.
   *
   * @param data encoded bytes
   * @return e.g. {@code "fingerprint 0x1a2b..."} or a note that the header is truncated
   */
  public static String describeFingerprint(byte[] data) {
    if (data.length < LENGTH) {
      return "(header truncated at " + data.length + " bytes)";
    }
    // Avro writes the fingerprint little-endian.
    long fp = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return String.format("fingerprint 0x%016x", fp);
  }

  /**
   * Returns the first bytes in hex, for messages.
   *
   * @param data any bytes
   * @return up to the first two bytes as {@code "7B 22"}
   */
  public static String describeStart(byte[] data) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(2, data.length); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(String.format("%02X", data[i] & 0xFF));
    }
    return data.length == 0 ? "no bytes" : sb.toString();
  }
}
