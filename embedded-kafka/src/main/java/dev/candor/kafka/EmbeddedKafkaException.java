package dev.candor.kafka;

/** The embedded broker could not start, or an admin operation on it failed or timed out. */
public class EmbeddedKafkaException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param cause why
   */
  public EmbeddedKafkaException(String message, Throwable cause) {
    super(message, cause);
  }
}
