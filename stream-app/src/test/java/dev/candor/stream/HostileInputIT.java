package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.kafka.EmbeddedKafka;
import dev.candor.kafka.EmbeddedKafkaExtension;
import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.TopicKind;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input generator through the whole app and a real broker (exactly-once, one input
 * partition so a dead letter's source offset names its input), plus records close to the broker's
 * message size: every record ends as one committed prediction or dead letter, and the app stays up.
 */
@Tag("integration")
@ExtendWith(EmbeddedKafkaExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HostileInputIT {

  private static final int RECORDS = 1_500;
  private static final int MAX_CHARS = 2_000;

  @TempDir Path tmp;

  @Test
  void shouldTurnEveryHostileRecordIntoOneCommittedOutput(EmbeddedKafka kafka) throws Exception {
    // Given
    Path bundle = tmp.resolve("tiny");
    TestBundles.write(bundle, 6);
    Map<String, Object> p = new HashMap<>();
    p.put(StreamAppConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(StreamAppConfig.APPLICATION_ID_CONFIG, "candor-hostile-it");
    p.put(StreamAppConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
    p.put(StreamAppConfig.TOPIC_PREFIX_CONFIG, "hostile.");
    p.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundle.toString());
    p.put(StreamAppConfig.DEVICE_CONFIG, "cpu");
    p.put(StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG, 50);
    p.put(StreamAppConfig.MAX_TEXT_CHARS_CONFIG, MAX_CHARS);
    StreamAppConfig config = new StreamAppConfig(p);
    Topics topics = config.topics();
    for (Map.Entry<TopicKind, String> e : topics.names().entrySet()) {
      kafka.createTopic(e.getValue(), 1, e.getKey().topicConfig());
    }
    String bootstrap = kafka.bootstrapServers();
    List<HostileInputs.Case> cases =
        new ArrayList<>(
            HostileInputs.generate(HostileInputTest.SEED + 1, RECORDS, MAX_CHARS, 256 * 1024));
    cases.addAll(HostileInputs.nearBrokerLimit(cases.size()));

    try (StreamApp app = StreamApp.create(config).start();
        KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap);
        KafkaConsumer<String, ExplainedPrediction> out =
            ItSupport.readCommitted(
                bootstrap,
                topics.predictions().name(),
                AvroSerdes.of(ExplainedPrediction.class).deserializer());
        KafkaConsumer<byte[], byte[]> dead =
            ItSupport.rawReadCommitted(bootstrap, topics.deadLetters().name())) {
      // When
      for (HostileInputs.Case c : cases) {
        producer
            .send(
                new ProducerRecord<>(
                    topics.texts().name(), 0, null, c.key(), c.value(), c.headers()))
            .get(); // in order, and a record the broker refuses fails here, not silently
      }

      // Then
      List<ConsumerRecord<String, ExplainedPrediction>> preds = new ArrayList<>();
      List<ConsumerRecord<byte[], byte[]>> dls = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
      while (preds.size() + dls.size() < cases.size()) {
        assertTrue(
            app.state() == KafkaStreams.State.RUNNING
                || app.state() == KafkaStreams.State.REBALANCING,
            "the app stopped: " + app.state() + " " + app.failure());
        assertTrue(
            System.nanoTime() < deadline,
            "Expected "
                + cases.size()
                + " outputs but received only "
                + (preds.size() + dls.size())
                + " before timeout");
        out.poll(Duration.ofMillis(100)).forEach(preds::add);
        dead.poll(Duration.ofMillis(100)).forEach(dls::add);
      }
      ItSupport.drain(out, preds, Duration.ofSeconds(2));
      ItSupport.drain(dead, dls, Duration.ofSeconds(1));
      List<TestRecord<String, ExplainedPrediction>> p2 = new ArrayList<>();
      preds.forEach(r -> p2.add(new TestRecord<>(r.key(), r.value(), r.headers())));
      List<TestRecord<byte[], byte[]>> d2 = new ArrayList<>();
      dls.forEach(r -> d2.add(new TestRecord<>(r.key(), r.value(), r.headers())));
      HostileInputTest.Tally tally =
          HostileInputTest.reconcile(cases, p2, d2, topics.texts().name());
      System.out.println("HostileInputIT: " + tally);
      assertEquals(cases.size(), preds.size() + dls.size());
      assertTrue(app.isHealthy(), "still running: " + app.state());
    }
  }
}
