package dev.candor.cli;

import dev.candor.dashboard.Dashboard;
import dev.candor.dashboard.DashboardConfig;
import dev.candor.kafka.EmbeddedKafka;
import dev.candor.model.io.Directories;
import dev.candor.schemas.TopicKind;
import dev.candor.schemas.Topics;
import dev.candor.stream.StreamApp;
import dev.candor.stream.StreamAppConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An in-process broker with the Candor topics plus the stream app on top of it: what {@code candor
 * local} and {@code candor bench stream} run. Closing stops the stream first, then the broker, then
 * deletes the run's state.
 */
final class StreamStack implements AutoCloseable {
  private final EmbeddedKafka kafka;
  private final StreamApp app;
  private final Path stateDir;
  private final Topics topics;
  private final boolean keepState;
  private Dashboard dashboard;

  private StreamStack(
      EmbeddedKafka kafka, StreamApp app, Path stateDir, Topics topics, boolean keepState) {
    this.kafka = kafka;
    this.app = app;
    this.stateDir = stateDir;
    this.topics = topics;
    this.keepState = keepState;
  }

  /**
   * Starts everything.
   *
   * @param port broker port (0: any free port)
   * @param bundle model bundle
   * @param overrides further {@code candor.*} stream-app settings
   */
  static StreamStack start(int port, Path bundle, String device, Map<String, Object> overrides)
      throws IOException {
    return start(port, bundle, device, overrides, null, 1);
  }

  /**
   * Starts everything, keeping broker data and stream state under {@code home} when given (kept
   * across restarts: {@code home/kafka}, {@code home/stream-state}); temporary otherwise.
   *
   * @param home where state is kept across restarts, or {@code null} for temporary directories
   * @param partitions partitions of the texts and output topics (model-updates keeps one)
   */
  static StreamStack start(
      int port,
      Path bundle,
      String device,
      Map<String, Object> overrides,
      Path home,
      int partitions)
      throws IOException {
    Path stateDir =
        home == null
            ? Files.createTempDirectory("candor-local-state")
            : Files.createDirectories(home.resolve("stream-state"));
    EmbeddedKafka.Builder kb = EmbeddedKafka.builder().optPort(port);
    if (home != null) {
      kb.optDataDir(home.resolve("kafka"));
    }
    EmbeddedKafka kafka = kb.build().start();
    try {
      Topics topics = Topics.defaults();
      for (TopicKind kind : TopicKind.values()) {
        int n = kind == TopicKind.MODEL_UPDATES ? 1 : partitions;
        kafka.createTopic(topics.name(kind), n, kind.topicConfig());
      }
      Map<String, Object> props = new LinkedHashMap<>();
      props.put(StreamAppConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      props.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundle.toString());
      props.put(StreamAppConfig.STATE_DIR_CONFIG, stateDir.toString());
      props.put(StreamAppConfig.DEVICE_CONFIG, device);
      props.putAll(overrides);
      StreamApp app = StreamApp.create(StreamAppConfig.fromProperties(props, Map.of())).start();
      return new StreamStack(kafka, app, stateDir, topics, home != null);
    } catch (IOException | RuntimeException e) {
      kafka.close();
      if (home == null) {
        try {
          Directories.deleteRecursively(stateDir);
        } catch (IOException cleanup) {
          e.addSuppressed(cleanup); // the start failure is the news; keep the cleanup one attached
        }
      }
      throw e;
    }
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  Topics topics() {
    return topics;
  }

  StreamApp app() {
    return app;
  }

  /**
   * Starts the review dashboard on this stack's broker and topics; closed with the stack, first.
   *
   * @param settings further {@code candor.dashboard.*} settings (port, database, users or token)
   * @return the running dashboard
   */
  Dashboard startDashboard(Map<String, Object> settings) {
    if (dashboard != null) {
      throw new IllegalStateException("dashboard already started");
    }
    Map<String, Object> props = new LinkedHashMap<>(settings);
    props.put(DashboardConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(DashboardConfig.TOPIC_PREFIX_CONFIG, Topics.DEFAULT_PREFIX);
    dashboard = Dashboard.start(new DashboardConfig(props));
    return dashboard;
  }

  @Override
  public void close() throws IOException {
    try {
      if (dashboard != null) {
        dashboard.close();
      }
      app.close();
    } finally {
      kafka.close();
      if (!keepState) {
        Directories.deleteRecursively(stateDir);
      }
    }
  }
}
