package dev.candor.model.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File-tree helpers shared by bundles, commands and the stream app's state directories. */
public final class Directories {
  private Directories() {}

  /**
   * Deletes {@code dir} and everything under it; nothing happens when it does not exist. Symbolic
   * links are deleted, not followed.
   */
  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(dir)) {
      all = walk.sorted(Comparator.reverseOrder()).toList(); // children before their parents
    }
    for (Path p : all) {
      Files.delete(p);
    }
  }
}
