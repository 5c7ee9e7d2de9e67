package dev.candor.stream;

import dev.candor.model.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Tiny random-weight B-cos bundles (B = 2) from the model module's test helper. */
final class TestBundles {

  private TestBundles() {}

  /** Writes a bundle to {@code dir} (which must not exist) and returns its manifest sha256. */
  static String write(Path dir, long seed) {
    try {
      return TestModels.writeBundle(dir, true, 2.0, seed).manifestSha256();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
