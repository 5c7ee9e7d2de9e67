package dev.candor.model.train;

import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.ModelProvenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A fine-tuned model as {@link FineTuning} made it: the best epoch's weights, the metrics and the
 * provenance, which exists from the moment the model does (Tribuo's habit).
 *
 * @param config architecture and head
 * @param tokenizerJson the tokenizer it was trained with
 * @param result the run: best weights, best epoch, validation history, throughput
 * @param metrics what {@code metrics.json} records
 * @param provenance what {@code provenance.json} records
 */
public record TrainedModel(
    ModelConfig config,
    byte[] tokenizerJson,
    FineTuner.Result result,
    Map<String, Object> metrics,
    ModelProvenance provenance) {

  /** The best epoch's weights. */
  public Map<String, TensorData> weights() {
    return result.bestWeights();
  }

  /** The best epoch's validation figures. */
  public ClassificationMetrics bestValidation() {
    return result.bestValidation();
  }

  /** Writes the bundle; {@code dir} must not exist. */
  public ModelBundle writeBundle(Path dir) throws IOException {
    return ModelBundle.write(dir, config, weights(), tokenizerJson, metrics, provenance);
  }
}
