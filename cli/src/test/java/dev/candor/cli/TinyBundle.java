package dev.candor.cli;

import dev.candor.model.TestModels;
import java.io.IOException;
import java.nio.file.Path;

/** A random-weight B-cos bundle (hidden 16, 2 layers, B = 1.5) with the real MiniLM tokenizer. */
final class TinyBundle {
  private TinyBundle() {}

  static Path write(Path dir, long seed) throws IOException {
    return TestModels.writeBundle(dir, true, 1.5, seed).dir();
  }
}
