package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.kafka.EmbeddedKafka;
import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.DeadLetterHeaders;
import dev.candor.schemas.TopicKind;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.ModelUpdate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash consistency: {@link StreamAppMain} as a separate JVM is SIGKILLed {@value #KILLS} times at
 * random moments while {@value #TEXTS} texts (one in 50 of them undecodable) stream in; some kills
 * land while a model update is loading, and once the broker itself is stopped and restarted on its
 * data directory. A read_committed consumer must then see exactly one prediction or dead letter per
 * input: none lost, none doubled.
 */
@Tag("integration")
@Tag("slow")
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ChaosIT {

  static final long SEED = 16L;
  private static final int TEXTS = 5_000;
  private static final int KILLS = 10;
  private static final int BAD_EVERY = 50;

  @TempDir Path tmp;

  private final List<Process> processes = new ArrayList<>();
  private EmbeddedKafka kafka;

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void shouldEmitExactlyOneOutputPerInputAcrossKillsSwapsAndABrokerRestart() throws Exception {
    // Given
    Random random = new Random(SEED);
    int port = ItSupport.freePort();
    Path dataDir = tmp.resolve("kafka-data");
    kafka = EmbeddedKafka.builder().optPort(port).optDataDir(dataDir).build().start();
    String bootstrap = kafka.bootstrapServers();
    Path bundleA = tmp.resolve("chaos-a");
    TestBundles.write(bundleA, 31);
    List<ModelUpdate> swaps = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Path b = tmp.resolve("chaos-swap-" + i);
      swaps.add(CandorTopologyTest.update("swap-" + i, b, TestBundles.write(b, 40 + i)));
    }
    Properties props = new Properties();
    props.put(StreamAppConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamAppConfig.APPLICATION_ID_CONFIG, "candor-chaos");
    props.put(StreamAppConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
    props.put(StreamAppConfig.TOPIC_PREFIX_CONFIG, "chaos.");
    props.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundleA.toString());
    props.put(StreamAppConfig.DEVICE_CONFIG, "cpu");
    props.put(StreamAppConfig.MAX_BATCH_SIZE_CONFIG, "16");
    props.put(StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG, "100");
    Path configFile = tmp.resolve("stream-app.properties");
    try (var w = Files.newBufferedWriter(configFile)) {
      props.store(w, "ChaosIT");
    }
    Topics topics = StreamAppConfig.load(configFile, Map.of()).topics();
    for (Map.Entry<TopicKind, String> e : topics.names().entrySet()) {
      boolean multi = e.getKey() == TopicKind.TEXTS || e.getKey() == TopicKind.PREDICTIONS;
      kafka.createTopic(e.getValue(), multi ? 3 : 1, e.getKey().topicConfig());
    }

    AtomicInteger sent = new AtomicInteger();
    List<String> events = new ArrayList<>();
    long t0 = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap);
        KafkaConsumer<String, ExplainedPrediction> out =
            ItSupport.readCommitted(
                bootstrap,
                topics.predictions().name(),
                AvroSerdes.of(ExplainedPrediction.class).deserializer());
        KafkaConsumer<byte[], byte[]> dead =
            ItSupport.rawReadCommitted(bootstrap, topics.deadLetters().name())) {
      // Texts arrive steadily for about as long as the kills take.
      CompletableFuture<Void> feeder =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < TEXTS; i++) {
                  byte[] value =
                      i % BAD_EVERY == 7
                          ? new byte[] {(byte) 0xff, (byte) 0xfe, (byte) i}
                          : utf8("chaos text " + i + " is " + (i % 3 == 0 ? "awful" : "fine"));
                  producer.send(
                      new ProducerRecord<>(topics.texts().name(), utf8("id-" + i), value));
                  sent.incrementAndGet();
                  if (i % 10 == 9) {
                    producer.flush();
                    sleep(100);
                  }
                }
                producer.flush();
              });

      // When: ten SIGKILLs at random moments, some while a model update loads
      List<ConsumerRecord<String, ExplainedPrediction>> preds = new ArrayList<>();
      List<ConsumerRecord<byte[], byte[]>> dls = new ArrayList<>();
      int swap = 0;
      for (int k = 0; k < KILLS; k++) {
        Process app = launch(configFile, "run-" + k);
        awaitRunning(app, "run-" + k);
        if (k == KILLS / 2) {
          kafka.close(); // the broker goes away under the running app and comes back
          sleep(1_000);
          kafka = EmbeddedKafka.builder().optPort(port).optDataDir(dataDir).build().start();
          events.add(String.format("%.1f s: broker restarted on %s", secs(t0), dataDir));
        }
        sleep(300 + random.nextInt(2_700));
        String during = "";
        if (k % 3 == 1 && swap < swaps.size()) {
          ModelUpdate u = swaps.get(swap++);
          producer.send(
              new ProducerRecord<>(
                  topics.modelUpdates().name(),
                  utf8("candor"),
                  AvroSerdes.of(ModelUpdate.class)
                      .serializer()
                      .serialize(topics.modelUpdates().name(), u)));
          producer.flush();
          sleep(random.nextInt(400)); // the loader reads and verifies the bundle meanwhile
          during = " while loading " + u.getVersion();
        }
        poll(out, preds, dead, dls);
        app.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
        events.add(
            String.format(
                "%.1f s: kill %d%s (sent %d, committed outputs %d)",
                secs(t0), k + 1, during, sent.get(), preds.size() + dls.size()));
      }
      Process last = launch(configFile, "final");
      awaitRunning(last, "final");
      feeder.get(180, TimeUnit.SECONDS);

      // Then
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while (preds.size() + dls.size() < TEXTS) {
        assertTrue(
            System.nanoTime() < deadline,
            "Expected " + TEXTS + " outputs but received only " + (preds.size() + dls.size()));
        assertTrue(last.isAlive(), "the final run exited: " + log("final"));
        poll(out, preds, dead, dls);
      }
      ItSupport.drain(out, preds, Duration.ofSeconds(3));
      ItSupport.drain(dead, dls, Duration.ofSeconds(1));
      events.add(String.format("%.1f s: all %d outputs committed", secs(t0), TEXTS));
      events.forEach(e -> System.out.println("ChaosIT " + e));

      Map<String, Integer> count = new HashMap<>();
      Set<String> versions = new HashSet<>();
      for (ConsumerRecord<String, ExplainedPrediction> r : preds) {
        count.merge(r.key(), 1, Integer::sum);
        versions.add(r.value().getModelVersion());
      }
      for (ConsumerRecord<byte[], byte[]> r : dls) {
        count.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
        assertEquals("NOT_DECODABLE", DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON));
      }
      int bad = 0;
      for (int i = 0; i < TEXTS; i++) {
        assertEquals(1, count.getOrDefault("id-" + i, 0), "outputs for id-" + i);
        bad += i % BAD_EVERY == 7 ? 1 : 0;
      }
      assertEquals(TEXTS, preds.size() + dls.size(), "exactly one output per input");
      assertEquals(bad, dls.size(), "dead letters are exactly the undecodable inputs");
      System.out.println(
          "ChaosIT: "
              + preds.size()
              + " predictions, "
              + dls.size()
              + " dead letters, versions "
              + versions);
      for (int k = 0; k < KILLS; k++) {
        for (String line : log("run-" + k).split("\n")) {
          if (line.contains("Swapped model") || line.contains("Restored")) {
            System.out.println("ChaosIT run-" + k + ": " + line.substring(line.indexOf(" - ") + 3));
          }
        }
      }
      // The latest announced model is the one running at the end, even when the kill hit its
      // load: a restart replays the compacted model-updates topic.
      String latest = swaps.get(swap - 1).getVersion();
      CandorTopologyTest.await(
          () -> log("final").contains("-> " + latest), "final run on " + latest);
      last.destroy();
      assertTrue(last.waitFor(60, TimeUnit.SECONDS));
    }
  }

  private static void poll(
      KafkaConsumer<String, ExplainedPrediction> out,
      List<ConsumerRecord<String, ExplainedPrediction>> preds,
      KafkaConsumer<byte[], byte[]> dead,
      List<ConsumerRecord<byte[], byte[]>> dls) {
    out.poll(Duration.ofMillis(100)).forEach(preds::add);
    dead.poll(Duration.ofMillis(50)).forEach(dls::add);
  }

  private void awaitRunning(Process p, String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!log(name).contains("running with model")) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(name + " did not reach RUNNING; log:\n" + log(name));
      }
      Thread.sleep(50);
    }
  }

  private String log(String name) {
    Path f = tmp.resolve(name + ".log");
    try {
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Process launch(Path configFile, String name) throws IOException {
    Process p = ItSupport.launchStreamApp(configFile, tmp.resolve(name + ".log"));
    processes.add(p);
    return p;
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
