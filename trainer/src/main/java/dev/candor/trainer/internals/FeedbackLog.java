package dev.candor.trainer.internals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The feedback topic as the trainer's data store: read whole from the beginning (no consumer group,
 * no committed offsets; the registry records what each round read).
 */
public final class FeedbackLog implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;

  public FeedbackLog(String bootstrapServers, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
  }

  /** End offsets (exclusive) per partition now; empty when the topic does not exist yet. */
  public Map<Integer, Long> endOffsets() {
    List<TopicPartition> parts = partitions();
    Map<Integer, Long> out = new HashMap<>();
    if (parts.isEmpty()) {
      return out;
    }
    consumer
        .endOffsets(parts, Duration.ofSeconds(30))
        .forEach((tp, o) -> out.put(tp.partition(), o));
    return out;
  }

  /** Every record before {@code end} (per partition), from the beginning. */
  public List<ConsumerRecord<String, byte[]>> readUpTo(Map<Integer, Long> end) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    List<TopicPartition> parts = new ArrayList<>();
    for (Integer p : end.keySet()) {
      parts.add(new TopicPartition(topic, p));
    }
    if (parts.isEmpty()) {
      return out;
    }
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!done(end)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not read " + topic + " up to " + end + " in 5 min");
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
        if (r.offset() < end.get(r.partition())) {
          out.add(r);
        }
      }
    }
    consumer.unsubscribe();
    return out;
  }

  private boolean done(Map<Integer, Long> end) {
    for (Map.Entry<Integer, Long> e : end.entrySet()) {
      if (consumer.position(new TopicPartition(topic, e.getKey())) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private List<TopicPartition> partitions() {
    List<TopicPartition> out = new ArrayList<>();
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos != null) {
      for (PartitionInfo i : infos) {
        out.add(new TopicPartition(topic, i.partition()));
      }
    }
    return out;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
