package dev.candor.model.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.TestModels;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.nn.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
  @TempDir Path tmp;

  private ModelBundle writeTiny(Path dir) throws IOException {
    ModelConfig c = TestModels.tinyConfig(true, 1.5);
    Map<String, TensorData> w = TestModels.randomWeights(c, 1);
    Provenance p =
        Provenance.now(
            "test",
            "random",
            null,
            Map.of("seed", 1),
            List.of(new Provenance.DataFile("train", "x.jsonl", "ab", 3)));
    return ModelBundle.write(dir, c, w, MiniLmImporter.tokenizerJson(), Map.of("accuracy", 0.5), p);
  }

  @Test
  void shouldRoundTripWeightsConfigAndProvenance() throws IOException {
    ModelBundle written = writeTiny(tmp.resolve("b"));
    ModelBundle read = ModelBundle.read(tmp.resolve("b"));
    assertEquals(written.config(), read.config());
    assertEquals(written.manifestSha256(), read.manifestSha256());
    assertTrue(read.version().startsWith("b@"));
    for (var e : written.weights().entrySet()) {
      assertArrayEquals(e.getValue().values(), read.weights().get(e.getKey()).values());
    }
    assertEquals("test", read.provenance().command());
    assertEquals(0.5, read.metrics().get("accuracy"));
  }

  @Test
  void shouldRefuseATamperedBundle() throws IOException {
    writeTiny(tmp.resolve("b"));
    Path weights = tmp.resolve("b/model.safetensors");
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length - 1] ^= 1;
    Files.write(weights, bytes);
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.read(tmp.resolve("b")));
    assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    assertTrue(e.getMessage().contains("modified or corrupted"), e.getMessage());
  }

  @Test
  void shouldRefuseMissingManifestOrFile() throws IOException {
    writeTiny(tmp.resolve("b"));
    Files.delete(tmp.resolve("b/tokenizer.json"));
    assertThrows(InvalidBundleException.class, () -> ModelBundle.read(tmp.resolve("b")));
    Files.delete(tmp.resolve("b/MANIFEST.sha256"));
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.read(tmp.resolve("b")));
    assertTrue(e.getMessage().contains("MANIFEST.sha256 is missing"), e.getMessage());
    assertThrows(InvalidBundleException.class, () -> ModelBundle.read(tmp.resolve("none")));
  }
}
