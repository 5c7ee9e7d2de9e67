package dev.candor.model.internals.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.config.ModelConfig;
import dev.candor.model.nn.ParameterLayout;
import dev.candor.model.nn.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny Hugging Face directories written by the test, in each family's tensor naming. */
class HfCheckpointImporterTest {
  @TempDir Path tmp;

  private static final int V = 30522;
  private static final int H = 4;
  private static final int I = 8;

  @Test
  void shouldRoundTripSafeTensorsIncludingHalfPrecisionValues() throws IOException {
    Map<String, TensorData> t = new LinkedHashMap<>();
    t.put("a", new TensorData(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f}));
    t.put("b", new TensorData(new long[] {1}, new float[] {0.25f}));
    Path f = tmp.resolve("x.safetensors");
    SafeTensors.write(f, t);
    Map<String, TensorData> back = SafeTensors.read(f);
    assertArrayEquals(t.get("a").values(), back.get("a").values());
    assertArrayEquals(new long[] {2, 3}, back.get("a").shape());
    assertEquals(1.0f, SafeTensors.halfToFloat((short) 0x3c00));
    assertEquals(-2.0f, SafeTensors.halfToFloat((short) 0xc000));
    assertEquals(65504f, SafeTensors.halfToFloat((short) 0x7bff));
  }

  @Test
  void shouldImportBertWithPoolerAndIgnoreMlmHead() throws IOException {
    Map<String, TensorData> t = bertLike("bert.", "");
    t.put("bert.pooler.dense.weight", tensor(H, H));
    t.put("bert.pooler.dense.bias", tensor(H));
    t.put("cls.predictions.bias", tensor(V));
    Path dir = checkpoint("bert", t);
    var c = HfCheckpointImporter.load(dir, false, 1.5, List.of("a", "b"), 16);
    assertEquals(ModelConfig.Architecture.BERT, c.config().architecture());
    Map<String, TensorData> full = ParameterLayout.complete(c.config(), c.weights(), 1);
    assertTrue(full.containsKey("bert.pooler.dense.weight"));
    // the same checkpoint converts to B-cos: biases and pooler are dropped
    var b = HfCheckpointImporter.load(dir, true, 1.5, List.of("a", "b"), 16);
    Map<String, TensorData> bcos = ParameterLayout.complete(b.config(), b.weights(), 1);
    assertTrue(bcos.keySet().stream().noneMatch(n -> n.endsWith(".bias")));
  }

  @Test
  void shouldImportRobertaWithPositionOffset() throws IOException {
    Map<String, TensorData> t = bertLike("roberta.", "");
    t.put("lm_head.dense.weight", tensor(H, H));
    Path dir = checkpoint("roberta", t);
    var c = HfCheckpointImporter.load(dir, true, 1.5, List.of("a", "b"), 16);
    assertEquals(2, c.config().positionOffset());
    ParameterLayout.complete(c.config(), c.weights(), 1);
  }

  @Test
  void shouldImportDistilBert() throws IOException {
    Map<String, TensorData> t = new LinkedHashMap<>();
    t.put("distilbert.embeddings.word_embeddings.weight", tensor(V, H));
    t.put("distilbert.embeddings.position_embeddings.weight", tensor(32, H));
    t.put("distilbert.embeddings.LayerNorm.weight", tensor(H));
    t.put("distilbert.embeddings.LayerNorm.bias", tensor(H));
    String p = "distilbert.transformer.layer.0.";
    for (String lin :
        List.of("attention.q_lin", "attention.k_lin", "attention.v_lin", "attention.out_lin")) {
      t.put(p + lin + ".weight", tensor(H, H));
      t.put(p + lin + ".bias", tensor(H));
    }
    t.put(p + "ffn.lin1.weight", tensor(I, H));
    t.put(p + "ffn.lin1.bias", tensor(I));
    t.put(p + "ffn.lin2.weight", tensor(H, I));
    t.put(p + "ffn.lin2.bias", tensor(H));
    for (String ln : List.of("sa_layer_norm", "output_layer_norm")) {
      t.put(p + ln + ".weight", tensor(H));
      t.put(p + ln + ".bias", tensor(H));
    }
    t.put("pre_classifier.weight", tensor(H, H));
    Path dir = tmp.resolve("distil");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("config.json"),
        "{\"model_type\":\"distilbert\",\"vocab_size\":"
            + V
            + ",\"dim\":"
            + H
            + ",\"n_layers\":1,\"n_heads\":2,\"hidden_dim\":"
            + I
            + ",\"max_position_embeddings\":32}");
    SafeTensors.write(dir.resolve("model.safetensors"), t);
    Files.write(dir.resolve("tokenizer.json"), MiniLmImporter.tokenizerJson());
    var c = HfCheckpointImporter.load(dir, false, 1.5, List.of("a", "b"), 16);
    assertEquals(0, c.config().typeVocabSize());
    Map<String, TensorData> full = ParameterLayout.complete(c.config(), c.weights(), 1);
    assertTrue(full.containsKey("bert.encoder.layer.0.intermediate.dense.weight"));
  }

  @Test
  void shouldNameUnknownAndMissingTensors() throws IOException {
    Map<String, TensorData> t = bertLike("bert.", "");
    t.remove("bert.encoder.layer.0.output.dense.weight");
    t.put("bert.encoder.layer.0.mystery.weight", tensor(H));
    Path dir = checkpoint("bert", t);
    var c = HfCheckpointImporter.load(dir, true, 1.5, List.of("a", "b"), 16);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ParameterLayout.complete(c.config(), c.weights(), 1));
    assertTrue(e.getMessage().contains("bert.encoder.layer.0.output.dense.weight"), e.getMessage());
    assertTrue(e.getMessage().contains("bert.encoder.layer.0.mystery.weight"), e.getMessage());
  }

  @Test
  void shouldExplainAMissingFile() {
    IOException e =
        assertThrows(
            IOException.class,
            () -> HfCheckpointImporter.load(tmp, true, 1.5, List.of("a", "b"), 16));
    assertTrue(e.getMessage().contains("config.json"), e.getMessage());
  }

  private Path checkpoint(String type, Map<String, TensorData> t) throws IOException {
    Path dir = tmp.resolve(type);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("config.json"),
        "{\"model_type\":\""
            + type
            + "\",\"vocab_size\":"
            + V
            + ",\"hidden_size\":"
            + H
            + ",\"num_hidden_layers\":1,\"num_attention_heads\":2,\"intermediate_size\":"
            + I
            + ",\"max_position_embeddings\":32,\"type_vocab_size\":2,\"pad_token_id\":1}");
    SafeTensors.write(dir.resolve("model.safetensors"), t);
    Files.write(dir.resolve("tokenizer.json"), MiniLmImporter.tokenizerJson());
    return dir;
  }

  private static Map<String, TensorData> bertLike(String prefix, String unused) {
    Map<String, TensorData> t = new LinkedHashMap<>();
    t.put(prefix + "embeddings.word_embeddings.weight", tensor(V, H));
    t.put(prefix + "embeddings.position_embeddings.weight", tensor(32, H));
    t.put(prefix + "embeddings.token_type_embeddings.weight", tensor(2, H));
    t.put(prefix + "embeddings.LayerNorm.gamma", tensor(H));
    t.put(prefix + "embeddings.LayerNorm.beta", tensor(H));
    t.put(prefix + "embeddings.position_ids", tensor(32));
    String p = prefix + "encoder.layer.0.";
    for (String lin :
        List.of(
            "attention.self.query",
            "attention.self.key",
            "attention.self.value",
            "attention.output.dense")) {
      t.put(p + lin + ".weight", tensor(H, H));
      t.put(p + lin + ".bias", tensor(H));
    }
    t.put(p + "intermediate.dense.weight", tensor(I, H));
    t.put(p + "intermediate.dense.bias", tensor(I));
    t.put(p + "output.dense.weight", tensor(H, I));
    t.put(p + "output.dense.bias", tensor(H));
    for (String ln : List.of("attention.output.LayerNorm", "output.LayerNorm")) {
      t.put(p + ln + ".weight", tensor(H));
      t.put(p + ln + ".bias", tensor(H));
    }
    return t;
  }

  private static TensorData tensor(long... shape) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) Math.sin(i + 1);
    }
    return new TensorData(shape, v);
  }
}
