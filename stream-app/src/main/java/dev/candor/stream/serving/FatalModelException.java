package dev.candor.stream.serving;

/**
 * The model failed in a way that is not about the texts it was given: a JVM {@link Error} (out of
 * memory, a native linkage error), an engine failure, or every text of a batch failing. The stream
 * must stop (the app turns unhealthy, offsets stay uncommitted, nothing is dead-lettered) rather
 * than turn every following text into a dead letter; a restart resumes where it stopped.
 *
 * <p>A {@link BatchModel} may throw it itself to say "I am broken"; the micro-batch processor also
 * throws it when its own checks find the model broken.
 */
public final class FatalModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param cause the model's own failure
   */
  public FatalModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
