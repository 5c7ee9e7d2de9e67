package dev.candor.stream.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BundlePathTest {

  @Test
  void shouldReadFileUrisAndPlainPaths() {
    assertEquals(Path.of("/models/v7"), ModelHandle.bundlePath("file:///models/v7"));
    assertEquals(Path.of("/models/v7"), ModelHandle.bundlePath("/models/v7"));
  }
}
