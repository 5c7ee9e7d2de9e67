package dev.candor.stream;

import dev.candor.stream.internals.DeadLetterProcessingExceptionHandler;
import dev.candor.stream.internals.MetricsServer;
import dev.candor.stream.serving.FatalModelException;
import dev.candor.stream.serving.ModelHandle;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running stream app: owns the {@link KafkaStreams} built from {@link CandorTopology}, the
 * {@link ModelHandle} and the metrics HTTP server.
 *
 * <pre>{@code
 * try (StreamApp app = StreamApp.create(StreamAppConfig.load(path))) {
 *     app.start();          // waits for RUNNING
 *     app.awaitTermination();
 * }
 * }</pre>
 *
 * <p>It never wipes local state on its own: the micro-batch buffer lives there. {@link
 * #resetLocalState()} does that on explicit request only. It installs no shutdown hook; {@link
 * StreamAppMain} does.
 */
public final class StreamApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamApp.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final StreamAppConfig config;
  private final ModelHandle model;
  private final PrometheusMeterRegistry registry;
  private final Topology topology;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics kafkaMetrics;
  private final CountDownLatch running = new CountDownLatch(1);
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile State state = State.CREATED;
  private volatile String failure; // why a stream thread died, for /health
  private MetricsServer metricsServer;
  private boolean started;
  private boolean closed;

  /**
   * Wires an app around an existing model handle; the app owns (and closes) the handle.
   *
   * @param config the config
   * @param model the model handle
   * @param registry where all metrics go; /metrics renders it
   */
  public StreamApp(StreamAppConfig config, ModelHandle model, PrometheusMeterRegistry registry) {
    this.config = Objects.requireNonNull(config, "config cannot be null");
    this.model = Objects.requireNonNull(model, "model cannot be null");
    this.registry = Objects.requireNonNull(registry, "registry cannot be null");
    this.topology = CandorTopology.build(config, model, registry);
    Properties props = config.streamsProperties();
    props.put(DeadLetterProcessingExceptionHandler.METER_REGISTRY_CONFIG, registry);
    this.streams = new KafkaStreams(topology, props);
    // Kafka's own client metrics (consumer lag, commit and poll rates) as kafka_* meters.
    this.kafkaMetrics = new KafkaStreamsMetrics(streams);
    kafkaMetrics.bindTo(registry);
    streams.setStateListener(
        (now, before) -> {
          state = now;
          LOG.info("Kafka Streams {} -> {}", before, now);
          if (now == State.RUNNING) {
            running.countDown();
          }
          if (now == State.NOT_RUNNING || now == State.ERROR) {
            running.countDown(); // wakes start(), which then reports the failure
            terminated.countDown();
          }
        });
    // A thread that dies on an unexpected error stops the client: the health check turns red
    // and the supervisor restarts the process, instead of a silent retry loop on a poison pill.
    streams.setUncaughtExceptionHandler(
        e -> {
          failure = describe(e);
          LOG.error("Stream thread failed; shutting down this client", e);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
  }

  /**
   * Creates the app: a Prometheus registry with JVM metrics, and the model from the config's bundle
   * directory.
   *
   * @param config the config
   * @return the unstarted app
   * @throws IOException if the model bundle cannot be read or verified
   */
  public static StreamApp create(StreamAppConfig config) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("application", config.applicationId());
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    ModelHandle model =
        ModelHandle.load(
            config.modelBundleDir(),
            config.device(),
            registry,
            config.explanationTarget(),
            config.subBatching());
    return new StreamApp(config, model, registry);
  }

  /**
   * Starts the metrics server (if a port is configured) and Kafka Streams, and waits until Streams
   * is RUNNING or {@link StreamAppConfig#STARTUP_TIMEOUT_MS_CONFIG} passes.
   *
   * @return this app
   * @throws IllegalStateException if already started, or Streams fails or times out
   */
  public synchronized StreamApp start() {
    if (started || closed) {
      throw new IllegalStateException(closed ? "app is closed" : "app already started");
    }
    started = true;
    if (config.metricsPort() > 0) {
      try {
        metricsServer =
            new MetricsServer(config.metricsHost(), config.metricsPort(), registry, this::health);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot serve metrics on port " + config.metricsPort(), e);
      }
    }
    streams.start();
    long timeoutMs = config.startupTimeoutMs();
    try {
      if (!running.await(timeoutMs, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "Kafka Streams not RUNNING after "
                + timeoutMs
                + " ms (state "
                + state
                + ", bootstrap "
                + config.bootstrapServers()
                + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    }
    if (state != State.RUNNING) {
      throw new IllegalStateException("Kafka Streams stopped while starting: " + state);
    }
    LOG.info("Candor stream app {} running with model {}", config.applicationId(), model.version());
    return this;
  }

  /**
   * Blocks until Kafka Streams has stopped (closed, or failed).
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /**
   * The current Kafka Streams state.
   *
   * @return the state
   */
  public State state() {
    return state;
  }

  /**
   * Healthy while Streams runs or rebalances.
   *
   * @return true if healthy
   */
  public boolean isHealthy() {
    return state == State.RUNNING || state == State.REBALANCING;
  }

  private MetricsServer.Health health() {
    String f = failure;
    return new MetricsServer.Health(
        isHealthy(), state + " model=" + model.version() + (f == null ? "" : " failure=" + f));
  }

  private static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FatalModelException f) {
        return f + (f.getCause() == null ? "" : " caused by " + f.getCause());
      }
    }
    return String.valueOf(e);
  }

  /**
   * Why a stream thread died (a fatal model failure, for instance), if one did.
   *
   * @return the failure, or {@code null} while none has
   */
  public String failure() {
    return failure;
  }

  /**
   * The port the metrics server is bound to.
   *
   * @return the port, or -1 when the server is off or not started
   */
  public synchronized int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  /**
   * @return the model handle (owned by this app)
   */
  public ModelHandle model() {
    return model;
  }

  /**
   * @return the registry /metrics renders
   */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * @return the topology this app runs
   */
  public Topology topology() {
    return topology;
  }

  /**
   * Deletes this instance's local state directory (the buffer store included, which is then
   * restored from its changelog). Only allowed before {@link #start()} or after {@link #close()}.
   */
  public synchronized void resetLocalState() {
    LOG.warn("Explicit reset: deleting local state of {}", config.applicationId());
    streams.cleanUp();
  }

  /** Stops Kafka Streams (committing what is done), the metrics server and the model. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!streams.close(CLOSE_TIMEOUT)) {
      LOG.warn("Kafka Streams did not stop within {}", CLOSE_TIMEOUT);
    }
    terminated.countDown();
    kafkaMetrics.close();
    if (metricsServer != null) {
      metricsServer.close();
    }
    model.close();
    registry.close();
    LOG.info("Candor stream app {} closed", config.applicationId());
  }
}
