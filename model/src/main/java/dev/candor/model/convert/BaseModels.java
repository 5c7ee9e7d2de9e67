package dev.candor.model.convert;

import dev.candor.model.config.ModelConfig;
import dev.candor.model.internals.convert.HfCheckpointImporter;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.nn.ParameterLayout;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.Lineage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Pre-trained encoders Candor can start from: the all-MiniLM-L6-v2 bundled on the class path, or a
 * local Hugging Face BERT / DistilBERT / RoBERTa directory. Each comes back as a {@link
 * ConvertedModel} that knows which weights it came from.
 */
public final class BaseModels {
  /** The {@code --from} value that names the bundled MiniLM. */
  public static final String BUNDLED_MINILM = "minilm";

  /** How provenance names the bundled MiniLM (its Maven coordinate pins the exact weights). */
  public static final String MINILM_DESCRIPTION = MiniLmImporter.BASE_MODEL;

  private BaseModels() {}

  /** {@link #BUNDLED_MINILM} or a Hugging Face checkpoint directory. */
  public static ConvertedModel from(String nameOrDirectory, ConversionSpec spec)
      throws IOException {
    return nameOrDirectory.equals(BUNDLED_MINILM)
        ? bundledMiniLm(spec)
        : huggingFace(Path.of(nameOrDirectory), spec);
  }

  /** The bundled MiniLM-L6 encoder, converted as {@code spec} says. */
  public static ConvertedModel bundledMiniLm(ConversionSpec spec) {
    ModelConfig config =
        MiniLmImporter.config(spec.bcos(), spec.b(), spec.labels(), spec.maxLength());
    return complete(
        config,
        MiniLmImporter.weights(),
        MiniLmImporter.tokenizerJson(),
        Lineage.base(MINILM_DESCRIPTION, MiniLmImporter.onnxSha256()),
        spec);
  }

  /**
   * A local Hugging Face directory ({@code config.json}, {@code model.safetensors}, {@code
   * tokenizer.json}); pre-training heads are dropped and the task head is initialised anew.
   */
  public static ConvertedModel huggingFace(Path dir, ConversionSpec spec) throws IOException {
    HfCheckpointImporter.Checkpoint c =
        HfCheckpointImporter.load(dir, spec.bcos(), spec.b(), spec.labels(), spec.maxLength());
    Lineage lineage = Lineage.base(dir.toAbsolutePath().normalize().toString(), c.weightsSha256());
    return complete(c.config(), c.weights(), c.tokenizer(), lineage, spec);
  }

  private static ConvertedModel complete(
      ModelConfig config,
      Map<String, TensorData> encoder,
      byte[] tokenizer,
      Lineage lineage,
      ConversionSpec spec) {
    Map<String, TensorData> all = ParameterLayout.complete(config, encoder, spec.headSeed());
    return new ConvertedModel(config, all, tokenizer, lineage, spec);
  }
}
