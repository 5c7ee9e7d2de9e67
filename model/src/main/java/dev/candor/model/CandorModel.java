package dev.candor.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.nn.ParameterLayout;
import dev.candor.model.nn.TensorData;
import dev.candor.model.nn.TransformerClassifier;
import dev.candor.model.tokenize.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A classifier ready to run: weights on a device, its tokenizer and a version string.
 *
 * <p>Owns native memory; close it when done.
 */
public final class CandorModel implements AutoCloseable {
  private final TransformerClassifier network;
  private final TextTokenizer tokenizer;
  private final byte[] tokenizerJson;
  private final String version;

  CandorModel(
      TransformerClassifier network,
      TextTokenizer tokenizer,
      byte[] tokenizerJson,
      String version) {
    this.network = network;
    this.tokenizer = tokenizer;
    this.tokenizerJson = tokenizerJson;
    this.version = version;
  }

  /** Builds a model from weights that {@link ParameterLayout#complete} accepts. */
  public static CandorModel of(
      ModelConfig config,
      Map<String, TensorData> weights,
      byte[] tokenizerJson,
      String version,
      Device device,
      DataType dtype) {
    Objects.requireNonNull(version, "version cannot be null");
    TextTokenizer tokenizer =
        new TextTokenizer(tokenizerJson, config.specialTokens(), config.maxLength());
    try {
      return new CandorModel(
          TransformerClassifier.create(config, weights, device, dtype),
          tokenizer,
          tokenizerJson,
          version);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /** Loads and verifies a bundle directory. */
  public static CandorModel load(Path bundleDir, DeviceChoice device) throws IOException {
    return fromBundle(ModelBundle.read(bundleDir), null, device);
  }

  /**
   * A bundle already read (and so verified) as a float32 model.
   *
   * @param version the version to report, or null for the bundle's own
   */
  public static CandorModel fromBundle(ModelBundle b, String version, DeviceChoice device) {
    String v = version == null || version.isBlank() ? b.version() : version;
    return of(b.config(), b.weights(), b.tokenizerJson(), v, device.resolve(), DataType.FLOAT32);
  }

  /**
   * A builder for the bundled MiniLM-L6 encoder converted to B-cos (or kept conventional) with a
   * freshly initialised head: the starting point of fine-tuning.
   */
  public static MiniLmBuilder bundledMiniLm() {
    return new MiniLmBuilder();
  }

  /**
   * Builds {@link #bundledMiniLm()}: {@code setLabels} is required; defaults are B-cos with B =
   * 1.5, 128 tokens, head seed 42, CPU, float32.
   */
  public static final class MiniLmBuilder {
    private List<String> labels;
    private boolean bcos = true;
    private double b = 1.5;
    private int maxLength = 128;
    private long seed = 42;
    private Device device = Device.cpu();
    private DataType dataType = DataType.FLOAT32;

    private MiniLmBuilder() {}

    /** Class names, index = logit position. */
    public MiniLmBuilder setLabels(List<String> labels) {
      this.labels = labels;
      return this;
    }

    /** B-cos (default) or the conventional model from the same weights. */
    public MiniLmBuilder optBcos(boolean bcos) {
      this.bcos = bcos;
      return this;
    }

    /** Alignment pressure B (default 1.5). */
    public MiniLmBuilder optB(double b) {
      this.b = b;
      return this;
    }

    /** Maximum tokens per text including the two special tokens (default 128). */
    public MiniLmBuilder optMaxLength(int maxLength) {
      this.maxLength = maxLength;
      return this;
    }

    /** Seed of the head's random initialisation (default 42). */
    public MiniLmBuilder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    public MiniLmBuilder optDevice(Device device) {
      this.device = Objects.requireNonNull(device, "device cannot be null");
      return this;
    }

    /** FLOAT32 (default) for serving and training, FLOAT64 for exactness tests. */
    public MiniLmBuilder optDataType(DataType dataType) {
      this.dataType = Objects.requireNonNull(dataType, "dataType cannot be null");
      return this;
    }

    /**
     * @throws IllegalArgumentException if the labels are missing or the config is invalid
     */
    public CandorModel build() {
      ModelConfig config = MiniLmImporter.config(bcos, b, labels, maxLength);
      Map<String, TensorData> weights =
          ParameterLayout.complete(config, MiniLmImporter.weights(), seed);
      return of(
          config,
          weights,
          MiniLmImporter.tokenizerJson(),
          (bcos ? "bcos" : "conventional") + "-minilm-untrained",
          device,
          dataType);
    }
  }

  public ModelConfig config() {
    return network.config();
  }

  public TransformerClassifier network() {
    return network;
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  public byte[] tokenizerJson() {
    return tokenizerJson.clone();
  }

  public String version() {
    return version;
  }

  @Override
  public void close() {
    network.close();
    tokenizer.close();
  }
}
