package dev.candor.schemas;

import dev.candor.schemas.avro.TextSubmitted;
import java.util.Objects;

/** The outcome of {@link InputDecoder#decode}: either an accepted text or a rejection. */
public sealed interface DecodeResult permits DecodeResult.Accepted, DecodeResult.Rejected {

  /**
   * Whether the record was accepted.
   *
   * @return true for {@link Accepted}
   */
  boolean isAccepted();

  /**
   * A decoded, validated text.
   *
   * @param text the text record, never {@code null}; its text is non-blank and within the limit
   * @param format how it was encoded on the wire
   */
  record Accepted(TextSubmitted text, InputFormat format) implements DecodeResult {
    /** Checks the arguments. */
    public Accepted {
      Objects.requireNonNull(text, "text cannot be null");
      Objects.requireNonNull(format, "format cannot be null");
    }

    /** {@inheritDoc} */
    @Override
    public boolean isAccepted() {
      return true;
    }
  }

  /**
   * A record that cannot be processed.
   *
   * @param reason stable reason code, for headers and metrics
   * @param detail human-readable explanation, for the dead-letter header and logs
   */
  record Rejected(RejectReason reason, String detail) implements DecodeResult {
    /** Checks the arguments. */
    public Rejected {
      Objects.requireNonNull(reason, "reason cannot be null");
      Objects.requireNonNull(detail, "detail cannot be null");
    }

    /** {@inheritDoc} */
    @Override
    public boolean isAccepted() {
      return false;
    }
  }
}
