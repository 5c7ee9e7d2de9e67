package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.kafka.EmbeddedKafka;
import dev.candor.kafka.EmbeddedKafkaExtension;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@link StreamAppMain} with SIGKILL in the middle of a run, restarts it on the same state
 * directory, and checks that every text has exactly one committed prediction: nothing buffered is
 * lost and nothing half-written is duplicated.
 */
@Tag("integration")
@ExtendWith(EmbeddedKafkaExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CrashRecoveryIT {

  private static final int TEXTS = 1_500;
  private static final int PER_TICK = 25;
  private static final long TICK_MS = 20; // ~1,250 texts/s, so the kill lands mid-stream

  @TempDir Path tmp;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void shouldEmitExactlyOnePredictionPerTextAcrossAKill(EmbeddedKafka kafka) throws Exception {
    // Given
    Path bundle = tmp.resolve("crash-model");
    TestBundles.write(bundle, 21);
    Properties props = new Properties();
    props.put(StreamAppConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamAppConfig.APPLICATION_ID_CONFIG, "candor-crash");
    props.put(StreamAppConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
    props.put(StreamAppConfig.TOPIC_PREFIX_CONFIG, "crash.");
    props.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundle.toString());
    props.put(StreamAppConfig.DEVICE_CONFIG, "cpu");
    props.put(StreamAppConfig.MAX_BATCH_SIZE_CONFIG, "16");
    props.put(StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG, "100");
    Path configFile = tmp.resolve("stream-app.properties");
    try (var w = Files.newBufferedWriter(configFile)) {
      props.store(w, "CrashRecoveryIT");
    }
    StreamAppConfig config = StreamAppConfig.load(configFile, Map.of());
    Topics topics = config.topics();
    ItSupport.createTopics(kafka, topics);
    String bootstrap = kafka.bootstrapServers();

    try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap);
        KafkaConsumer<String, ExplainedPrediction> out = ItSupport.predictions(bootstrap, topics)) {
      List<ConsumerRecord<String, ExplainedPrediction>> got = new ArrayList<>();
      Process first = launch(configFile, "first");

      // When: once the app explains, texts arrive steadily; it is killed once a third is out
      int sent = 0;
      for (; sent < PER_TICK; sent++) {
        sendText(producer, topics.texts().name(), sent);
      }
      producer.flush();
      try {
        ItSupport.pollUntil(out, got, 1, Duration.ofSeconds(90), "first prediction");
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage() + "; log:\n" + Files.readString(tmp.resolve("first.log")), e);
      }
      boolean killed = false;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (sent < TEXTS || !killed) {
        assertTrue(
            System.nanoTime() < deadline, "stuck: sent " + sent + ", received " + got.size());
        for (int i = 0; i < PER_TICK && sent < TEXTS; i++, sent++) {
          sendText(producer, topics.texts().name(), sent);
        }
        producer.flush();
        out.poll(Duration.ofMillis(TICK_MS)).forEach(got::add);
        if (!killed && got.size() >= TEXTS / 3) {
          first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no clean close
          killed = true;
          System.out.printf(
              "CrashRecoveryIT: killed with %d sent, %d committed predictions%n", sent, got.size());
        }
        if (!first.isAlive() && !killed) {
          throw new AssertionError(
              "StreamAppMain exited early with "
                  + first.exitValue()
                  + "; log:\n"
                  + Files.readString(tmp.resolve("first.log")));
        }
      }
      int beforeRestart = got.size();
      assertTrue(
          beforeRestart < TEXTS, "the kill must land before the end (got " + beforeRestart + ")");
      Process second = launch(configFile, "second");

      // Then
      ItSupport.pollUntil(out, got, TEXTS, Duration.ofSeconds(120), "predictions");
      ItSupport.drain(out, got, Duration.ofSeconds(2));
      Map<String, Integer> count = new HashMap<>();
      for (ConsumerRecord<String, ExplainedPrediction> r : got) {
        count.merge(r.value().getId(), 1, Integer::sum);
      }
      for (int i = 0; i < TEXTS; i++) {
        assertEquals(1, count.getOrDefault("id-" + i, 0), "predictions for id-" + i);
      }
      assertEquals(TEXTS, got.size(), "exactly one prediction per text");

      Files.readAllLines(tmp.resolve("second.log")).stream()
          .filter(l -> l.contains("Restored") || l.contains("running with model"))
          .forEach(l -> System.out.println("CrashRecoveryIT second run: " + l));
      second.destroy(); // SIGTERM: the shutdown hook closes cleanly
      assertTrue(second.waitFor(60, TimeUnit.SECONDS), "StreamAppMain did not stop on SIGTERM");
    }
  }

  private Process launch(Path configFile, String name) throws IOException {
    Process p = ItSupport.launchStreamApp(configFile, tmp.resolve(name + ".log"));
    processes.add(p);
    return p;
  }

  private static void sendText(KafkaProducer<byte[], byte[]> producer, String topic, int i) {
    producer.send(
        new ProducerRecord<>(topic, utf8("id-" + i), utf8("text " + i + " to survive a crash")));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
