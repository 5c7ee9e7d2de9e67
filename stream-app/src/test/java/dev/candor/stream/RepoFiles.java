package dev.candor.stream;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files at the repository root (monitoring/, docker-compose.yml), found from the module dir. */
final class RepoFiles {

  private RepoFiles() {}

  /** The directory holding the root pom and {@code monitoring/}. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("monitoring"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "no repository root with monitoring/ above " + Path.of("").toAbsolutePath());
  }

  static Path monitoring(String relative) {
    return root().resolve("monitoring").resolve(relative);
  }
}
