package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.kafka.EmbeddedKafka;
import dev.candor.kafka.EmbeddedKafkaExtension;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.stream.serving.ModelHandle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that breaks in the middle of a run (a JVM {@link Error} on every call) stops the app
 * through the real broker: it turns unhealthy, dead-letters nothing, and a restart with a working
 * model emits exactly one committed prediction per text, none lost and none doubled.
 */
@Tag("integration")
@ExtendWith(EmbeddedKafkaExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FatalModelIT {

  private static final int TEXTS = 600;

  @TempDir Path tmp;

  @Test
  void shouldStopUnhealthyOnABrokenModelAndResumeWithNothingLost(EmbeddedKafka kafka)
      throws Exception {
    // Given
    int metricsPort = ItSupport.freePort();
    Map<String, Object> p = new HashMap<>();
    p.put(StreamAppConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(StreamAppConfig.APPLICATION_ID_CONFIG, "candor-fatal");
    p.put(StreamAppConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
    p.put(StreamAppConfig.TOPIC_PREFIX_CONFIG, "fatal.");
    p.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, tmp.toString()); // unused: the model is given
    p.put(StreamAppConfig.MAX_BATCH_SIZE_CONFIG, 8);
    p.put(StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG, 50);
    p.put(StreamAppConfig.METRICS_PORT_CONFIG, metricsPort);
    p.put(StreamAppConfig.METRICS_HOST_CONFIG, "127.0.0.1");
    StreamAppConfig config = new StreamAppConfig(p);
    Topics topics = config.topics();
    ItSupport.createTopics(kafka, topics);
    String bootstrap = kafka.bootstrapServers();
    FakeModel breaking = new FakeModel("breaking-1", 0.0, t -> false);
    HttpClient http = HttpClient.newHttpClient();

    try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap);
        KafkaConsumer<String, ExplainedPrediction> out = ItSupport.predictions(bootstrap, topics);
        KafkaConsumer<byte[], byte[]> dead =
            ItSupport.rawReadCommitted(bootstrap, topics.deadLetters().name())) {
      List<ConsumerRecord<String, ExplainedPrediction>> got = new ArrayList<>();
      StreamApp first = app(config, breaking);
      try {
        first.start();
        send(producer, topics, 0, TEXTS / 2);
        ItSupport.pollUntil(out, got, TEXTS / 4, Duration.ofSeconds(60), "predictions");

        // When: the model breaks while texts keep coming
        breaking.broken = new OutOfMemoryError("simulated: native allocation failed");
        send(producer, topics, TEXTS / 2, TEXTS);
        CandorTopologyTest.await(
            () -> first.state() == KafkaStreams.State.ERROR, "the app to stop in ERROR");

        // Then: unhealthy, and why
        assertFalse(first.isHealthy());
        HttpResponse<String> health =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, health.statusCode(), health.body());
        assertTrue(health.body().contains("OutOfMemoryError"), health.body());
        assertEquals(
            1.0, first.registry().get("candor.model.failures.fatal").counter().count(), 0.0);
      } finally {
        first.close();
      }
      ItSupport.drain(out, got, Duration.ofSeconds(2));
      int beforeRestart = got.size();
      assertTrue(beforeRestart < TEXTS, "the failure must land before the end: " + beforeRestart);
      System.out.printf(
          "FatalModelIT: stopped after %d of %d committed predictions%n", beforeRestart, TEXTS);

      // When: restarted with a working model
      try (StreamApp second = app(config, new FakeModel("working-2", 0.0, t -> false))) {
        second.start();
        ItSupport.pollUntil(out, got, TEXTS, Duration.ofSeconds(90), "predictions");
        ItSupport.drain(out, got, Duration.ofSeconds(2));
      }

      // Then: exactly one prediction per text, and not one dead letter
      Map<String, Integer> count = new HashMap<>();
      for (ConsumerRecord<String, ExplainedPrediction> r : got) {
        count.merge(r.key(), 1, Integer::sum);
      }
      for (int i = 0; i < TEXTS; i++) {
        assertEquals(1, count.getOrDefault("id-" + i, 0), "predictions for id-" + i);
      }
      assertEquals(TEXTS, got.size(), "exactly one prediction per text");
      List<ConsumerRecord<byte[], byte[]>> dlq = new ArrayList<>();
      ItSupport.drain(dead, dlq, Duration.ofSeconds(2));
      assertEquals(0, dlq.size(), "a broken model dead-letters nothing");
      for (ConsumerRecord<String, ExplainedPrediction> r : got.subList(beforeRestart, TEXTS)) {
        assertEquals("working-2", r.value().getModelVersion());
      }
    }
  }

  private static StreamApp app(StreamAppConfig config, FakeModel model) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new StreamApp(
        config,
        new ModelHandle(
            model,
            (d, s, v) -> {
              throw new java.io.IOException("no model updates in this test");
            },
            registry),
        registry);
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, Topics topics, int from, int to) {
    for (int i = from; i < to; i++) {
      producer.send(
          new ProducerRecord<>(
              topics.texts().name(),
              ("id-" + i).getBytes(StandardCharsets.UTF_8),
              ("text " + i + " before and after a model failure")
                  .getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
  }
}
