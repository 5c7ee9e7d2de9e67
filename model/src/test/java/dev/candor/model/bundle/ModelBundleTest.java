package dev.candor.model.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.TestModels;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.DataSource;
import dev.candor.model.provenance.Hashing;
import dev.candor.model.provenance.Lineage;
import dev.candor.model.provenance.ModelProvenance;
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
    ModelProvenance p =
        ModelProvenance.now(
            "test",
            Lineage.base("random", "cd").withParent("parent@0123", "ef"),
            Map.of("seed", 1),
            List.of(new DataSource("train", "x.jsonl", "ab", 3)));
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
    assertEquals(written.provenance(), read.provenance());
    assertEquals(new Lineage("random", "cd", "parent@0123", "ef"), read.provenance().lineage());
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

  @Test
  void shouldLoadABundleWhoseProvenanceWasWrittenBeforeTheLineageChecksumsExisted()
      throws IOException {
    Path dir = tmp.resolve("old");
    writeTiny(dir);
    String old =
        "{\"createdAt\":\"2026-01-01T00:00:00Z\",\"command\":\"candor train\","
            + "\"baseModel\":\"minilm\",\"parentBundle\":null,\"gitCommit\":\"unknown\","
            + "\"hyperParameters\":{\"seed\":42},\"data\":[{\"role\":\"train\","
            + "\"path\":\"t.jsonl\",\"sha256\":\"ab\",\"rows\":3}],"
            + "\"environment\":{\"java\":\"17\"}}";
    Files.writeString(dir.resolve("provenance.json"), old);
    StringBuilder manifest = new StringBuilder();
    for (String f : ModelBundle.FILES) {
      manifest.append(Hashing.sha256(dir.resolve(f))).append("  ").append(f).append('\n');
    }
    Files.writeString(dir.resolve(ModelBundle.MANIFEST), manifest);

    ModelProvenance p = ModelBundle.read(dir).provenance();
    assertEquals("minilm", p.baseModel());
    assertEquals(new DataSource("train", "t.jsonl", "ab", 3), p.data().get(0));
    assertEquals(null, p.baseModelSha256());
    assertEquals(null, p.parentManifestSha256());
  }

  @Test
  void shouldDeleteABundleButRefuseAnyOtherDirectory() throws IOException {
    writeTiny(tmp.resolve("b"));
    Path other = tmp.resolve("home");
    Files.createDirectories(other);
    Files.writeString(other.resolve("notes.txt"), "keep me");
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.delete(other));
    assertTrue(e.getMessage().contains("not a model bundle"), e.getMessage());
    assertTrue(Files.exists(other.resolve("notes.txt")));
    ModelBundle.delete(tmp.resolve("b"));
    assertTrue(Files.notExists(tmp.resolve("b")));
    ModelBundle.delete(tmp.resolve("b")); // absent: nothing to do
  }

  @Test
  void shouldLeaveNoTemporaryDirectoryWhenTheTargetExists() throws IOException {
    Files.createDirectories(tmp.resolve("b"));
    assertThrows(IOException.class, () -> writeTiny(tmp.resolve("b")));
    try (var files = Files.list(tmp)) {
      assertEquals(List.of(tmp.resolve("b")), files.toList());
    }
  }
}
