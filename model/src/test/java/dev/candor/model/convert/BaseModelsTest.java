package dev.candor.model.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.TestModels;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.internals.convert.SafeTensors;
import dev.candor.model.nn.ParameterLayout;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.Hashing;
import dev.candor.model.provenance.ModelProvenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseModelsTest {
  @TempDir Path tmp;

  private static final ConversionSpec SPEC =
      new ConversionSpec(true, 1.25, List.of("normal", "toxic"), 16, 7);

  /** A BERT checkpoint directory in Hugging Face naming, as small as the tiny test model. */
  private Path tinyCheckpoint() throws IOException {
    ModelConfig tiny = TestModels.tinyConfig(false, 1.5);
    Path dir = tmp.resolve("hf");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("config.json"),
        "{\"model_type\":\"bert\",\"vocab_size\":30522,\"hidden_size\":16,"
            + "\"num_hidden_layers\":2,\"num_attention_heads\":2,\"intermediate_size\":32,"
            + "\"max_position_embeddings\":64,\"type_vocab_size\":2}");
    Map<String, TensorData> encoder = TestModels.randomWeights(tiny, 3);
    encoder.keySet().removeIf(k -> k.startsWith("classifier."));
    SafeTensors.write(dir.resolve("model.safetensors"), encoder);
    Files.write(dir.resolve("tokenizer.json"), MiniLmImporter.tokenizerJson());
    return dir;
  }

  @Test
  void shouldConvertAHuggingFaceDirectoryAndRecordItsChecksum() throws IOException {
    Path dir = tinyCheckpoint();
    ConvertedModel m = BaseModels.from(dir.toString(), SPEC);
    assertTrue(m.config().bcos());
    assertEquals(1.25, m.config().b());
    assertEquals(ParameterLayout.shapes(m.config()).keySet(), m.weights().keySet());
    assertEquals(Hashing.sha256(dir.resolve("model.safetensors")), m.lineage().baseModelSha256());
    assertEquals(dir.toAbsolutePath().normalize().toString(), m.lineage().baseModel());
    assertNull(m.lineage().parentBundle());
  }

  @Test
  void shouldWriteABundleThatSaysHowItWasMade() throws IOException {
    ConvertedModel m = BaseModels.huggingFace(tinyCheckpoint(), SPEC);
    m.writeBundle(tmp.resolve("bundle"), "candor convert --from hf");
    ModelBundle read = ModelBundle.read(tmp.resolve("bundle"));
    ModelProvenance p = read.provenance();
    assertEquals("candor convert --from hf", p.command());
    assertEquals(m.lineage(), p.lineage());
    assertEquals(7, p.hyperParameters().get("head_init_seed"));
    assertEquals(1.25, p.hyperParameters().get("b"));
    assertEquals(List.of(), p.data());
    assertTrue(read.metrics().get("note").toString().contains("not fine-tuned"));
  }

  @Test
  void shouldConvertTheBundledMiniLmWithItsOnnxChecksum() {
    ConvertedModel m = BaseModels.bundledMiniLm(SPEC);
    assertEquals(6, m.config().numLayers());
    assertEquals(BaseModels.MINILM_DESCRIPTION, m.lineage().baseModel());
    assertEquals(64, m.lineage().baseModelSha256().length());
    assertEquals(16, m.config().maxLength());
  }

  @Test
  void shouldRefuseASpecWithoutTwoLabels() {
    assertThrows(
        IllegalArgumentException.class, () -> new ConversionSpec(true, 1.5, List.of("x"), 16, 1));
  }
}
