package dev.candor.cli;

import dev.candor.schemas.TopicKind;
import dev.candor.schemas.Topics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Creates the Candor topics on a Kafka cluster with the configs the code needs ({@link
 * TopicKind#topicConfig()}): the one-shot topic initialiser of docker-compose.yml.
 */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description =
        "Create the six Candor topics (if missing) with their configs: model-updates compacted,"
            + " feedback kept forever. Texts and the outputs get --partitions partitions: the"
            + " most stream-app instances that can share the work. Existing topics are left as"
            + " they are and reported.")
final class TopicsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KafkaOptions kafka;

  @Option(
      names = "--partitions",
      defaultValue = "${env:CANDOR_TOPIC_PARTITIONS:-4}",
      description =
          "partitions of every topic but model-updates (default: $CANDOR_TOPIC_PARTITIONS or"
              + " ${DEFAULT-VALUE})")
  int partitions;

  @Option(
      names = "--replication-factor",
      defaultValue = "${env:CANDOR_TOPIC_REPLICATION_FACTOR:-1}",
      description =
          "replication factor (default: $CANDOR_TOPIC_REPLICATION_FACTOR or ${DEFAULT-VALUE};"
              + " use 3 on a production cluster)")
  short replicationFactor;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "120",
      description = "how long to wait for the cluster (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    if (partitions < 1 || replicationFactor < 1) {
      throw new IllegalArgumentException("--partitions and --replication-factor must be >= 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    Topics topics = Topics.builder().optPrefix(kafka.topicPrefix).build();
    List<NewTopic> wanted = newTopics(topics, partitions, replicationFactor);
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                timeoutSeconds * 1000))) {
      Set<String> existing = admin.listTopics().names().get(timeoutSeconds, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (NewTopic t : wanted) {
        if (!existing.contains(t.name())) {
          missing.add(t);
        }
      }
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          // Another initialiser may have won the race; the description below tells.
          if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
            throw e;
          }
        }
      }
      Map<String, TopicDescription> described =
          admin
              .describeTopics(wanted.stream().map(NewTopic::name).toList())
              .allTopicNames()
              .get(timeoutSeconds, TimeUnit.SECONDS);
      for (NewTopic t : wanted) {
        int actual = described.get(t.name()).partitions().size();
        out.printf(
            "%-28s %s, %d partitions%s%s%n",
            t.name(),
            missing.contains(t) ? "created" : "exists",
            actual,
            t.configs().isEmpty() ? "" : ", " + t.configs(),
            actual < t.numPartitions()
                ? " (fewer than the " + t.numPartitions() + " asked; not changed)"
                : "");
      }
    }
    return 0;
  }

  /**
   * The topics to create: model-updates with one partition (keyed by model name and read whole by
   * every instance), every other topic with {@code partitions}.
   */
  static List<NewTopic> newTopics(Topics topics, int partitions, short replicationFactor) {
    List<NewTopic> out = new ArrayList<>();
    for (TopicKind kind : TopicKind.values()) {
      int n = kind == TopicKind.MODEL_UPDATES ? 1 : partitions;
      out.add(new NewTopic(topics.name(kind), n, replicationFactor).configs(kind.topicConfig()));
    }
    return out;
  }
}
