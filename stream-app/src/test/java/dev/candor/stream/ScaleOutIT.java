package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.candor.kafka.EmbeddedKafka;
import dev.candor.kafka.EmbeddedKafkaExtension;
import dev.candor.schemas.TopicKind;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Kafka Streams as the distributed engine: two {@link StreamAppMain} JVMs in one consumer group on
 * a 4-partition texts topic share the work; one is killed (SIGKILL) mid-run and the survivor takes
 * over its partitions; every text still gets exactly one committed prediction. A second test (only
 * with {@code -Dcandor.scaleout.measure=true}) times one against two instances on a backlog.
 *
 * <p>The model is the tiny random test bundle unless {@code -Dcandor.scaleout.bundle=<dir>} names a
 * real one (for measuring by hand).
 */
@Tag("integration")
@Tag("slow")
@ExtendWith(EmbeddedKafkaExtension.class)
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class ScaleOutIT {

  private static final int PARTITIONS = 4;
  private static final int TEXTS = 2_000;
  private static final int PER_TICK = 20;
  private static final long TICK_MS = 20;
  // Static membership: a killed member's partitions move after the session timeout.
  private static final int SESSION_TIMEOUT_MS = 10_000;
  private static final Pattern PREDICTIONS_OUT =
      Pattern.compile("candor_records_out_total\\{[^}]*topic=\"predictions\"[^}]*} ([0-9.E]+)");

  @TempDir Path tmp;

  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void shouldShareTheWorkAndSurviveTheLossOfAnInstance(EmbeddedKafka kafka) throws Exception {
    // Given: two instances of one application on a 4-partition texts topic
    Path bundle = bundle("scale-model");
    Topics topics = topics(kafka, "scale.");
    int portA = ItSupport.freePort();
    int portB = ItSupport.freePort();
    Process a = launch(config(kafka, bundle, "scale.", "a", portA), "a");
    Process b = launch(config(kafka, bundle, "scale.", "b", portB), "b");
    awaitLog("a", "running with model", a);
    awaitLog("b", "running with model", b);
    String bootstrap = kafka.bootstrapServers();

    try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap);
        KafkaConsumer<String, ExplainedPrediction> out = ItSupport.predictions(bootstrap, topics)) {
      List<ConsumerRecord<String, ExplainedPrediction>> got = new ArrayList<>();
      // When: texts arrive steadily; B is killed once both have predicted and a third is out
      int sent = 0;
      int atKill = -1;
      double aBefore = 0;
      double bBefore = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
      while (sent < TEXTS || atKill < 0) {
        assertTrue(System.nanoTime() < deadline, "stuck: sent " + sent + ", got " + got.size());
        for (int i = 0; i < PER_TICK && sent < TEXTS; i++, sent++) {
          send(producer, topics, sent);
        }
        producer.flush();
        out.poll(Duration.ofMillis(TICK_MS)).forEach(got::add);
        if (atKill < 0 && got.size() >= TEXTS / 3) {
          aBefore = predictionsOut(portA);
          bBefore = predictionsOut(portB);
          if (aBefore > 0 && bBefore > 0) {
            b.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no clean close
            atKill = got.size();
          }
        }
        if (!a.isAlive()) {
          throw new AssertionError("instance a exited: " + Files.readString(tmp.resolve("a.log")));
        }
      }
      long killedAtNanos = System.nanoTime();

      // Then: every text exactly once; the survivor covers every partition after the kill
      ItSupport.pollUntil(out, got, TEXTS, Duration.ofSeconds(180), "predictions");
      long allInNanos = System.nanoTime();
      ItSupport.drain(out, got, Duration.ofSeconds(3));
      Map<String, Integer> count = new HashMap<>();
      for (ConsumerRecord<String, ExplainedPrediction> r : got) {
        count.merge(r.value().getId(), 1, Integer::sum);
      }
      for (int i = 0; i < TEXTS; i++) {
        assertEquals(1, count.getOrDefault("id-" + i, 0), "predictions for id-" + i);
      }
      assertEquals(TEXTS, got.size(), "exactly one prediction per text");
      Map<Integer, Integer> afterKillByPartition = new TreeMap<>();
      for (ConsumerRecord<String, ExplainedPrediction> r : got.subList(atKill, got.size())) {
        afterKillByPartition.merge(r.partition(), 1, Integer::sum);
      }
      assertEquals(
          PARTITIONS,
          afterKillByPartition.size(),
          "predictions committed after the kill, by partition: " + afterKillByPartition);
      double aAfter = predictionsOut(portA);
      assertTrue(aAfter > aBefore, "the survivor kept predicting");
      System.out.printf(
          "ScaleOutIT failover: %d texts, %d predictions (%d distinct ids); before the kill a=%.0f"
              + " b=%.0f; killed b with %d committed; after the kill, by partition %s; survivor"
              + " a=%.0f in total; last prediction %.1f s after the last send%n",
          TEXTS,
          got.size(),
          count.size(),
          aBefore,
          bBefore,
          atKill,
          afterKillByPartition,
          aAfter,
          (allInNanos - killedAtNanos) / 1e9);
      a.destroy();
      assertTrue(a.waitFor(60, TimeUnit.SECONDS), "instance a did not stop on SIGTERM");
    }
  }

  @Test
  void shouldReportThroughputOfOneAndTwoInstances(EmbeddedKafka kafka) throws Exception {
    assumeTrue(
        Boolean.getBoolean("candor.scaleout.measure"),
        "a measurement (about 2 minutes): run with -Dcandor.scaleout.measure=true");
    Path bundle = bundle("bench-model");
    int backlog = Integer.getInteger("candor.scaleout.texts", 3_000);
    Map<Integer, Double> perSecond = new TreeMap<>();
    for (int instances = 1; instances <= 2; instances++) {
      String prefix = "bench" + instances + ".";
      Topics topics = topics(kafka, prefix);
      String bootstrap = kafka.bootstrapServers();
      try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap)) {
        for (int i = 0; i < backlog; i++) {
          send(producer, topics, i);
        }
        producer.flush();
      }
      List<Process> started = new ArrayList<>();
      for (int k = 0; k < instances; k++) {
        String name = prefix + "i" + k;
        started.add(launch(config(kafka, bundle, prefix, "i" + k, 0), name));
      }
      for (int k = 0; k < instances; k++) {
        awaitLog(prefix + "i" + k, "running with model", started.get(k));
      }
      // Timed from the first prediction to the last, so JVM and model start-up are excluded.
      try (KafkaConsumer<String, ExplainedPrediction> out =
          ItSupport.predictions(bootstrap, topics)) {
        List<ConsumerRecord<String, ExplainedPrediction>> got = new ArrayList<>();
        ItSupport.pollUntil(out, got, 1, Duration.ofSeconds(120), "first prediction");
        long t0 = System.nanoTime();
        int first = got.size();
        ItSupport.pollUntil(out, got, backlog, Duration.ofSeconds(300), "predictions");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(backlog, got.size(), "exactly one prediction per text");
        perSecond.put(instances, (backlog - first) / seconds);
      }
      for (Process p : started) {
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "instance did not stop on SIGTERM");
      }
    }
    System.out.printf(
        "ScaleOutIT throughput (%d-text backlog, %d partitions, %d cores, model %s):"
            + " 1 instance %.0f texts/s, 2 instances %.0f texts/s%n",
        backlog,
        PARTITIONS,
        Runtime.getRuntime().availableProcessors(),
        bundle.getFileName(),
        perSecond.get(1),
        perSecond.get(2));
    assertTrue(perSecond.get(1) > 0 && perSecond.get(2) > 0, perSecond.toString());
  }

  private Path bundle(String name) {
    String given = System.getProperty("candor.scaleout.bundle");
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    Path dir = tmp.resolve(name);
    TestBundles.write(dir, 41);
    return dir;
  }

  private static Topics topics(EmbeddedKafka kafka, String prefix) {
    Topics topics = Topics.builder().optPrefix(prefix).build();
    for (TopicKind kind : TopicKind.values()) {
      int n = kind == TopicKind.MODEL_UPDATES ? 1 : PARTITIONS;
      kafka.createTopic(topics.name(kind), n, kind.topicConfig());
    }
    return topics;
  }

  private Path config(EmbeddedKafka kafka, Path bundle, String prefix, String id, int port)
      throws IOException {
    Properties props = new Properties();
    props.put(StreamAppConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamAppConfig.APPLICATION_ID_CONFIG, "candor-" + prefix.replace(".", ""));
    props.put(StreamAppConfig.INSTANCE_ID_CONFIG, id);
    props.put(StreamAppConfig.STATE_DIR_CONFIG, tmp.resolve("state-" + prefix + id).toString());
    props.put(StreamAppConfig.TOPIC_PREFIX_CONFIG, prefix);
    props.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundle.toString());
    props.put(StreamAppConfig.DEVICE_CONFIG, "cpu");
    props.put(StreamAppConfig.MAX_BATCH_SIZE_CONFIG, "16");
    props.put(StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG, "100");
    props.put(StreamAppConfig.METRICS_PORT_CONFIG, String.valueOf(port));
    props.put(StreamAppConfig.METRICS_HOST_CONFIG, "127.0.0.1");
    props.put(StreamAppConfig.STARTUP_TIMEOUT_MS_CONFIG, "120000");
    props.put(
        StreamAppConfig.STREAMS_PREFIX + "session.timeout.ms", String.valueOf(SESSION_TIMEOUT_MS));
    Path file = tmp.resolve(prefix + id + ".properties");
    try (var w = Files.newBufferedWriter(file)) {
      props.store(w, "ScaleOutIT");
    }
    return file;
  }

  private Process launch(Path configFile, String name) throws IOException {
    Process p = ItSupport.launchStreamApp(configFile, tmp.resolve(name + ".log"));
    processes.add(p);
    return p;
  }

  private void awaitLog(String name, String text, Process p) throws Exception {
    Path log = tmp.resolve(name + ".log");
    long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
    while (!Files.exists(log) || !Files.readString(log).contains(text)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            name
                + " did not log '"
                + text
                + "':\n"
                + (Files.exists(log) ? Files.readString(log) : ""));
      }
      Thread.sleep(200);
    }
  }

  private double predictionsOut(int port) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = PREDICTIONS_OUT.matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, Topics topics, int i) {
    producer.send(
        new ProducerRecord<>(
            topics.texts().name(),
            ("id-" + i).getBytes(StandardCharsets.UTF_8),
            ("text " + i + " shared between instances").getBytes(StandardCharsets.UTF_8)));
  }
}
