package dev.candor.kafka;

import dev.candor.kafka.internals.BrokerProperties;
import dev.candor.kafka.internals.FreePorts;
import dev.candor.kafka.internals.StorageFormatter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM,
 * for the one-command local run and for integration tests.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
 *     kafka.createTopic("candor.texts", 3, false);
 *     String bootstrap = kafka.bootstrapServers();
 *     ...
 * }
 * }</pre>
 *
 * <p>The broker listens on 127.0.0.1 only. Internal topics have replication factor 1, so
 * transactions ({@code exactly_once_v2}) and consumer groups work on the one node. When no data
 * directory is given, a temporary one is created and deleted again by {@link #close()}; a given
 * data directory is kept, and a restart on it finds its topics and data again.
 *
 * <p>Stop Kafka Streams and other clients before closing the broker, or they spend their close
 * timeouts trying to reach it.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int START_ATTEMPTS = 3;
  private static final long ADMIN_TIMEOUT_MS = 30_000;

  private final int requestedPort;
  private final Path requestedDataDir;
  private final Map<String, Object> brokerConfig;

  private KafkaRaftServer server;
  private Admin admin;
  private Path dataDir;
  private boolean deleteDataDir;
  private int port;
  private Duration startupTime;
  private boolean closed;

  private EmbeddedKafka(Builder builder) {
    this.requestedPort = builder.port;
    this.requestedDataDir = builder.dataDir;
    this.brokerConfig = Map.copyOf(builder.brokerConfig);
  }

  /**
   * Returns a builder; every setting is optional.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Formats the storage if needed and starts the broker; returns when it accepts clients.
   *
   * @return this broker, for chaining
   * @throws IllegalStateException if already started or closed
   * @throws EmbeddedKafkaException if the broker cannot start
   */
  public synchronized EmbeddedKafka start() {
    if (server != null || closed) {
      throw new IllegalStateException(closed ? "Broker already closed" : "Broker already started");
    }
    long t0 = System.nanoTime();
    prepareDataDir();
    // Only ports we picked can be re-picked; a port the caller asked for either binds or fails.
    int attempts = requestedPort == 0 ? START_ATTEMPTS : 1;
    for (int attempt = 1; ; attempt++) {
      try {
        startOnce();
        break;
      } catch (RuntimeException e) {
        stopServerQuietly();
        if (attempt >= attempts || !causedByBind(e)) {
          deleteTempDataDir();
          // Kafka wraps the real reason (e.g. "Address already in use") several levels deep.
          throw new EmbeddedKafkaException(
              "Embedded Kafka failed to start on 127.0.0.1:" + port + ": " + rootCause(e), e);
        }
        LOG.info(
            "Port taken between picking and binding; retrying with new ports ({})", e.toString());
      }
    }
    startupTime = Duration.ofNanos(System.nanoTime() - t0);
    LOG.info(
        "Embedded Kafka started on {} in {} ms (data dir {}{})",
        bootstrapServers(),
        startupTime.toMillis(),
        dataDir,
        deleteDataDir ? ", temporary" : "");
    return this;
  }

  private void startOnce() {
    port = requestedPort == 0 ? FreePorts.pick() : requestedPort;
    int controllerPort = FreePorts.pick();
    Path logDir = dataDir.resolve("kraft-logs");
    Properties props = BrokerProperties.build(port, controllerPort, logDir, brokerConfig);
    try {
      Files.createDirectories(logDir);
      KafkaConfig config = KafkaConfig.fromProps(props, false);
      StorageFormatter.formatIfNeeded(config, logDir.toString());
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new EmbeddedKafkaException("Embedded Kafka failed to start: " + e, e);
    }
    admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) ADMIN_TIMEOUT_MS));
    // startup() returns once the broker is unfenced; one round trip proves clients get through.
    await(admin.describeCluster().nodes(), "describe the cluster");
  }

  /**
   * Returns the address clients connect to, e.g. {@code "127.0.0.1:41234"}.
   *
   * @return the bootstrap servers string
   * @throws IllegalStateException if the broker is not running
   */
  public synchronized String bootstrapServers() {
    requireRunning();
    return "127.0.0.1:" + port;
  }

  /**
   * Creates a topic with replication factor 1, or does nothing if it already exists (so that a
   * restart on a kept data directory can run the same setup).
   *
   * @param name topic name (cannot be {@code null})
   * @param partitions number of partitions, at least 1
   * @param compacted true for {@code cleanup.policy=compact}
   * @throws IllegalStateException if the broker is not running
   */
  public void createTopic(String name, int partitions, boolean compacted) {
    createTopic(
        name,
        partitions,
        compacted
            ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
            : Map.of());
  }

  /**
   * Creates a topic with replication factor 1 and the given topic configs, or does nothing if it
   * already exists.
   *
   * @param name topic name (cannot be {@code null})
   * @param partitions number of partitions, at least 1
   * @param topicConfig topic-level configs such as {@code retention.ms} (cannot be {@code null})
   * @throws IllegalStateException if the broker is not running
   */
  public void createTopic(String name, int partitions, Map<String, String> topicConfig) {
    Objects.requireNonNull(name, "name cannot be null");
    Objects.requireNonNull(topicConfig, "topicConfig cannot be null");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    Admin a;
    synchronized (this) {
      requireRunning();
      a = admin;
    }
    NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(topicConfig);
    try {
      await(a.createTopics(List.of(topic)).all(), "create topic " + name);
      LOG.debug("Created topic {} ({} partitions, {})", name, partitions, topicConfig);
    } catch (EmbeddedKafkaException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Cannot create topic " + name + ": " + e.getCause(), e);
      }
      LOG.debug("Topic {} already exists", name);
    }
  }

  /**
   * Returns the data directory (temporary or given).
   *
   * @return the directory
   * @throws IllegalStateException if the broker was never started
   */
  public synchronized Path dataDir() {
    if (dataDir == null) {
      throw new IllegalStateException("Broker not started");
    }
    return dataDir;
  }

  /**
   * Returns how long {@link #start()} took, formatting included.
   *
   * @return the startup time
   * @throws IllegalStateException if the broker was never started
   */
  public synchronized Duration startupTime() {
    if (startupTime == null) {
      throw new IllegalStateException("Broker not started");
    }
    return startupTime;
  }

  /**
   * Whether the broker is started and not yet closed.
   *
   * @return true while running
   */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /**
   * Stops the broker and deletes the data directory if this instance created it. Safe to call more
   * than once.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long t0 = System.nanoTime();
    stopServerQuietly();
    deleteTempDataDir();
    LOG.info(
        "Embedded Kafka stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  private void prepareDataDir() {
    try {
      if (requestedDataDir != null) {
        dataDir = Files.createDirectories(requestedDataDir);
        deleteDataDir = false;
      } else {
        dataDir = Files.createTempDirectory("candor-kafka-");
        deleteDataDir = true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create Kafka data directory", e);
    }
  }

  private void stopServerQuietly() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
    if (server != null) {
      try {
        server.shutdown();
        server.awaitShutdown();
      } catch (RuntimeException e) {
        LOG.warn("Error while stopping embedded Kafka", e);
      }
      server = null;
    }
  }

  private void deleteTempDataDir() {
    if (deleteDataDir && dataDir != null) {
      try {
        Utils.delete(dataDir.toFile());
      } catch (IOException e) {
        LOG.warn("Could not delete Kafka data directory {}", dataDir, e);
      }
    }
  }

  private void requireRunning() {
    if (server == null) {
      throw new IllegalStateException(closed ? "Broker closed" : "Broker not started");
    }
  }

  private static <T> T await(KafkaFuture<T> future, String what) {
    try {
      return future.get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException("Interrupted while waiting to " + what, e);
    } catch (ExecutionException e) {
      throw new EmbeddedKafkaException("Failed to " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new EmbeddedKafkaException(
          "Timed out after " + ADMIN_TIMEOUT_MS + " ms waiting to " + what, e);
    }
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.toString();
  }

  private static boolean causedByBind(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Builder for {@link EmbeddedKafka}; follows the {@code optX} convention for optional settings.
   */
  public static final class Builder {
    private int port;
    private Path dataDir;
    private final Map<String, Object> brokerConfig = new HashMap<>();

    private Builder() {}

    /**
     * Sets the client port on 127.0.0.1; 0 (the default) picks a free one.
     *
     * @param port 0..65535
     * @return this builder
     */
    public Builder optPort(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets a data directory to keep across runs; without one a temporary directory is used and
     * deleted on close.
     *
     * @param dataDir the directory, created if missing (cannot be {@code null})
     * @return this builder
     */
    public Builder optDataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir cannot be null");
      return this;
    }

    /**
     * Adds broker configs that override the defaults, e.g. {@code log.retention.ms}.
     *
     * @param config broker config keys and values (cannot be {@code null})
     * @return this builder
     */
    public Builder optBrokerConfig(Map<String, ?> config) {
      Objects.requireNonNull(config, "config cannot be null")
          .forEach(
              (k, v) ->
                  brokerConfig.put(
                      Objects.requireNonNull(k, "config key cannot be null"),
                      Objects.requireNonNull(v, "value of " + k + " cannot be null")));
      return this;
    }

    /**
     * Builds an unstarted broker; call {@link EmbeddedKafka#start()}.
     *
     * @return the broker
     */
    public EmbeddedKafka build() {
      return new EmbeddedKafka(this);
    }
  }
}
