package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.kafka.EmbeddedKafka;
import dev.candor.kafka.EmbeddedKafkaExtension;
import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.DeadLetterHeaders;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.ModelUpdate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The whole app against a real in-process broker, exactly-once, with a tiny real model. */
@Tag("integration")
@ExtendWith(EmbeddedKafkaExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CandorTopologyIT {

  private static final int TEXTS = 2_000;

  @TempDir Path tmp;

  @Test
  void shouldExplainEveryTextExactlyOnceThroughBadInputAndAHotSwap(EmbeddedKafka kafka)
      throws Exception {
    // Given
    Path bundleA = tmp.resolve("it-a");
    TestBundles.write(bundleA, 11);
    Path bundleB = tmp.resolve("it-b");
    String shaB = TestBundles.write(bundleB, 12);
    int metricsPort = ItSupport.freePort();
    Map<String, Object> p = new HashMap<>();
    p.put(StreamAppConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(StreamAppConfig.APPLICATION_ID_CONFIG, "candor-it");
    p.put(StreamAppConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
    p.put(StreamAppConfig.TOPIC_PREFIX_CONFIG, "it.");
    p.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundleA.toString());
    p.put(StreamAppConfig.DEVICE_CONFIG, "cpu");
    p.put(StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG, 100);
    p.put(StreamAppConfig.MAX_TEXT_CHARS_CONFIG, 200);
    p.put(StreamAppConfig.METRICS_PORT_CONFIG, metricsPort);
    p.put(StreamAppConfig.METRICS_HOST_CONFIG, "127.0.0.1");
    StreamAppConfig config = new StreamAppConfig(p);
    Topics topics = config.topics();
    ItSupport.createTopics(kafka, topics);
    String bootstrap = kafka.bootstrapServers();

    try (StreamApp app = StreamApp.create(config).start();
        KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap);
        KafkaConsumer<String, ExplainedPrediction> out = ItSupport.predictions(bootstrap, topics);
        KafkaConsumer<byte[], byte[]> dead =
            ItSupport.rawReadCommitted(bootstrap, topics.deadLetters().name())) {
      String versionA = app.model().version();

      // When: texts with bad records mixed in; a model update once a quarter is explained,
      // while texts keep coming; the last 100 only after the swap is visible
      List<ConsumerRecord<String, ExplainedPrediction>> got = new ArrayList<>();
      int bad = 0;
      int beforeUpdate = 0;
      for (int i = 0; i < TEXTS; i++) {
        if (i == TEXTS / 2) {
          producer.flush();
          ItSupport.pollUntil(out, got, TEXTS / 4, Duration.ofSeconds(60), "predictions");
          beforeUpdate = got.size();
          producer.send(
              new ProducerRecord<>(
                  topics.modelUpdates().name(),
                  utf8("candor"),
                  AvroSerdes.of(ModelUpdate.class)
                      .serializer()
                      .serialize(
                          topics.modelUpdates().name(),
                          CandorTopologyTest.update("v2", bundleB, shaB))));
        }
        if (i == TEXTS - 100) {
          producer.flush();
          CandorTopologyTest.await(() -> "v2".equals(app.model().version()), "model v2");
        }
        if (i % 100 == 50) {
          producer.send(
              new ProducerRecord<>(
                  topics.texts().name(),
                  utf8("bad-" + i),
                  i % 200 == 50 ? new byte[] {(byte) 0xff, 0x00} : utf8("x".repeat(201))));
          bad++;
        }
        producer.send(
            new ProducerRecord<>(
                topics.texts().name(),
                utf8("id-" + i),
                utf8("text number " + i + " says something " + (i % 7 == 0 ? "nasty" : "nice"))));
      }
      producer.flush();

      // Then: every text exactly once, in committed output
      ItSupport.pollUntil(out, got, TEXTS, Duration.ofSeconds(90), "predictions");
      ItSupport.drain(out, got, Duration.ofSeconds(1));
      assertEquals(TEXTS, got.size(), "no duplicates");
      Set<String> ids = new HashSet<>();
      Map<String, String> versionOf = new HashMap<>();
      for (ConsumerRecord<String, ExplainedPrediction> r : got) {
        assertEquals(r.key(), r.value().getId());
        assertTrue(ids.add(r.key()), "duplicate " + r.key());
        versionOf.put(r.key(), r.value().getModelVersion());
      }
      for (int i = 0; i < TEXTS; i++) {
        assertTrue(ids.contains("id-" + i), "missing id-" + i);
      }
      assertTrue(
          Set.of(versionA, "v2").containsAll(versionOf.values()), versionOf.values().toString());
      for (ConsumerRecord<String, ExplainedPrediction> r : got.subList(0, beforeUpdate)) {
        assertEquals(versionA, r.value().getModelVersion(), "explained before the update existed");
      }
      for (int i = TEXTS - 100; i < TEXTS; i++) {
        assertEquals("v2", versionOf.get("id-" + i), "text produced after the swap");
      }

      List<ConsumerRecord<byte[], byte[]>> dlq = new ArrayList<>();
      ItSupport.pollUntil(dead, dlq, bad, Duration.ofSeconds(30), "dead letters");
      for (ConsumerRecord<byte[], byte[]> r : dlq) {
        String reason = DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON);
        assertTrue(Set.of("NOT_DECODABLE", "TEXT_TOO_LONG").contains(reason), reason);
        assertEquals(
            topics.texts().name(),
            DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_TOPIC));
      }

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, metrics.statusCode());
      assertTrue(
          metrics.body().contains("candor_dead_letters_total"), "dead-letter counter exported");
      assertTrue(
          metrics.body().contains("candor_explain_latency_seconds_bucket"), "latency histogram");
      assertTrue(
          metrics.body().contains("candor_model_info{application=\"candor-it\",version=\"v2\"}"),
          "model version gauge");
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/health"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), health.body());
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
