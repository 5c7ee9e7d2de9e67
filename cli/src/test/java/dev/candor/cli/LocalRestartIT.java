package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.FeedbackAction;
import dev.candor.trainer.ModelRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** candor local keeps predictions, feedback and the production model version across restarts. */
@Tag("integration")
class LocalRestartIT {
  @TempDir Path tmp;

  private record Running(ExecutorService exec, Future<Integer> done, String servers) {}

  private Running start(Path bundle, Path home) throws Exception {
    StringWriter out = new StringWriter();
    ExecutorService exec = Executors.newSingleThreadExecutor();
    Future<Integer> done =
        exec.submit(
            () -> {
              var cl = CandorCommand.commandLine();
              cl.setOut(new PrintWriter(out, true));
              cl.setErr(new PrintWriter(new StringWriter(), true));
              return cl.execute(
                  "local",
                  "--port",
                  "0",
                  "--model",
                  bundle.toString(),
                  "--metrics-port",
                  "0",
                  "--device",
                  "cpu",
                  "--duration",
                  "240",
                  "--home",
                  home.toString());
            });
    Pattern bootstrap = Pattern.compile("bootstrap servers: (\\S+)");
    long until = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < until && !done.isDone()) {
      Matcher m = bootstrap.matcher(out.toString());
      if (m.find()) {
        return new Running(exec, done, m.group(1));
      }
      Thread.sleep(200);
    }
    throw new AssertionError("candor local did not come up:\n" + out);
  }

  private static void stop(Running r) throws Exception {
    r.exec().shutdownNow();
    assertTrue(r.exec().awaitTermination(90, TimeUnit.SECONDS), "candor local did not stop");
    assertEquals(0, r.done().get());
  }

  /** Records (not transaction markers) on a one-partition topic, read committed. */
  private static long count(String servers, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
      long n = 0;
      while (c.position(tp) < end) {
        n += c.poll(Duration.ofMillis(200)).count();
      }
      return n;
    }
  }

  @Test
  @Timeout(600)
  void shouldKeepPredictionsFeedbackAndTheModelVersionAcrossARestart() throws Exception {
    Path bundle = TinyBundle.write(tmp.resolve("tiny"), 7);
    Path home = tmp.resolve("home");
    Topics topics = Topics.defaults();

    Running first = start(bundle, home);
    CliTest.Run produced =
        CliTest.run("produce", "-b", first.servers(), "hello there", "you idiot");
    assertEquals(0, produced.code(), produced.err());
    CliTest.Run consumed =
        CliTest.run(
            "consume",
            "-b",
            first.servers(),
            "--from-beginning",
            "--max",
            "2",
            "--timeout",
            "90",
            "--json");
    assertEquals(2, consumed.out().lines().count(), consumed.out() + consumed.err());
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, first.servers());
    try (KafkaProducer<String, Feedback> producer =
        new KafkaProducer<>(
            p, new StringSerializer(), AvroSerdes.of(Feedback.class).serializer())) {
      String id = produced.out().lines().findFirst().orElseThrow();
      producer
          .send(
              new ProducerRecord<>(
                  topics.feedback().name(),
                  id,
                  Feedback.newBuilder()
                      .setId(id)
                      .setReviewer("ann")
                      .setCreatedAtMs(1L)
                      .setAction(FeedbackAction.RELABEL)
                      .setLabel("toxic")
                      .setText("hello there")
                      .build()))
          .get();
    }
    ModelRegistry registry = ModelRegistry.open(home.resolve("registry"));
    long until = System.currentTimeMillis() + 180_000;
    while (registry.current().isEmpty() && System.currentTimeMillis() < until) {
      Thread.sleep(200);
    }
    Path log = home.resolve("trainer.log");
    if (registry.current().isEmpty()) {
      throw new AssertionError(
          "the trainer did not bootstrap the registry; its log:\n"
              + (java.nio.file.Files.exists(log) ? java.nio.file.Files.readString(log) : "(none)"));
    }
    String version = registry.current().orElseThrow();
    stop(first);

    Running second = start(bundle, home);
    assertEquals(2, count(second.servers(), topics.predictions().name()));
    assertEquals(1, count(second.servers(), topics.feedback().name()));
    assertEquals(version, ModelRegistry.open(home.resolve("registry")).current().orElseThrow());
    CliTest.Run more = CliTest.run("produce", "-b", second.servers(), "after the restart");
    assertEquals(0, more.code(), more.err());
    CliTest.Run all =
        CliTest.run(
            "consume",
            "-b",
            second.servers(),
            "--from-beginning",
            "--max",
            "3",
            "--timeout",
            "90",
            "--json");
    assertEquals(3, all.out().lines().count(), all.out() + all.err());
    // the restarted stream serves the registry's production version
    assertTrue(all.out().contains("\"modelVersion\": \"" + version + "@"), all.out());
    stop(second);
  }
}
