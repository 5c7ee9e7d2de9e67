package dev.candor.dashboard.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.kafka.EmbeddedKafka;
import dev.candor.kafka.EmbeddedKafkaExtension;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.ModelUpdate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer against a real broker: poison records (undecodable bytes, an over-long text, an
 * unknown model version, a NUL character) are counted and skipped, the valid ones around them are
 * stored, and a restarted consumer resumes from its committed offsets without storing twice.
 */
@Tag("integration")
@Timeout(120)
@ExtendWith(EmbeddedKafkaExtension.class)
class FlagConsumerIT {
  @TempDir Path dir;

  @Test
  void shouldSkipPoisonAndStoreTheRest(EmbeddedKafka kafka) throws Exception {
    Topics topics = Topics.builder().optPrefix("fc.").build();
    kafka.createTopic(topics.flags().name(), 1, false);
    kafka.createTopic(topics.predictions().name(), 1, false);
    kafka.createTopic(topics.modelUpdates().name(), 1, true);
    Map<String, Object> pp =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    byte[] valid1 =
        encode(topics, Records.flagged("ok-1", "they are fine", "normal", "identity-term", 0));
    ExplainedPrediction longText =
        Records.flagged("long", "word ".repeat(300).strip(), "normal", "identity-term", 0);
    ExplainedPrediction otherModel =
        Records.flagged("old", "from an old model", "normal", "identity-term", 0);
    otherModel.setModelVersion("v0");
    ExplainedPrediction nul =
        Records.flagged("nul", "bad\0text here", "normal", "identity-term", 0);
    byte[] valid2 =
        encode(topics, Records.flagged("ok-2", "go home now", "offensive", "identity-term", 1));
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer())) {
      String t = topics.flags().name();
      p.send(new ProducerRecord<>(t, "ok-1", valid1));
      p.send(new ProducerRecord<>(t, "junk", "not avro at all".getBytes(StandardCharsets.UTF_8)));
      p.send(new ProducerRecord<>(t, "trunc", java.util.Arrays.copyOf(valid1, 20)));
      p.send(new ProducerRecord<>(t, "long", encode(topics, longText)));
      p.send(new ProducerRecord<>(t, "old", encode(topics, otherModel)));
      p.send(new ProducerRecord<>(t, "nul", encode(topics, nul)));
      p.send(new ProducerRecord<>(t, "tomb", null));
      p.send(new ProducerRecord<>(t, "ok-2", valid2));
      p.send(new ProducerRecord<>(t, "ok-1", valid1)); // a re-delivery
      p.send(
          new ProducerRecord<>(
              topics.predictions().name(),
              "p",
              encode(topics, Records.flagged("p", "a plain one", "normal", null, 0))));
      String mu = topics.modelUpdates().name();
      ModelUpdate update =
          new ModelUpdate(
              "default", "v0002", "/registry/v0002", "ab", Map.of("accuracy", 0.75), 9L);
      p.send(
          new ProducerRecord<>(
              mu,
              "default",
              topics.modelUpdates().valueSerde().serializer().serialize(mu, update)));
      p.send(new ProducerRecord<>(mu, "default", "junk".getBytes(StandardCharsets.UTF_8)));
      p.flush();
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicInteger notified = new AtomicInteger();
    try (Database db = Database.open("jdbc:h2:file:" + dir.resolve("db"), "", "")) {
      ReviewStore store = new ReviewStore(db.dataSource());
      try (FlagConsumer c = consumer(kafka, topics, store, registry, notified).start()) {
        waitFor(
            () -> count(store, "items") == 2 && count(store, "predictions_seen") == 1,
            "2 items, 1 prediction");
        waitFor(() -> notified.get() == 2, "2 new-flag notifications");
        waitFor(() -> versions(store) == 1, "1 model version");
      }
      Model.ModelVersion v = store.modelVersions(10).get(0);
      assertEquals("v0002", v.version());
      assertEquals(Map.of("accuracy", 0.75), v.metrics());
      assertEquals(
          Set.of("ok-1", "ok-2"),
          Set.copyOf(store.queue(all()).rows().stream().map(Model.QueueRow::id).toList()));
      for (String reason :
          new String[] {
            "undecodable", "text-too-long", "unknown-model-version", "nul-in-text", "tombstone"
          }) {
        double n =
            registry
                .counter(
                    "candor.dashboard.records",
                    "topic",
                    "flags",
                    "outcome",
                    "skipped",
                    "reason",
                    reason)
                .count();
        assertEquals(reason.equals("undecodable") ? 2 : 1, n, reason);
      }
      assertEquals(
          3,
          registry
              .counter(
                  "candor.dashboard.records", "topic", "flags", "outcome", "stored", "reason", "")
              .count());
      // Restart: committed offsets mean nothing is read (or notified) again.
      AtomicInteger again = new AtomicInteger();
      SimpleMeterRegistry r2 = new SimpleMeterRegistry();
      try (FlagConsumer c = consumer(kafka, topics, store, r2, again).start()) {
        Thread.sleep(3000);
      }
      assertEquals(0, again.get());
      assertEquals(
          0,
          r2.find("candor.dashboard.records").counters().stream()
              .mapToDouble(x -> x.count())
              .sum());
      assertEquals(2, count(store, "items"));
    }
  }

  private static FlagConsumer consumer(
      EmbeddedKafka kafka,
      Topics topics,
      ReviewStore store,
      SimpleMeterRegistry registry,
      AtomicInteger n) {
    return new FlagConsumer(
        kafka.bootstrapServers(),
        "fc-group",
        topics,
        true,
        store,
        new FlagValidator(1000, Set.of("v1")),
        registry,
        n::addAndGet);
  }

  private static Model.QueueFilter all() {
    return new Model.QueueFilter(null, null, null, Model.Reviewed.ANY, null, 1, 50);
  }

  private static byte[] encode(Topics topics, ExplainedPrediction p) {
    return topics.flags().valueSerde().serializer().serialize(topics.flags().name(), p);
  }

  private static long count(ReviewStore s, String table) {
    try {
      return s.count(table);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int versions(ReviewStore store) {
    try {
      return store.modelVersions(10).size();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void waitFor(java.util.function.BooleanSupplier cond, String what)
      throws InterruptedException {
    long end = System.currentTimeMillis() + 30_000;
    while (!cond.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("timed out after 30 s waiting for " + what);
      }
      Thread.sleep(100);
    }
    assertTrue(cond.getAsBoolean());
  }
}
