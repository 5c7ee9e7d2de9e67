package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.kafka.EmbeddedKafka;
import dev.candor.schemas.TopicKind;
import dev.candor.schemas.Topics;
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
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource bounds of {@link StreamAppMain} as a separate JVM with the tiny model: a sustained run
 * of {@value #SUSTAINED} texts, a burst of {@value #BURST} sent at once, and {@value #STALLED}
 * texts while its output is throttled by a broker quota (a stalled downstream). Heap (from its
 * /metrics) and resident memory (VmRSS of /proc/&lt;pid&gt;/status) are sampled every 500 ms into
 * {@code soak.csv} and plotted in {@code soak.svg} (in {@code $CANDOR_SOAK_DIR}, default {@code
 * target/soak}); they must stay flat.
 */
@Tag("integration")
@Tag("slow")
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class SoakIT {

  private static final int SUSTAINED = 50_000;
  private static final int BURST = 20_000;
  private static final int STALLED = 10_000;
  private static final int RATE_PER_S = 1_000;

  @TempDir Path tmp;

  private Process app;
  private EmbeddedKafka kafka;

  /** One sample. */
  record Sample(double t, String phase, int sent, int outputs, long rssKb, long heapBytes) {}

  @AfterEach
  void stop() throws InterruptedException {
    if (app != null && app.isAlive()) {
      app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void shouldKeepHeapAndResidentMemoryFlat() throws Exception {
    // Given
    kafka = EmbeddedKafka.builder().build().start();
    String bootstrap = kafka.bootstrapServers();
    Path bundle = tmp.resolve("soak-model");
    TestBundles.write(bundle, 77);
    int metricsPort = ItSupport.freePort();
    Properties props = new Properties();
    props.put(StreamAppConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamAppConfig.APPLICATION_ID_CONFIG, "candor-soak");
    props.put(StreamAppConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
    props.put(StreamAppConfig.TOPIC_PREFIX_CONFIG, "soak.");
    props.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundle.toString());
    props.put(StreamAppConfig.DEVICE_CONFIG, "cpu");
    props.put(StreamAppConfig.METRICS_PORT_CONFIG, String.valueOf(metricsPort));
    props.put(StreamAppConfig.METRICS_HOST_CONFIG, "127.0.0.1");
    Path configFile = tmp.resolve("soak.properties");
    try (var w = Files.newBufferedWriter(configFile)) {
      props.store(w, "SoakIT");
    }
    Topics topics = StreamAppConfig.load(configFile, Map.of()).topics();
    for (Map.Entry<TopicKind, String> e : topics.names().entrySet()) {
      boolean multi = e.getKey() == TopicKind.TEXTS || e.getKey() == TopicKind.PREDICTIONS;
      kafka.createTopic(e.getValue(), multi ? 3 : 1, e.getKey().topicConfig());
    }
    app = launch(configFile);
    awaitRunning();

    List<Sample> samples = new ArrayList<>();
    AtomicInteger sent = new AtomicInteger();
    AtomicReference<String> phase = new AtomicReference<>("sustained");
    BitSet seen = new BitSet();
    long t0 = System.nanoTime();
    HttpClient http = HttpClient.newHttpClient();
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap);
        KafkaConsumer<byte[], byte[]> out =
            ItSupport.rawReadCommitted(bootstrap, topics.predictions().name());
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Runnable sample =
          () -> {
            for (ConsumerRecord<byte[], byte[]> r : out.poll(Duration.ofMillis(50))) {
              String id = new String(r.key(), StandardCharsets.UTF_8);
              int i = Integer.parseInt(id.substring(3));
              assertTrue(!seen.get(i), "duplicate prediction " + id);
              seen.set(i);
            }
            samples.add(
                new Sample(
                    (System.nanoTime() - t0) / 1e9,
                    phase.get(),
                    sent.get(),
                    seen.cardinality(),
                    rssKb(app.pid()),
                    heapBytes(http, metricsPort)));
          };

      // When: sustained load at a fixed rate
      long next = System.nanoTime();
      long nextSample = next;
      for (int i = 0; i < SUSTAINED; i++) {
        send(producer, topics, i);
        sent.incrementAndGet();
        next += 1_000_000_000L / RATE_PER_S;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        if (System.nanoTime() >= nextSample) {
          producer.flush();
          sample.run();
          nextSample = System.nanoTime() + 500_000_000L;
        }
      }
      producer.flush();
      drainUntil(sample, seen, SUSTAINED, Duration.ofSeconds(120));

      // a burst, all at once
      phase.set("burst");
      for (int i = SUSTAINED; i < SUSTAINED + BURST; i++) {
        send(producer, topics, i);
        sent.incrementAndGet();
      }
      producer.flush();
      drainUntil(sample, seen, SUSTAINED + BURST, Duration.ofSeconds(120));

      // a stalled downstream: the broker throttles every client but ours to 20 kB/s
      phase.set("stalled");
      setQuota(
          admin,
          new ClientQuotaEntity(
              java.util.Collections.singletonMap(ClientQuotaEntity.CLIENT_ID, null)),
          20_000.0);
      setQuota(
          admin, new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "soak-feeder")), null);
      for (int i = SUSTAINED + BURST; i < SUSTAINED + BURST + STALLED; i++) {
        send(producer, topics, i);
        sent.incrementAndGet();
      }
      producer.flush();
      long stallEnd = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < stallEnd) {
        sample.run();
        Thread.sleep(450);
      }
      int duringStall = seen.cardinality() - SUSTAINED - BURST;
      phase.set("recovered");
      setQuota(
          admin,
          new ClientQuotaEntity(
              java.util.Collections.singletonMap(ClientQuotaEntity.CLIENT_ID, null)),
          null);
      drainUntil(sample, seen, SUSTAINED + BURST + STALLED, Duration.ofSeconds(180));
      sample.run();

      // Then
      Path dir = Path.of(System.getenv().getOrDefault("CANDOR_SOAK_DIR", "target/soak"));
      Files.createDirectories(dir);
      writeCsv(samples, dir.resolve("soak.csv"));
      Files.writeString(dir.resolve("soak.svg"), svg(samples));
      Summary s = Summary.of(samples);
      System.out.printf(
          Locale.ROOT,
          "SoakIT: %d texts, throughput %.0f texts/s sustained; RSS MB sustained first/second half"
              + " max %.0f/%.0f, burst max %.0f, stalled max %.0f; heap MB max sustained"
              + " first/second half %.0f/%.0f, burst %.0f, stalled %.0f; %d explained during the"
              + " 30 s stall; samples in %s%n",
          seen.cardinality(),
          s.sustainedRate,
          s.rssFirst / 1024.0,
          s.rssSecond / 1024.0,
          s.rssBurst / 1024.0,
          s.rssStalled / 1024.0,
          s.heapFirst / 1048576.0,
          s.heapSecond / 1048576.0,
          s.heapBurst / 1048576.0,
          s.heapStalled / 1048576.0,
          duringStall,
          dir.toAbsolutePath());
      assertEquals(SUSTAINED + BURST + STALLED, seen.cardinality(), "every text explained once");
      assertTrue(
          s.rssSecond <= s.rssFirst + 64 * 1024,
          "resident memory grew in the sustained run: "
              + s.rssFirst
              + " -> "
              + s.rssSecond
              + " kB");
      // Resident memory outside the Java heap: a burst legitimately grows the heap (bounded by
      // -Xmx512m, checked on its own below), so comparing whole RSS would fail whenever the
      // sustained phase happens to use little heap; what must not grow is native memory
      // (PyTorch tensors, RocksDB, buffers).
      long nativeSecond = s.rssSecond - s.heapSecond / 1024;
      assertTrue(
          s.rssBurst - s.heapBurst / 1024 <= nativeSecond + 128 * 1024
              && s.rssStalled - s.heapStalled / 1024 <= nativeSecond + 128 * 1024,
          "burst/stall grew resident memory outside the heap: " + s);
      assertTrue(s.heapSecond <= s.heapFirst * 1.5 + 32 * 1048576, "heap grew: " + s);
      assertTrue(duringStall < STALLED, "the quota really stalled the output");
    }
  }

  private void drainUntil(Runnable sample, BitSet seen, int n, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (seen.cardinality() < n) {
      assertTrue(
          System.nanoTime() < deadline,
          "Expected " + n + " but received only " + seen.cardinality());
      assertTrue(app.isAlive(), "the stream app exited");
      sample.run();
      Thread.sleep(450);
    }
  }

  private static void setQuota(Admin admin, ClientQuotaEntity entity, Double producerBytesPerS)
      throws Exception {
    admin
        .alterClientQuotas(
            List.of(
                new ClientQuotaAlteration(
                    entity,
                    List.of(
                        new ClientQuotaAlteration.Op("producer_byte_rate", producerBytesPerS)))))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  /** Max RSS and heap per phase (the sustained run split in halves, its first 10 % skipped). */
  record Summary(
      double sustainedRate,
      long rssFirst,
      long rssSecond,
      long rssBurst,
      long rssStalled,
      long heapFirst,
      long heapSecond,
      long heapBurst,
      long heapStalled) {
    static Summary of(List<Sample> samples) {
      List<Sample> sus = samples.stream().filter(x -> x.phase().equals("sustained")).toList();
      double end = sus.get(sus.size() - 1).t();
      double start = sus.get(0).t();
      double warm = start + (end - start) * 0.1;
      double mid = start + (end - start) * 0.55;
      List<Sample> first = sus.stream().filter(x -> x.t() >= warm && x.t() < mid).toList();
      List<Sample> second = sus.stream().filter(x -> x.t() >= mid).toList();
      List<Sample> burst = samples.stream().filter(x -> x.phase().equals("burst")).toList();
      List<Sample> stalled = samples.stream().filter(x -> x.phase().equals("stalled")).toList();
      Sample a = sus.get(0);
      Sample b = sus.get(sus.size() - 1);
      return new Summary(
          (b.outputs() - a.outputs()) / Math.max(1e-9, b.t() - a.t()),
          max(first, true),
          max(second, true),
          max(burst, true),
          max(stalled, true),
          max(first, false),
          max(second, false),
          max(burst, false),
          max(stalled, false));
    }

    private static long max(List<Sample> s, boolean rss) {
      return s.stream().mapToLong(x -> rss ? x.rssKb() : x.heapBytes()).max().orElse(0);
    }
  }

  static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D+", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** Sum of jvm_memory_used_bytes{area="heap"} from the app's /metrics. */
  static long heapBytes(HttpClient http, int port) {
    try {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      double sum = 0;
      for (String line : body.split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return (long) sum;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void writeCsv(List<Sample> samples, Path file) throws IOException {
    StringBuilder b = new StringBuilder("t_s,phase,sent,explained,rss_kb,heap_bytes\n");
    for (Sample s : samples) {
      b.append(
          String.format(
              Locale.ROOT,
              "%.2f,%s,%d,%d,%d,%d%n",
              s.t(),
              s.phase(),
              s.sent(),
              s.outputs(),
              s.rssKb(),
              s.heapBytes()));
    }
    Files.writeString(file, b.toString());
  }

  /** RSS and heap (MB) over time, phases shaded; plain SVG, no dependency. */
  static String svg(List<Sample> samples) {
    int w = 900;
    int h = 360;
    int left = 60;
    int right = 20;
    int top = 30;
    int bottom = 40;
    double tMax = samples.get(samples.size() - 1).t();
    double yMax = 0;
    for (Sample s : samples) {
      yMax = Math.max(yMax, Math.max(s.rssKb() / 1024.0, s.heapBytes() / 1048576.0));
    }
    yMax = Math.ceil(yMax / 100) * 100;
    double fx = (w - left - right) / tMax;
    double fy = (h - top - bottom) / yMax;
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n",
            w,
            h));
    b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    String[] colors = {"#eef5ff", "#fff3e0", "#fde8e8", "#eefbee"};
    String current = null;
    double phaseStart = 0;
    int c = 0;
    for (int i = 0; i <= samples.size(); i++) {
      String p = i < samples.size() ? samples.get(i).phase() : null;
      if (current != null && !current.equals(p)) {
        double t1 = i < samples.size() ? samples.get(i).t() : tMax;
        b.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/><text"
                    + " x=\"%.1f\" y=\"%d\">%s</text>%n",
                left + phaseStart * fx,
                top,
                (t1 - phaseStart) * fx,
                h - top - bottom,
                colors[c++ % colors.length],
                left + phaseStart * fx + 4,
                top + 14,
                current));
        phaseStart = t1;
      }
      if (current == null || !current.equals(p)) {
        current = p;
      }
    }
    for (int y = 0; y <= yMax; y += (int) Math.max(100, yMax / 5)) {
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ccc\"/><text x=\"5\""
                  + " y=\"%.1f\">%d MB</text>%n",
              left,
              w - right,
              h - bottom - y * fy,
              h - bottom - y * fy,
              h - bottom - y * fy + 4,
              y));
    }
    b.append(polyline(samples, true, left, h - bottom, fx, fy, "#c0392b"));
    b.append(polyline(samples, false, left, h - bottom, fx, fy, "#2471a3"));
    b.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"18\">Stream app (separate JVM, tiny model): resident memory (red)"
                + " and heap used (blue), MB</text>%n<text x=\"%d\" y=\"%d\">time (s), 0 to"
                + " %.0f</text>%n</svg>%n",
            left,
            left,
            h - 10,
            tMax));
    return b.toString();
  }

  private static String polyline(
      List<Sample> samples, boolean rss, int x0, int y0, double fx, double fy, String color) {
    StringBuilder p = new StringBuilder();
    for (Sample s : samples) {
      double mb = rss ? s.rssKb() / 1024.0 : s.heapBytes() / 1048576.0;
      if (mb >= 0) {
        p.append(String.format(Locale.ROOT, "%.1f,%.1f ", x0 + s.t() * fx, y0 - mb * fy));
      }
    }
    return "<polyline fill=\"none\" stroke=\""
        + color
        + "\" stroke-width=\"1.5\" points=\""
        + p.toString().trim()
        + "\"/>\n";
  }

  private void awaitRunning() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    Path log = tmp.resolve("soak-app.log");
    while (!Files.readString(log).contains("running with model")) {
      if (!app.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the app did not start:\n" + Files.readString(log));
      }
      Thread.sleep(50);
    }
  }

  private Process launch(Path configFile) throws IOException {
    return ItSupport.launchStreamApp(configFile, tmp.resolve("soak-app.log"));
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.CLIENT_ID_CONFIG,
            "soak-feeder",
            ProducerConfig.LINGER_MS_CONFIG,
            5),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, Topics topics, int i) {
    producer.send(
        new ProducerRecord<>(
            topics.texts().name(),
            ("id-" + i).getBytes(StandardCharsets.UTF_8),
            ("soak text number " + i + (i % 5 == 0 ? " is really awful" : " is fine"))
                .getBytes(StandardCharsets.UTF_8)));
  }
}
