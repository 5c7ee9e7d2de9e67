package dev.candor.schemas.internals;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.regex.Pattern;

/**
 * Parses the JSON form of an input text: an object with a required {@code "text"} string and
 * optional {@code "id"} (string or integer), {@code "submittedAtMs"} (integer) and {@code "source"}
 * (string). Other fields are ignored so that producers may add their own.
 */
public final class JsonInput {

  /** Plain text may start with a brace ("{sarcasm} great job"); only these starts mean JSON. */
  private static final Pattern JSON_START = Pattern.compile("^\\s*\\{\\s*[\"}]");

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private JsonInput() {}

  /** The fields read from a JSON input object. */
  public record Fields(String id, String text, Long submittedAtMs, String source) {}

  /** The value is JSON but not a usable input object. */
  public static final class InvalidJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidJsonException(String message) {
      super(message);
    }
  }

  /**
   * Whether {@code s} must be treated as JSON: it starts, after whitespace, with {@code {"} or
   * {@code {}}. Anything else is taken as plain text, even if it happens to start with a brace.
   *
   * @param s the decoded value
   * @return true if {@code s} is meant as JSON
   */
  public static boolean looksLikeJson(String s) {
    return JSON_START.matcher(s).lookingAt();
  }

  /**
   * Parses a JSON input object.
   *
   * @param s a value for which {@link #looksLikeJson} holds
   * @return the fields; {@code text} is non-null but may be blank
   * @throws InvalidJsonException if {@code s} is malformed or has the wrong shape
   */
  public static Fields parse(String s) throws InvalidJsonException {
    JsonNode root;
    try {
      root = MAPPER.readTree(s);
    } catch (JacksonException e) {
      throw new InvalidJsonException("malformed JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidJsonException("JSON value is not an object");
    }
    JsonNode text = root.get("text");
    if (text == null || text.isNull()) {
      throw new InvalidJsonException("JSON object has no \"text\" field");
    }
    if (!text.isTextual()) {
      throw new InvalidJsonException("JSON \"text\" must be a string, got " + typeOf(text));
    }
    return new Fields(
        id(root.get("id")),
        text.textValue(),
        millis(root.get("submittedAtMs")),
        optionalString(root.get("source"), "source"));
  }

  private static String id(JsonNode id) throws InvalidJsonException {
    if (id == null || id.isNull()) {
      return null;
    }
    if (id.isTextual()) {
      return id.textValue();
    }
    // Numeric ids are common in upstream systems; accept them verbatim rather than reject.
    if (id.isIntegralNumber()) {
      return id.asText();
    }
    throw new InvalidJsonException("JSON \"id\" must be a string or an integer, got " + typeOf(id));
  }

  private static Long millis(JsonNode ms) throws InvalidJsonException {
    if (ms == null || ms.isNull()) {
      return null;
    }
    if (!ms.isIntegralNumber() || !ms.canConvertToLong()) {
      throw new InvalidJsonException(
          "JSON \"submittedAtMs\" must be an integer (epoch ms), got " + typeOf(ms));
    }
    return ms.longValue();
  }

  private static String optionalString(JsonNode node, String name) throws InvalidJsonException {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new InvalidJsonException("JSON \"" + name + "\" must be a string, got " + typeOf(node));
    }
    return node.textValue();
  }

  private static String typeOf(JsonNode node) {
    return node.isNumber() ? "number " + node.asText() : node.getNodeType().name().toLowerCase();
  }
}
