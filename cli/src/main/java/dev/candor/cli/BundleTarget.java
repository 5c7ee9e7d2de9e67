package dev.candor.cli;

import dev.candor.model.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --out} of a command that writes a bundle, checked before any work is done. */
final class BundleTarget {
  private BundleTarget() {}

  /**
   * Refuses an existing {@code target} without {@code --force}, and anything but a bundle even with
   * it, so that a mistyped {@code --out} fails in a second, not after a long run.
   */
  static void checkReplaceable(Path target, boolean force) {
    if (Files.exists(target) && !force) {
      throw new IllegalArgumentException(target + " exists; pass --force to replace it or --out");
    }
    if (Files.exists(target) && !Files.isRegularFile(target.resolve(ModelBundle.MANIFEST))) {
      throw new IllegalArgumentException(
          target + " is not a model bundle; --force replaces bundles only");
    }
  }
}
