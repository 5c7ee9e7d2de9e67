package dev.candor.stream.serving;

import java.io.IOException;

/**
 * The bundle on disk is not the one a model update announced: its {@code MANIFEST.sha256} hashes to
 * something else. The update is refused and the running model stays.
 */
public final class BundleMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was expected and what was found
   */
  public BundleMismatchException(String message) {
    super(message);
  }
}
