package dev.candor.cli;

import dev.candor.model.ModelConfig;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.bundle.Provenance;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.nn.ParameterLayout;
import dev.candor.model.nn.TensorData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A random-weight B-cos bundle (hidden 16, 2 layers) with the real MiniLM tokenizer. */
final class TinyBundle {
  private TinyBundle() {}

  static Path write(Path dir, long seed) throws IOException {
    ModelConfig c = new ModelConfig(ModelConfig.Architecture.BERT, 30522, 16, 2, 2, 32, 64, 2, 0,
        1e-12, true, 1.5, List.of("normal", "toxic"), 32, ModelConfig.SpecialTokens.bert(), "test");
    Random r = new Random(seed);
    Map<String, TensorData> w = new LinkedHashMap<>();
    ParameterLayout.shapes(c).forEach((name, shape) -> {
      int n = 1;
      for (long d : shape) {
        n *= (int) d;
      }
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) (name.endsWith("LayerNorm.weight") ? 1 : 0.3 * r.nextGaussian());
      }
      w.put(name, new TensorData(shape, v));
    });
    ModelBundle.write(dir, c, w, MiniLmImporter.tokenizerJson(), Map.of(),
        Provenance.now("test", "random", null, Map.of(), List.of()));
    return dir;
  }
}
