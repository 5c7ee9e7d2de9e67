package dev.candor.model.bundle;

import java.io.IOException;

/** A bundle that is missing, incomplete or does not match its manifest. */
public final class InvalidBundleException extends IOException {
  public InvalidBundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
