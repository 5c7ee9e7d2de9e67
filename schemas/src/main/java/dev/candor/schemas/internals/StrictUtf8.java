package dev.candor.schemas.internals;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding that refuses malformed input. {@code new String(bytes, UTF_8)} would silently turn
 * bad bytes into U+FFFD, and a moderation decision about a mangled text is worse than none.
 */
public final class StrictUtf8 {

  private StrictUtf8() {}

  /**
   * Decodes {@code bytes}.
   *
   * @param bytes UTF-8 bytes
   * @return the text
   * @throws CharacterCodingException if the bytes are not well-formed UTF-8; the message says where
   */
  public static String decode(byte[] bytes) throws CharacterCodingException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      CharBuffer out = decoder.decode(in);
      return out.toString();
    } catch (CharacterCodingException e) {
      // The decoder leaves the buffer at the offending byte; the JDK message only has a length.
      CharacterCodingException located =
          new CharacterCodingException() {
            private static final long serialVersionUID = 1L;

            @Override
            public String getMessage() {
              return "malformed UTF-8 at byte offset " + in.position();
            }
          };
      located.initCause(e);
      throw located;
    }
  }

  /**
   * Decodes {@code bytes}, or returns {@code null} if they are absent or not well-formed UTF-8.
   *
   * @param bytes UTF-8 bytes, may be {@code null}
   * @return the text or {@code null}
   */
  public static String decodeOrNull(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return decode(bytes);
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
