package dev.candor.model.convert;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.Lineage;
import dev.candor.model.provenance.ModelProvenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Pre-trained encoder weights converted into a complete classifier whose head is not trained yet:
 * the starting point of fine-tuning, or a bundle of its own.
 *
 * @param config architecture and head
 * @param weights every tensor the layout needs, the head freshly initialised
 * @param tokenizerJson the base model's tokenizer
 * @param lineage the base weights it came from
 * @param spec the conversion settings
 */
public record ConvertedModel(
    ModelConfig config,
    Map<String, TensorData> weights,
    byte[] tokenizerJson,
    Lineage lineage,
    ConversionSpec spec) {

  /** Metrics of a bundle that was never trained: says so instead of leaving the file empty. */
  public static final Map<String, Object> UNTRAINED =
      Map.of("note", "converted, not fine-tuned: the classification head is untrained");

  /** A runnable model (close it); {@code version} is what its predictions report. */
  public CandorModel toModel(String version, Device device, DataType dtype) {
    return CandorModel.of(config, weights, tokenizerJson, version, device, dtype);
  }

  /**
   * Writes this model as a bundle whose provenance records the base weights and the conversion
   * settings.
   *
   * @param command the invocation that asked for it, recorded in the provenance
   */
  public ModelBundle writeBundle(Path dir, String command) throws IOException {
    return ModelBundle.write(
        dir,
        config,
        weights,
        tokenizerJson,
        UNTRAINED,
        ModelProvenance.now(command, lineage, spec.asMap(), List.of()));
  }
}
