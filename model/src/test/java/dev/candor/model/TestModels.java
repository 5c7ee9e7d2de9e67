package dev.candor.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.nn.ParameterLayout;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.Lineage;
import dev.candor.model.provenance.ModelProvenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small random-weight models and bundles that share the bundled MiniLM tokenizer; published in the
 * model test-jar for the other modules' tests.
 */
public final class TestModels {
  /**
   * {@link #tinyConfig tinyConfig(true, 1.5)} as config.json was written before it used Hugging
   * Face key names (the record's own names); such bundles must still load.
   */
  public static final String OLD_FORMAT_CONFIG_JSON =
      """
      {"architecture":"BERT","vocabSize":30522,"hiddenSize":16,"numLayers":2,"numHeads":2,
       "intermediateSize":32,"maxPositions":64,"typeVocabSize":2,"positionOffset":0,
       "layerNormEps":1.0E-12,"bcos":true,"b":1.5,"labels":["normal","toxic"],"maxLength":32,
       "specialTokens":{"cls":"[CLS]","sep":"[SEP]","pad":"[PAD]","mask":"[MASK]"},
       "baseModel":"random test weights"}
      """;

  private TestModels() {}

  /** HateXplain's three classes in Candor's order (benign first, most severe last). */
  public static final List<String> THREE_LABELS = List.of("normal", "offensive", "hatespeech");

  public static ModelConfig tinyConfig(boolean bcos, double b) {
    return tinyConfig(bcos, b, List.of("normal", "toxic"));
  }

  /** The tiny architecture with other classes (e.g. {@link #THREE_LABELS}). */
  public static ModelConfig tinyConfig(boolean bcos, double b, List<String> labels) {
    return ModelConfig.builder()
        .setVocabSize(30522) // the bundled MiniLM tokenizer's vocabulary
        .setHiddenSize(16)
        .setNumLayers(2)
        .setNumHeads(2)
        .setIntermediateSize(32)
        .setMaxPositions(64)
        .optBcos(bcos)
        .optB(b)
        .setLabels(labels)
        .setMaxLength(32)
        .optBaseModel("random test weights")
        .build();
  }

  /** Random weights with the scale of a trained BERT (N(0, 0.5) for LayerNorm-adjacent terms). */
  public static Map<String, TensorData> randomWeights(ModelConfig config, long seed) {
    Random r = new Random(seed);
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : ParameterLayout.shapes(config).entrySet()) {
      int n = 1;
      for (long d : e.getValue()) {
        n *= (int) d;
      }
      float[] v = new float[n];
      boolean gain = e.getKey().endsWith("LayerNorm.weight");
      for (int i = 0; i < n; i++) {
        v[i] = (float) (gain ? 1.0 + 0.1 * r.nextGaussian() : 0.3 * r.nextGaussian());
      }
      out.put(e.getKey(), new TensorData(e.getValue(), v));
    }
    return out;
  }

  /** Writes a tiny random-weight bundle to {@code dir} (which must not exist). */
  public static ModelBundle writeBundle(Path dir, boolean bcos, double b, long seed)
      throws IOException {
    return writeBundle(dir, bcos, b, seed, List.of("normal", "toxic"));
  }

  /** A tiny random-weight bundle with the given classes. */
  public static ModelBundle writeBundle(
      Path dir, boolean bcos, double b, long seed, List<String> labels) throws IOException {
    ModelConfig c = tinyConfig(bcos, b, labels);
    return ModelBundle.write(
        dir,
        c,
        randomWeights(c, seed),
        MiniLmImporter.tokenizerJson(),
        Map.of("accuracy", 0.5),
        ModelProvenance.now(
            "TestModels.writeBundle",
            Lineage.base("random", null),
            Map.of("seed", seed),
            List.of()));
  }

  public static CandorModel tiny(boolean bcos, double b, DataType dtype, long seed) {
    return tiny(bcos, b, dtype, seed, List.of("normal", "toxic"));
  }

  /** A tiny random-weight model with the given classes. */
  public static CandorModel tiny(
      boolean bcos, double b, DataType dtype, long seed, List<String> labels) {
    ModelConfig c = tinyConfig(bcos, b, labels);
    return CandorModel.of(
        c,
        randomWeights(c, seed),
        MiniLmImporter.tokenizerJson(),
        "tiny-test",
        Device.cpu(),
        dtype);
  }
}
