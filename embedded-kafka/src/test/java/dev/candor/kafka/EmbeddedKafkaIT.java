package dev.candor.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Tag("integration")
@Timeout(120)
class EmbeddedKafkaIT {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaIT.class);

  @Test
  void shouldDeliverCommittedTransactionsOnlyToReadCommittedConsumer() throws Exception {
    Path dataDir;
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
      // Given
      dataDir = kafka.dataDir();
      LOG.info("Broker startup took {} ms", kafka.startupTime().toMillis());
      assertTrue(kafka.startupTime().compareTo(Duration.ZERO) > 0);
      kafka.createTopic("texts", 3, false);
      // When: 100 records in four committed transactions, 10 in an aborted one
      try (KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
        producer.initTransactions();
        for (int tx = 0; tx < 4; tx++) {
          producer.beginTransaction();
          for (int i = 0; i < 25; i++) {
            int n = tx * 25 + i;
            producer.send(new ProducerRecord<>("texts", "k" + n, "v" + n));
          }
          producer.commitTransaction();
        }
        producer.beginTransaction();
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>("texts", "aborted" + i, "aborted"));
        }
        producer.flush();
        producer.abortTransaction();
      }
      // Then
      List<ConsumerRecord<String, String>> records =
          consume(kafka.bootstrapServers(), "texts", 100, Duration.ofSeconds(30));
      Set<String> values = new HashSet<>();
      records.forEach(r -> values.add(r.value()));
      assertEquals(100, records.size());
      assertEquals(100, values.size());
      assertFalse(values.contains("aborted"));
      assertTrue(Files.isDirectory(dataDir));
    }
    assertFalse(Files.exists(dataDir), "temporary data dir should be deleted on close");
  }

  @Test
  void shouldCreateCompactedTopicIdempotently() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start();
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      kafka.createTopic("candor.model-updates", 1, true);
      kafka.createTopic("candor.model-updates", 1, true);

      ConfigResource resource =
          new ConfigResource(ConfigResource.Type.TOPIC, "candor.model-updates");
      String policy =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get()
              .get(resource)
              .get("cleanup.policy")
              .value();
      TopicDescription description =
          admin
              .describeTopics(List.of("candor.model-updates"))
              .allTopicNames()
              .get()
              .get("candor.model-updates");
      assertEquals("compact", policy);
      assertEquals(1, description.partitions().size());
    }
  }

  @Test
  void shouldKeepTopicsAndDataInGivenDataDirAcrossRestart(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().optDataDir(dir).build().start();
        KafkaProducer<String, String> producer = plainProducer(kafka)) {
      kafka.createTopic("kept", 1, false);
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>("kept", "k" + i, "v" + i)).get();
      }
    }
    assertTrue(Files.isDirectory(dir), "a given data dir must survive close");

    try (EmbeddedKafka again = EmbeddedKafka.builder().optDataDir(dir).build().start()) {
      again.createTopic("kept", 1, false); // already there: no error
      List<ConsumerRecord<String, String>> records =
          consume(again.bootstrapServers(), "kept", 3, Duration.ofSeconds(30));
      assertEquals(List.of("v0", "v1", "v2"), records.stream().map(ConsumerRecord::value).toList());
    }
  }

  @Test
  void shouldFailClearlyWhenRequestedPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      EmbeddedKafka kafka = EmbeddedKafka.builder().optPort(taken.getLocalPort()).build();

      EmbeddedKafkaException e = assertThrows(EmbeddedKafkaException.class, kafka::start);

      LOG.info("Expected failure: {}", e.getMessage());
      assertTrue(
          e.getMessage().contains(":" + taken.getLocalPort() + ": java.net.BindException"),
          e.getMessage());
      assertFalse(kafka.isRunning());
      kafka.close();
    }
  }

  private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka kafka) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "it-" + UUID.randomUUID(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true),
        new StringSerializer(),
        new StringSerializer());
  }

  private static KafkaProducer<String, String> plainProducer(EmbeddedKafka kafka) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
        new StringSerializer(),
        new StringSerializer());
  }

  /** Polls until {@code expected} records arrived or the time is up; fails with the counts. */
  static List<ConsumerRecord<String, String>> consume(
      String bootstrap, String topic, int expected, Duration timeout) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            "it-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            IsolationLevel.READ_COMMITTED.toString());
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // Poll once more so that records beyond the expected count are noticed.
      consumer.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    if (out.size() != expected) {
      throw new AssertionError(
          "Expected "
              + expected
              + " records from "
              + topic
              + " but received "
              + out.size()
              + " within "
              + timeout.toSeconds()
              + " s");
    }
    return out;
  }
}
