package dev.candor.stream;

import dev.candor.kafka.ChildJvm;
import dev.candor.kafka.EmbeddedKafka;
import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.TopicKind;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Shared plumbing of the real-broker tests: topics, clients and waits that fail with counts. */
final class ItSupport {

  private ItSupport() {}

  /** Creates the six topics; texts and predictions get 3 partitions so several tasks run. */
  static void createTopics(EmbeddedKafka kafka, Topics topics) {
    for (Map.Entry<TopicKind, String> e : topics.names().entrySet()) {
      boolean multi = e.getKey() == TopicKind.TEXTS || e.getKey() == TopicKind.PREDICTIONS;
      kafka.createTopic(e.getValue(), multi ? 3 : 1, e.getKey().topicConfig());
    }
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** A consumer that sees only committed transactions, from the beginning of {@code topic}. */
  static <V> KafkaConsumer<String, V> readCommitted(
      String bootstrap, String topic, Deserializer<V> values) {
    return readCommitted(bootstrap, topic, new StringDeserializer(), values);
  }

  static KafkaConsumer<String, ExplainedPrediction> predictions(String bootstrap, Topics topics) {
    return readCommitted(
        bootstrap,
        topics.predictions().name(),
        AvroSerdes.of(ExplainedPrediction.class).deserializer());
  }

  static KafkaConsumer<byte[], byte[]> rawReadCommitted(String bootstrap, String topic) {
    return readCommitted(
        bootstrap, topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static <K, V> KafkaConsumer<K, V> readCommitted(
      String bootstrap, String topic, Deserializer<K> keys, Deserializer<V> values) {
    KafkaConsumer<K, V> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "it-reader-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            keys,
            values);
    c.subscribe(List.of(topic));
    return c;
  }

  /**
   * Polls into {@code sink} until it holds at least {@code n} records.
   *
   * @throws AssertionError "Expected n but received only m records before timeout"
   */
  static <K, V> void pollUntil(
      KafkaConsumer<K, V> consumer,
      List<ConsumerRecord<K, V>> sink,
      int n,
      Duration timeout,
      String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (sink.size() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Expected "
                + n
                + " "
                + what
                + " but received only "
                + sink.size()
                + " records before timeout ("
                + timeout.toSeconds()
                + " s)");
      }
      consumer.poll(Duration.ofMillis(200)).forEach(sink::add);
    }
  }

  /** Polls for {@code quiet} more, to catch records beyond the expected count (duplicates). */
  static <K, V> void drain(
      KafkaConsumer<K, V> consumer, List<ConsumerRecord<K, V>> sink, Duration quiet) {
    long deadline = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(sink::add);
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> List<T> values(List<? extends ConsumerRecord<?, T>> records) {
    List<T> out = new ArrayList<>(records.size());
    records.forEach(r -> out.add(r.value()));
    return out;
  }

  /**
   * Starts {@link StreamAppMain} in a child JVM (so that tests can SIGKILL it) on the test class
   * path, with the offline DJL settings, writing its output to {@code log}.
   */
  static Process launchStreamApp(Path configFile, Path log) throws IOException {
    return ChildJvm.start(
            StreamAppMain.class.getName(), List.of("-Xmx512m"), List.of(configFile.toString()), log)
        .process();
  }
}
