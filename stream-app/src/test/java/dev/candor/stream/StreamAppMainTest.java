package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamAppMainTest {

  @Test
  void shouldExitWithUsageErrorWithoutAConfigFile() {
    assertEquals(2, StreamAppMain.run(new String[0]));
    assertEquals(2, StreamAppMain.run(new String[] {"/no/such/file.properties"}));
  }

  @Test
  void shouldExitWithConfigErrorForAnInvalidConfig(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "candor.model.bundle.dir=/m\ncandor.max.batch.size=-1\n");
    assertEquals(2, StreamAppMain.run(new String[] {file.toString()}));
  }

  @Test
  void shouldExitWithFailureWhenTheModelBundleIsMissing(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("app.properties");
    Files.writeString(
        file, "candor.model.bundle.dir=" + dir.resolve("missing") + "\ncandor.device=cpu\n");
    assertEquals(1, StreamAppMain.run(new String[] {file.toString()}));
  }
}
