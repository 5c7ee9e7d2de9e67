package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.kafka.EmbeddedKafka;
import dev.candor.kafka.EmbeddedKafkaExtension;
import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.ModelUpdate;
import dev.candor.stream.flags.SpecialTokenMassRule;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.Set;
import java.util.TreeSet;
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
 * A real Prometheus server scrapes a running stream app (embedded broker, tiny model) with the
 * repository's alert rules loaded: Candor's metrics are found through the query API, every alert
 * rule evaluates without error, and every Grafana panel's query runs and names only metrics that
 * scrape really holds.
 */
@Tag("integration")
@Tag("slow")
@ExtendWith(EmbeddedKafkaExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MonitoringIT {

  private static final int TEXTS = 200;
  private static final ObjectMapper JSON = new ObjectMapper();
  // The selector the alert rule and the lag panel use: main consumers, not restore consumers.
  private static final String LAG = "{client_id=~\".*StreamThread-[0-9]+-consumer\"}";

  @TempDir Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();
  private Process prometheus;

  @AfterEach
  void stopPrometheus() throws InterruptedException {
    if (prometheus != null && prometheus.isAlive()) {
      prometheus.destroy();
      if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void shouldExposeEveryMetricTheDashboardAndAlertsUse(EmbeddedKafka kafka) throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/prometheus")),
        "the prometheus binary is not installed (scripts/ci-prometheus.sh installs it)");
    // Given: an app whose every prediction is flagged, a dead letter, and a model swap
    Path bundleA = tmp.resolve("mon-a");
    TestBundles.write(bundleA, 31);
    Path bundleB = tmp.resolve("mon-b");
    String shaB = TestBundles.write(bundleB, 32);
    int metricsPort = ItSupport.freePort();
    Map<String, Object> p = new HashMap<>();
    p.put(StreamAppConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(StreamAppConfig.APPLICATION_ID_CONFIG, "candor-mon");
    p.put(StreamAppConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
    p.put(StreamAppConfig.TOPIC_PREFIX_CONFIG, "mon.");
    p.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundleA.toString());
    p.put(StreamAppConfig.DEVICE_CONFIG, "cpu");
    p.put(StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG, 100);
    p.put(StreamAppConfig.MAX_TEXT_CHARS_CONFIG, 200);
    p.put(SpecialTokenMassRule.THRESHOLD_CONFIG, 0.0);
    p.put(StreamAppConfig.METRICS_PORT_CONFIG, metricsPort);
    p.put(StreamAppConfig.METRICS_HOST_CONFIG, "127.0.0.1");
    StreamAppConfig config = new StreamAppConfig(p);
    Topics topics = config.topics();
    ItSupport.createTopics(kafka, topics);
    String bootstrap = kafka.bootstrapServers();

    try (StreamApp app = StreamApp.create(config).start();
        KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap);
        KafkaConsumer<String, ExplainedPrediction> out = ItSupport.predictions(bootstrap, topics)) {
      List<ConsumerRecord<String, ExplainedPrediction>> got = new ArrayList<>();
      for (int i = 0; i < TEXTS; i++) {
        producer.send(
            new ProducerRecord<>(
                topics.texts().name(), utf8("id-" + i), utf8("monitored text number " + i)));
      }
      producer.send(
          new ProducerRecord<>(topics.texts().name(), utf8("bad"), utf8("x".repeat(201))));
      producer.send(
          new ProducerRecord<>(
              topics.modelUpdates().name(),
              utf8("candor"),
              AvroSerdes.of(ModelUpdate.class)
                  .serializer()
                  .serialize(
                      topics.modelUpdates().name(),
                      CandorTopologyTest.update("v2", bundleB, shaB))));
      producer.flush();
      ItSupport.pollUntil(out, got, TEXTS, Duration.ofSeconds(90), "predictions");
      CandorTopologyTest.await(() -> "v2".equals(app.model().version()), "model v2");

      // When: Prometheus scrapes it every second with the repository's rules loaded
      int promPort = ItSupport.freePort();
      Path promConfig = tmp.resolve("prometheus.yml");
      Files.writeString(
          promConfig,
          """
          global:
            scrape_interval: 1s
            evaluation_interval: 1s
          rule_files:
            - %s
          scrape_configs:
            - job_name: candor-stream
              static_configs:
                - targets: ['127.0.0.1:%d']
          """
              .formatted(
                  RepoFiles.monitoring("prometheus/rules").resolve("*.rules.yml"), metricsPort));
      prometheus =
          new ProcessBuilder(
                  "/usr/bin/prometheus",
                  "--config.file=" + promConfig,
                  "--storage.tsdb.path=" + tmp.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + promPort)
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("prometheus.log").toFile())
              .start();
      String api = "http://127.0.0.1:" + promPort + "/api/v1/";
      JsonNode in = awaitResult(api, "candor_records_in_total", Duration.ofSeconds(60));

      // Then: the app's own counters arrive with its values
      double recordsIn = in.get(0).get("value").get(1).asDouble();
      assertEquals(TEXTS + 1, recordsIn, 0.0, "candor_records_in_total as Prometheus sees it");
      Set<String> names = new TreeSet<>();
      get(api + "label/__name__/values").get("data").forEach(n -> names.add(n.asText()));
      Files.writeString(
          Path.of("target", "monitoring-metric-names.txt"), String.join("\n", names) + "\n");
      for (String expected :
          List.of(
              "candor_buffered_texts",
              "candor_flags_total",
              "candor_dead_letters_total",
              "candor_model_info",
              "candor_model_swaps_total",
              "candor_end_to_end_latency_seconds_bucket",
              "kafka_consumer_fetch_manager_records_lag_max")) {
        assertTrue(names.contains(expected), expected + " missing from the scrape: " + names);
      }

      // The lag selector of the alert and the panel matches the main consumers only
      JsonNode lag =
          get(api + "query?query=" + enc("kafka_consumer_fetch_manager_records_lag_max" + LAG))
              .get("data")
              .get("result");
      assertTrue(lag.size() > 0, "no main-consumer lag series: " + lag);
      lag.forEach(
          s ->
              assertFalse(
                  s.get("metric").get("client_id").asText().contains("restore"), s.toString()));
      // Everything predicted, so nothing is left buffered
      JsonNode buffered = awaitResult(api, "candor_buffered_texts", Duration.ofSeconds(10));
      assertEquals(0.0, buffered.get(0).get("value").get(1).asDouble(), "buffered texts");

      // Every Grafana panel query runs and names only scraped metrics
      JsonNode dashboard =
          JSON.readTree(RepoFiles.monitoring("grafana/dashboards/candor-stream.json").toFile());
      List<String> exprs = GrafanaDashboards.expressions(dashboard);
      assertTrue(exprs.size() >= 9, "dashboard queries: " + exprs);
      for (String expr : exprs) {
        Set<String> used = PromQl.metricNames(expr);
        assertFalse(used.isEmpty(), "panel query names no metric: " + expr);
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(names);
        assertTrue(missing.isEmpty(), "panel query " + expr + " uses unexported " + missing);
        JsonNode r = get(api + "query?query=" + enc(GrafanaDashboards.substitute(expr)));
        assertEquals("success", r.get("status").asText(), "query " + expr + ": " + r);
      }

      // Every alert rule was loaded and evaluated without error; stream rules name real metrics
      awaitRulesEvaluated(api, Duration.ofSeconds(30));
      for (JsonNode group : get(api + "rules").get("data").get("groups")) {
        for (JsonNode rule : group.get("rules")) {
          String name = rule.get("name").asText();
          assertEquals("ok", rule.get("health").asText(), name + ": " + rule);
          if (!group.get("name").asText().equals(AlertRules.TRAINER_GROUP)) {
            Set<String> missing = new TreeSet<>(PromQl.metricNames(rule.get("query").asText()));
            missing.removeAll(names);
            assertTrue(missing.isEmpty(), "alert " + name + " uses unexported " + missing);
          }
        }
      }
    } catch (AssertionError e) {
      Path log = tmp.resolve("prometheus.log");
      String tail = Files.exists(log) ? Files.readString(log) : "(not started)";
      throw new AssertionError(
          e.getMessage()
              + "\nprometheus log:\n"
              + tail.substring(Math.max(0, tail.length() - 3000)),
          e);
    }
  }

  private JsonNode awaitResult(String api, String query, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = get(api + "query?query=" + enc(query));
        JsonNode result = last.get("data").get("result");
        if (result.size() > 0) {
          return result;
        }
      } catch (IOException e) {
        last = null; // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("Prometheus returned nothing for " + query + ": " + last);
  }

  private void awaitRulesEvaluated(String api, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int pending = 0;
      int total = 0;
      for (JsonNode group : get(api + "rules").get("data").get("groups")) {
        for (JsonNode rule : group.get("rules")) {
          total++;
          if (rule.get("lastEvaluation").asText().startsWith("0001-")) {
            pending++;
          }
        }
      }
      if (total == AlertRules.load().size() && pending == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            total
                + " rules loaded ("
                + AlertRules.load().size()
                + " in files), "
                + pending
                + " unevaluated");
      }
      Thread.sleep(500);
    }
  }

  private JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
