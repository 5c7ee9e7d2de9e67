package dev.candor.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.nn.ParameterLayout;
import dev.candor.model.nn.TensorData;
import dev.candor.model.nn.TransformerClassifier;
import dev.candor.model.tokenize.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
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
