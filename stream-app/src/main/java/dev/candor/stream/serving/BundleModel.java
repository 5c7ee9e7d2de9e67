package dev.candor.stream.serving;

import ai.djl.engine.EngineException;
import dev.candor.model.CandorModel;
import dev.candor.model.DeviceChoice;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.explain.Explainer;
import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.ExplanationTarget;
import dev.candor.model.explain.Prediction;
import dev.candor.model.tokenize.SubBatchPlanner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A {@link BatchModel} read from a bundle directory: a {@link CandorModel} and its explainer. */
public final class BundleModel implements BatchModel {

  private final CandorModel model;
  private final Explainer explainer;
  private final String version;
  private final String manifestSha256;

  private BundleModel(
      CandorModel model,
      String version,
      String manifestSha256,
      ExplanationTarget target,
      SubBatchPlanner subBatching) {
    this.model = model;
    // The caller sized the batch; the planner may only split it.
    this.explainer = new Explainer(model, target, subBatching, Integer.MAX_VALUE);
    this.version = version;
    this.manifestSha256 = manifestSha256;
  }

  /**
   * Reads, verifies and loads a bundle.
   *
   * @param dir the bundle directory
   * @param device where to run
   * @param expectedSha256 the manifest sha256 the bundle must have, or {@code null} to accept any
   * @param version the version to report, or {@code null} for the bundle's own version
   * @return the loaded model
   * @throws IOException if the bundle cannot be read or fails verification
   * @throws BundleMismatchException if the manifest sha256 differs from {@code expectedSha256}
   */
  public static BundleModel load(
      Path dir, DeviceChoice device, String expectedSha256, String version) throws IOException {
    return load(dir, device, expectedSha256, version, ExplanationTarget.LOGIT);
  }

  /**
   * As {@link #load(Path, DeviceChoice, String, String)}, explaining {@code target}, one padded
   * batch per call.
   *
   * @param target what the explanations decompose
   */
  public static BundleModel load(
      Path dir,
      DeviceChoice device,
      String expectedSha256,
      String version,
      ExplanationTarget target)
      throws IOException {
    return load(dir, device, expectedSha256, version, target, SubBatchPlanner.off());
  }

  /**
   * Reads, verifies and loads a bundle that explains {@code target} and whose batches are split by
   * {@code subBatching}.
   *
   * @param dir the bundle directory
   * @param device where to run
   * @param expectedSha256 the manifest sha256 the bundle must have, or {@code null} to accept any
   * @param version the version to report, or {@code null} for the bundle's own version
   * @param target what the explanations decompose
   * @param subBatching how each batch is split into padded sub-batches
   * @return the loaded model
   * @throws IOException if the bundle cannot be read or fails verification
   * @throws BundleMismatchException if the manifest sha256 differs from {@code expectedSha256}
   */
  public static BundleModel load(
      Path dir,
      DeviceChoice device,
      String expectedSha256,
      String version,
      ExplanationTarget target,
      SubBatchPlanner subBatching)
      throws IOException {
    // One read both verifies the files against the manifest and yields its hash, so the files
    // checked are the files loaded.
    ModelBundle b = ModelBundle.read(dir);
    if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(b.manifestSha256())) {
      throw new BundleMismatchException(
          "bundle "
              + dir
              + " has manifest sha256 "
              + b.manifestSha256()
              + " but the model update says "
              + expectedSha256);
    }
    CandorModel m = CandorModel.fromBundle(b, version, device);
    try {
      return new BundleModel(m, m.version(), b.manifestSha256(), target, subBatching);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** {@inheritDoc} */
  @Override
  public String version() {
    return version;
  }

  /** {@inheritDoc} */
  @Override
  public String manifestSha256() {
    return manifestSha256;
  }

  /** {@inheritDoc} */
  @Override
  public List<String> labels() {
    return model.config().labels();
  }

  /** {@inheritDoc} */
  @Override
  public List<Explanation> explain(List<String> texts) {
    return explain(texts, null);
  }

  /** {@inheritDoc} */
  @Override
  public List<Explanation> explain(List<String> texts, int[] targets) {
    try {
      return explainer.explain(texts, targets);
    } catch (EngineException e) {
      // A native engine failure says nothing about the texts: the stream must stop, not
      // dead-letter them.
      throw new FatalModelException("the model engine failed: " + e.getMessage(), e);
    }
  }

  /** {@inheritDoc} */
  @Override
  public List<Prediction> classify(List<String> texts) {
    return explainer.predict(texts);
  }

  /** {@inheritDoc} */
  @Override
  public void close() {
    explainer.close();
    model.close();
  }
}
