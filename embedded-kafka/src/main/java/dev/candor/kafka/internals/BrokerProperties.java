package dev.candor.kafka.internals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration of a single-node KRaft broker for local runs and tests.
 *
 * <p>Keys are written as the documented strings rather than Kafka's constant classes: those classes
 * are internal to the server modules and have moved between releases, while the keys are Kafka's
 * public, stable configuration surface.
 */
public final class BrokerProperties {

  /** Node id of the combined broker/controller. */
  public static final int NODE_ID = 1;

  /** Name of the client listener. */
  public static final String CLIENT_LISTENER = "PLAINTEXT";

  /** Name of the controller listener. */
  public static final String CONTROLLER_LISTENER = "CONTROLLER";

  private static final String HOST = "127.0.0.1";

  private BrokerProperties() {}

  /**
   * Builds the properties; {@code overrides} win over every default.
   *
   * @param clientPort port for clients
   * @param controllerPort port for the KRaft controller
   * @param logDir the broker's log (and metadata) directory
   * @param overrides user-supplied broker config
   * @return the full configuration
   */
  public static Properties build(
      int clientPort, int controllerPort, Path logDir, Map<String, ?> overrides) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    // A static voter set: one fixed voter, so no dynamic-quorum bootstrap is needed.
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put(
        "listeners",
        CLIENT_LISTENER
            + "://"
            + HOST
            + ":"
            + clientPort
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + HOST
            + ":"
            + controllerPort);
    p.put("advertised.listeners", CLIENT_LISTENER + "://" + HOST + ":" + clientPort);
    p.put(
        "listener.security.protocol.map",
        CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("inter.broker.listener.name", CLIENT_LISTENER);
    p.put("log.dirs", logDir.toAbsolutePath().toString());

    // One node: every internal topic must fit on it, or groups and transactions never start.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");

    // No point waiting for more group members to join on a one-process setup.
    p.put("group.initial.rebalance.delay.ms", "0");
    // A misspelt topic name should fail loudly rather than silently create a new topic.
    p.put("auto.create.topics.enable", "false");
    // The cleaner's default 128 MiB dedupe buffer is heap wasted on a laptop-sized broker.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));

    overrides.forEach((k, v) -> p.put(k, String.valueOf(v)));
    return p;
  }
}
