package dev.candor.model.soup;

import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.ModelProvenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A soup as {@link ModelSoup} made it: averaged weights, the ingredients' and the soup's validation
 * figures, and the provenance, which exists from the moment the model does.
 *
 * @param config the ingredients' architecture and head
 * @param tokenizerJson the ingredients' tokenizer
 * @param weights the averaged weights
 * @param metrics what {@code metrics.json} records
 * @param provenance what {@code provenance.json} records
 */
public record Soup(
    ModelConfig config,
    byte[] tokenizerJson,
    Map<String, TensorData> weights,
    Map<String, Object> metrics,
    ModelProvenance provenance) {

  /** Writes the bundle; {@code dir} must not exist. */
  public ModelBundle writeBundle(Path dir) throws IOException {
    return ModelBundle.write(dir, config, weights, tokenizerJson, metrics, provenance);
  }
}
