package dev.candor.model.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.candor.model.TestModels;
import dev.candor.model.provenance.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles written before config.json used Hugging Face key names still load. */
class OldConfigBundleTest {
  @TempDir Path tmp;

  @Test
  void shouldLoadABundleWhoseConfigUsesTheOlderKeyNames() throws IOException {
    Path dir = tmp.resolve("old");
    ModelBundle written = TestModels.writeBundle(dir, true, 1.5, 3);
    Files.writeString(dir.resolve("config.json"), TestModels.OLD_FORMAT_CONFIG_JSON);
    StringBuilder manifest = new StringBuilder();
    for (String f : ModelBundle.FILES) {
      manifest.append(Hashing.sha256(dir.resolve(f))).append("  ").append(f).append('\n');
    }
    Files.writeString(dir.resolve(ModelBundle.MANIFEST), manifest, StandardCharsets.UTF_8);

    ModelBundle read = ModelBundle.read(dir);
    assertEquals(written.config(), read.config());
    assertEquals(written.weights().keySet(), read.weights().keySet());
  }
}
