package dev.candor.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.bundle.Provenance;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.nn.ParameterLayout;
import dev.candor.model.nn.TensorData;
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
  private TestModels() {}

  public static ModelConfig tinyConfig(boolean bcos, double b) {
    return new ModelConfig(
        ModelConfig.Architecture.BERT,
        30522,
        16,
        2,
        2,
        32,
        64,
        2,
        0,
        1e-12,
        bcos,
        b,
        List.of("normal", "toxic"),
        32,
        ModelConfig.SpecialTokens.bert(),
        "random test weights");
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
    ModelConfig c = tinyConfig(bcos, b);
    return ModelBundle.write(
        dir,
        c,
        randomWeights(c, seed),
        MiniLmImporter.tokenizerJson(),
        Map.of("accuracy", 0.5),
        Provenance.now("TestModels.writeBundle", "random", null, Map.of("seed", seed), List.of()));
  }

  public static CandorModel tiny(boolean bcos, double b, DataType dtype, long seed) {
    ModelConfig c = tinyConfig(bcos, b);
    return CandorModel.of(
        c,
        randomWeights(c, seed),
        MiniLmImporter.tokenizerJson(),
        "tiny-test",
        Device.cpu(),
        dtype);
  }
}
