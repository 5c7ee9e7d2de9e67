package dev.candor.model.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoriesTest {
  @TempDir Path tmp;

  @Test
  void shouldDeleteATreeButNotWhatALinkInsideItPointsTo() throws IOException {
    Path keep = Files.writeString(tmp.resolve("keep.txt"), "x");
    Path dir = tmp.resolve("a");
    Files.createDirectories(dir.resolve("b/c"));
    Files.writeString(dir.resolve("b/c/f.txt"), "y");
    Files.createSymbolicLink(dir.resolve("link"), keep);
    Directories.deleteRecursively(dir);
    assertFalse(Files.exists(dir));
    assertTrue(Files.exists(keep));
    Directories.deleteRecursively(dir); // absent: nothing to do
  }
}
