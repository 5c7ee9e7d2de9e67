package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.kafka.EmbeddedKafka;
import dev.candor.schemas.TopicKind;
import dev.candor.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code candor topics} (the compose initialiser) and {@code candor local --partitions}. */
@Tag("integration")
class TopicsCommandIT {

  @TempDir Path tmp;

  @Test
  @Timeout(120)
  void shouldCreatePartitionedTopicsWithTheirConfigsOnce() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
      String bs = kafka.bootstrapServers();
      String first = run("topics", "-b", bs, "--partitions", "4", "--topic-prefix", "init.");
      String second = run("topics", "-b", bs, "--partitions", "4", "--topic-prefix", "init.");

      Topics topics = Topics.builder().optPrefix("init.").build();
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bs))) {
        assertPartitions(admin, topics, 4);
        Map<ConfigResource, Config> configs =
            admin
                .describeConfigs(
                    List.of(
                        new ConfigResource(
                            ConfigResource.Type.TOPIC, topics.name(TopicKind.MODEL_UPDATES)),
                        new ConfigResource(
                            ConfigResource.Type.TOPIC, topics.name(TopicKind.FEEDBACK))))
                .all()
                .get(30, TimeUnit.SECONDS);
        for (Map.Entry<ConfigResource, Config> e : configs.entrySet()) {
          TopicKind kind =
              e.getKey().name().endsWith("model-updates")
                  ? TopicKind.MODEL_UPDATES
                  : TopicKind.FEEDBACK;
          for (Map.Entry<String, String> c : kind.topicConfig().entrySet()) {
            assertEquals(c.getValue(), e.getValue().get(c.getKey()).value(), e.getKey() + " " + c);
          }
        }
      }
      assertEquals(6, first.lines().filter(l -> l.contains(" created, ")).count(), first);
      assertEquals(6, second.lines().filter(l -> l.contains(" exists, ")).count(), second);
    }
  }

  @Test
  @Timeout(180)
  void shouldStartTheLocalStackOnPartitionedTopics() throws Exception {
    Path bundle = TinyBundle.write(tmp.resolve("tiny"), 3);
    try (StreamStack stack = StreamStack.start(0, bundle, "cpu", Map.of(), null, 4);
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
      assertPartitions(admin, stack.topics(), 4);
      assertTrue(stack.app().isHealthy(), "stream app state " + stack.app().state());
    }
  }

  private static void assertPartitions(Admin admin, Topics topics, int n) throws Exception {
    Map<String, TopicDescription> d =
        admin.describeTopics(topics.names().values()).allTopicNames().get(30, TimeUnit.SECONDS);
    for (TopicKind kind : TopicKind.values()) {
      int expected = kind == TopicKind.MODEL_UPDATES ? 1 : n;
      assertEquals(expected, d.get(topics.name(kind)).partitions().size(), topics.name(kind));
    }
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = CandorCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int rc = cl.execute(args);
    assertEquals(0, rc, "candor " + String.join(" ", args) + ":\n" + out + err);
    return out.toString();
  }
}
