package dev.candor.stream.serving;

import dev.candor.model.DeviceChoice;
import dev.candor.model.bundle.InvalidBundleException;
import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.ExplanationTarget;
import dev.candor.model.explain.Prediction;
import dev.candor.model.tokenize.SubBatchPlanner;
import dev.candor.schemas.avro.ModelUpdate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model the stream explains with, swappable while the stream runs.
 *
 * <p>{@link #explain} runs a whole batch on one model and reports that model's version, so a batch
 * is never split across versions. {@link #requestSwap} only queues the update: a dedicated loader
 * thread (never a stream thread) reads and verifies the bundle, refuses it if its manifest sha256
 * differs from the update's, if its files do not match its manifest (tampered, missing), if it
 * cannot be loaded as the model its config describes, or if its labels differ from the running
 * model's, and otherwise installs it under a write lock, which waits for the batch in flight; the
 * old model is closed after that batch. Updates that arrive while one loads are coalesced to the
 * latest, and the one loading is then dropped rather than installed, so the version never goes back
 * on the way to the latest (a restart replays every update of the compacted topic).
 *
 * <p>{@link ModelUpdate#getUri()} is a path, a {@code file:} URI, or an {@code http(s):} URI whose
 * files are downloaded and each checked against the manifest before the swap.
 *
 * <p>Metrics: {@code candor.model.swaps{outcome=applied|refused|failed|skipped|superseded}} and
 * {@code candor.model.info{version}} (1 for the current version).
 */
public final class ModelHandle implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelHandle.class);
  // Bundles announced by http(s) URIs are fetched here, one directory per manifest sha256.
  private static final RemoteBundles REMOTE =
      new RemoteBundles(
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NORMAL)
              .connectTimeout(Duration.ofSeconds(30))
              .build(),
          Path.of(System.getProperty("java.io.tmpdir"), "candor-bundles"));

  private final Loader loader;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicReference<ModelUpdate> pending = new AtomicReference<>();
  private final ExecutorService loaderThread;
  private final MultiGauge versionGauge;
  private final MeterRegistry registry;
  private BatchModel current; // guarded by lock
  private String currentVersion; // guarded by lock; may differ from current.version(), see swapNow
  private boolean closed; // guarded by lock
  private volatile String explainLabel; // null: each text's predicted class

  /** Loads a model for a {@link ModelUpdate}; the production one is {@link BundleModel#load}. */
  @FunctionalInterface
  public interface Loader {
    /**
     * Loads and verifies the bundle at {@code dir}.
     *
     * @param dir the bundle directory
     * @param expectedSha256 the manifest sha256 the bundle must have
     * @param version the version its predictions should carry (may be blank: use the bundle's)
     * @return the model
     * @throws BundleMismatchException if its manifest sha256 is not {@code expectedSha256}
     * @throws IOException if it cannot be read or fails verification
     */
    BatchModel load(Path dir, String expectedSha256, String version) throws IOException;
  }

  /**
   * One batch's result.
   *
   * @param modelVersion the version of the model that explained every text in the batch
   * @param explanations one per text, in order
   */
  public record ExplainedBatch(String modelVersion, List<Explanation> explanations) {}

  /**
   * One forward-only batch's result.
   *
   * @param modelVersion the version of the model that classified every text in the batch
   * @param predictions one per text, in order
   */
  public record ClassifiedBatch(String modelVersion, List<Prediction> predictions) {}

  /**
   * Creates a handle around an already loaded model.
   *
   * @param initial the first model; the handle owns it from now on
   * @param loader loads the bundles of later updates
   * @param registry where the swap metrics go
   */
  public ModelHandle(BatchModel initial, Loader loader, MeterRegistry registry) {
    this.current = Objects.requireNonNull(initial, "initial cannot be null");
    this.currentVersion = initial.version();
    this.loader = Objects.requireNonNull(loader, "loader cannot be null");
    this.registry = Objects.requireNonNull(registry, "registry cannot be null");
    this.loaderThread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "candor-model-loader");
              t.setDaemon(true);
              return t;
            });
    this.versionGauge =
        MultiGauge.builder("candor.model.info")
            .description("1 for the model version currently explaining texts")
            .register(registry);
    publishVersion(initial.version());
  }

  /**
   * Loads a bundle directory and wraps it; later updates are loaded on {@code device} too.
   *
   * @param bundleDir the bundle to start with
   * @param device where the model runs
   * @param registry where the swap metrics go
   * @return the handle
   * @throws IOException if the bundle cannot be read or fails its manifest check
   */
  public static ModelHandle load(Path bundleDir, DeviceChoice device, MeterRegistry registry)
      throws IOException {
    return load(bundleDir, device, registry, ExplanationTarget.LOGIT, SubBatchPlanner.off());
  }

  /**
   * Loads a bundle directory and wraps it; every model, the first and each update, is loaded on
   * {@code device}, explains {@code target} and splits its batches with {@code subBatching}.
   *
   * @param bundleDir the bundle to start with
   * @param device where the model runs
   * @param registry where the swap metrics go
   * @param target what the explanations decompose
   * @param subBatching how each batch is split into padded sub-batches
   * @return the handle
   * @throws IOException if the bundle cannot be read or fails its manifest check
   */
  public static ModelHandle load(
      Path bundleDir,
      DeviceChoice device,
      MeterRegistry registry,
      ExplanationTarget target,
      SubBatchPlanner subBatching)
      throws IOException {
    BatchModel first = BundleModel.load(bundleDir, device, null, null, target, subBatching);
    LOG.info(
        "Loaded model {} from {} (explaining {}, sub-batching {})",
        first.version(),
        bundleDir,
        target.id(),
        subBatching);
    return new ModelHandle(
        first,
        (dir, sha, version) -> BundleModel.load(dir, device, sha, version, target, subBatching),
        registry);
  }

  /**
   * The version of the current model.
   *
   * @return the version string
   */
  public String version() {
    lock.readLock().lock();
    try {
      return currentVersion;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Explains a batch with the current model; a swap waits until this returns.
   *
   * @param texts non-blank texts
   * @return the version that explained them and one explanation per text
   * @throws RuntimeException if the model fails or the handle is closed
   */
  public ExplainedBatch explain(List<String> texts) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("model handle is closed");
      }
      List<Explanation> out = current.explain(texts, targets(texts.size()));
      if (out.size() != texts.size()) {
        throw new IllegalStateException(
            "model returned " + out.size() + " explanations for " + texts.size() + " texts");
      }
      return new ExplainedBatch(currentVersion, out);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Chooses the class whose logit {@link #explain} explains from now on. Checked against the
   * current model's labels here; later models have the same labels (an update with other labels is
   * refused), so the choice stays valid across swaps.
   *
   * @param label one of the model's label names, or {@code null} for each text's predicted class
   * @throws IllegalArgumentException if the model has no such label or does not say its labels
   */
  public void explainLabel(String label) {
    if (label != null && !currentLabels().contains(label)) {
      throw new IllegalArgumentException(
          "cannot explain class '"
              + label
              + "': the model's labels are "
              + currentLabels()
              + " (or explain each predicted class)");
    }
    explainLabel = label;
  }

  // caller holds the read lock
  private int[] targets(int n) {
    String label = explainLabel;
    if (label == null) {
      return null;
    }
    int c = current.labels().indexOf(label);
    if (c < 0) {
      throw new IllegalStateException(
          "model " + currentVersion + " has no label '" + label + "': " + current.labels());
    }
    int[] targets = new int[n];
    Arrays.fill(targets, c);
    return targets;
  }

  /**
   * Classifies a batch (forward only) with the current model; a swap waits until this returns.
   *
   * @param texts non-blank texts
   * @return the version that classified them and one prediction per text
   * @throws RuntimeException if the model fails or the handle is closed
   */
  public ClassifiedBatch classify(List<String> texts) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("model handle is closed");
      }
      List<Prediction> out = current.classify(texts);
      if (out.size() != texts.size()) {
        throw new IllegalStateException(
            "model returned " + out.size() + " predictions for " + texts.size() + " texts");
      }
      return new ClassifiedBatch(currentVersion, out);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Queues a swap to the update's bundle and returns at once; the loader thread applies it.
   *
   * @param update the announcement from the model-updates topic
   */
  public void requestSwap(ModelUpdate update) {
    Objects.requireNonNull(update, "update cannot be null");
    // Only the first of a burst schedules a drain; the drain always takes the latest.
    if (pending.getAndSet(update) == null) {
      try {
        loaderThread.execute(this::drainPending);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        LOG.debug("Model handle closed; ignoring update to {}", update.getVersion());
      }
    }
  }

  /**
   * Applies an update on the calling thread (the loader thread uses this; tests may too).
   *
   * @param update the announcement
   * @return true if the new model is now current
   */
  public boolean swapNow(ModelUpdate update) {
    String sha = update.getSha256();
    synchronized (this) { // one load at a time, also for direct callers
      String runningSha = currentSha();
      if (runningSha != null && sha.equalsIgnoreCase(runningSha)) {
        // Same weights (e.g. the config's bundle, announced again on restart): no reload,
        // but predictions should carry the name the publisher gave it.
        String label = update.getVersion();
        if (!label.isBlank() && !label.equals(version())) {
          relabel(label);
        }
        LOG.info(
            "Model update {} names the bundle already running; not reloading", update.getVersion());
        count("skipped");
        return false;
      }
      BatchModel next;
      try {
        next = loader.load(localBundle(update), sha, update.getVersion());
      } catch (BundleMismatchException | InvalidBundleException e) {
        // Not the announced bundle, tampered with, missing, or not loadable as a model.
        LOG.error("Refusing model update {}: {}", update.getVersion(), e.getMessage());
        count("refused");
        return false;
      } catch (IOException | RuntimeException e) {
        LOG.error(
            "Cannot load model update {} from {}: {}",
            update.getVersion(),
            update.getUri(),
            e.toString());
        count("failed");
        return false;
      }
      if (pending.get() != null) {
        // A newer update arrived while this one loaded (e.g. a restart replays every update on
        // the compacted topic): never install an older model on the way to the latest one.
        LOG.info(
            "Model update {} superseded by a newer one while it loaded; not installed",
            update.getVersion());
        next.close();
        count("superseded");
        return false;
      }
      List<String> running = currentLabels();
      if (!running.isEmpty() && !next.labels().isEmpty() && !running.equals(next.labels())) {
        LOG.error(
            "Refusing model update {}: its labels {} differ from the running model's {}",
            update.getVersion(),
            next.labels(),
            running);
        next.close();
        count("refused");
        return false;
      }
      BatchModel old;
      lock.writeLock().lock(); // waits for the batch in flight
      try {
        if (closed) {
          next.close();
          return false;
        }
        old = current;
        current = next;
        currentVersion = next.version();
      } finally {
        lock.writeLock().unlock();
      }
      old.close();
      publishVersion(next.version());
      count("applied");
      LOG.info("Swapped model {} -> {} ({})", old.version(), next.version(), update.getUri());
      return true;
    }
  }

  private void relabel(String label) {
    lock.writeLock().lock(); // between batches, like a swap
    try {
      currentVersion = label;
    } finally {
      lock.writeLock().unlock();
    }
    publishVersion(label);
  }

  private void drainPending() {
    ModelUpdate u;
    while ((u = pending.getAndSet(null)) != null) {
      try {
        swapNow(u);
      } catch (RuntimeException e) {
        LOG.error("Unexpected error applying model update {}", u.getVersion(), e);
      }
    }
  }

  private String currentSha() {
    lock.readLock().lock();
    try {
      return current.manifestSha256();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The current model's class names (the same for every model it may swap to).
   *
   * @return the labels, index = logit position; empty if the model does not say
   */
  public List<String> labels() {
    return currentLabels();
  }

  private List<String> currentLabels() {
    lock.readLock().lock();
    try {
      return current.labels();
    } finally {
      lock.readLock().unlock();
    }
  }

  private void publishVersion(String version) {
    versionGauge.register(List.of(MultiGauge.Row.of(Tags.of("version", version), 1)), true);
  }

  private void count(String outcome) {
    Counter.builder("candor.model.swaps")
        .description("Model updates received, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /** An {@code http(s):} bundle, fetched and verified into the cache; else the path itself. */
  private static Path localBundle(ModelUpdate update) throws IOException {
    if (RemoteBundles.isRemote(update.getUri())) {
      return REMOTE.fetch(update.getUri(), update.getSha256());
    }
    return bundlePath(update.getUri());
  }

  /**
   * Resolves {@link ModelUpdate#getUri()}: a {@code file:} URI or a plain path.
   *
   * @param uri the update's uri field
   * @return the bundle directory
   */
  static Path bundlePath(String uri) {
    return uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
  }

  /** Stops the loader thread and closes the current model after the batch in flight. */
  @Override
  public void close() {
    loaderThread.shutdownNow();
    try {
      loaderThread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      current.close();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
