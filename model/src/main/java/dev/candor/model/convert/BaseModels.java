package dev.candor.model.convert;

import dev.candor.model.config.ModelConfig;
import dev.candor.model.internals.convert.HfCheckpointImporter;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.nn.ParameterLayout;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.Lineage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Pre-trained encoders Candor can start from: the encoders bundled on the class path (MiniLM-L6,
 * the default, and the 12-layer bge-small and e5-small), or a local Hugging Face BERT / DistilBERT
 * / RoBERTa directory. Each comes back as a {@link ConvertedModel} that knows which weights it came
 * from.
 */
public final class BaseModels {
  /** The {@code --base} value that names the bundled MiniLM (the default). */
  public static final String BUNDLED_MINILM = "minilm";

  /** The bundled BAAI/bge-small-en-v1.5 (12 layers, hidden 384). */
  public static final String BUNDLED_BGE_SMALL = "bge-small";

  /** The bundled intfloat/e5-small-v2 (12 layers, hidden 384). */
  public static final String BUNDLED_E5_SMALL = "e5-small";

  /** Every bundled encoder's name, default first. */
  public static final List<String> BUNDLED =
      List.of(BUNDLED_MINILM, BUNDLED_BGE_SMALL, BUNDLED_E5_SMALL);

  /** How provenance names the bundled MiniLM (its Maven coordinate pins the exact weights). */
  public static final String MINILM_DESCRIPTION = MiniLmImporter.BASE_MODEL;

  private BaseModels() {}

  /** One of {@link #BUNDLED} or a Hugging Face checkpoint directory. */
  public static ConvertedModel from(String nameOrDirectory, ConversionSpec spec)
      throws IOException {
    MiniLmImporter.Bundled encoder = MiniLmImporter.Bundled.byId(nameOrDirectory);
    if (encoder != null) {
      return bundled(encoder, spec);
    }
    return huggingFace(Path.of(nameOrDirectory), spec);
  }

  /** The bundled MiniLM-L6 encoder, converted as {@code spec} says. */
  public static ConvertedModel bundledMiniLm(ConversionSpec spec) {
    return bundled(MiniLmImporter.Bundled.MINILM, spec);
  }

  /** How provenance names a bundled encoder (null for a name that is not one). */
  public static String describe(String name) {
    MiniLmImporter.Bundled encoder = MiniLmImporter.Bundled.byId(name);
    return encoder == null ? null : encoder.description();
  }

  private static ConvertedModel bundled(MiniLmImporter.Bundled encoder, ConversionSpec spec) {
    ModelConfig config =
        MiniLmImporter.config(encoder, spec.bcos(), spec.b(), spec.labels(), spec.maxLength());
    return complete(
        config,
        MiniLmImporter.weights(encoder),
        MiniLmImporter.tokenizerJson(encoder),
        Lineage.base(encoder.description(), MiniLmImporter.onnxSha256(encoder)),
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
