package dev.candor.trainer;

import dev.candor.model.bundle.ModelBundle;
import dev.candor.schemas.CandorTopic;
import dev.candor.schemas.avro.ModelUpdate;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the registry's production version on the model-updates topic, at most once: before
 * sending it reads the topic's latest record for the model name, and if that already announces the
 * version (a crash after the send but before the registry noted it) it only notes it.
 */
public final class ModelUpdatePublisher {
  private static final Logger LOG = LoggerFactory.getLogger(ModelUpdatePublisher.class);

  private final String bootstrapServers;
  private final CandorTopic<String, ModelUpdate> topic;
  private final String modelName;

  public ModelUpdatePublisher(
      String bootstrapServers, CandorTopic<String, ModelUpdate> topic, String modelName) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.modelName = modelName;
  }

  /**
   * Publishes the registry's current version if it is not yet published.
   *
   * @return the update sent, or null when nothing was sent
   */
  public ModelUpdate publishPending(ModelRegistry registry) throws IOException {
    RegistryState s = registry.state().orElse(null);
    if (s == null || s.published()) {
      return null;
    }
    ModelBundle b = ModelBundle.read(registry.bundleDir(s.current()));
    String latest = latestVersion();
    if (b.version().equals(latest)) {
      LOG.info("{} was already announced on {}; noting it", b.version(), topic.name());
      registry.markPublished(s.current());
      return null;
    }
    Map<String, Double> metrics = new HashMap<>();
    VersionRecord r = registry.record(s.current()).orElseThrow();
    for (Map.Entry<String, Double> e : r.candidate().entrySet()) {
      if (e.getValue() != null && Double.isFinite(e.getValue())) {
        metrics.put(e.getKey(), e.getValue());
      }
    }
    ModelUpdate update =
        ModelUpdate.newBuilder()
            .setModelName(modelName)
            .setVersion(b.version())
            .setUri(b.dir().toAbsolutePath().toString())
            .setSha256(b.manifestSha256())
            .setMetrics(metrics)
            .setCreatedAtMs(System.currentTimeMillis())
            .build();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, ModelUpdate> producer =
        new KafkaProducer<>(p, new StringSerializer(), topic.valueSerde().serializer())) {
      producer
          .send(new ProducerRecord<>(topic.name(), modelName, update))
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("could not publish to " + topic.name() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while publishing", e);
    }
    registry.markPublished(s.current());
    LOG.info("published {} on {}", b.version(), topic.name());
    return update;
  }

  /** Version of the newest update for this model name on the topic, or null. */
  public String latestVersion() {
    List<ModelUpdate> all = updates();
    return all.isEmpty() ? null : all.get(all.size() - 1).getVersion();
  }

  /** Every update for this model name still on the topic, in offset order (one partition). */
  public List<ModelUpdate> updates() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ModelUpdate> out = new ArrayList<>();
    try (KafkaConsumer<String, ModelUpdate> c =
        new KafkaConsumer<>(p, new StringDeserializer(), topic.valueSerde().deserializer())) {
      List<PartitionInfo> infos = c.partitionsFor(topic.name(), Duration.ofSeconds(15));
      if (infos == null || infos.isEmpty()) {
        return out;
      }
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo i : infos) {
        parts.add(new TopicPartition(i.topic(), i.partition()));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(15));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!caughtUp(c, end) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, ModelUpdate> r : c.poll(Duration.ofMillis(200))) {
          if (modelName.equals(r.key()) && r.value() != null) {
            out.add(r.value());
          }
        }
      }
      if (!caughtUp(c, end)) {
        throw new IllegalStateException("could not read " + topic.name() + " to its end in 30 s");
      }
    }
    return out;
  }

  static boolean caughtUp(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
