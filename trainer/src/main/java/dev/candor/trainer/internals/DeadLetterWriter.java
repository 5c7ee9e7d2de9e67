package dev.candor.trainer.internals;

import dev.candor.schemas.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes rejected feedback to the dead-letter topic with the stream app's header convention. */
public final class DeadLetterWriter implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;

  public DeadLetterWriter(String bootstrapServers, String topic) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  public void send(ConsumerRecord<String, byte[]> original, String reason, String detail)
      throws Exception {
    ProducerRecord<String, byte[]> r =
        new ProducerRecord<>(topic, null, original.key(), original.value());
    for (Header h : original.headers()) {
      r.headers().add(h);
    }
    r.headers()
        .add(DeadLetterHeaders.REASON, utf8(reason))
        .add(DeadLetterHeaders.DETAIL, utf8(detail))
        .add(DeadLetterHeaders.SOURCE_TOPIC, utf8(original.topic()))
        .add(DeadLetterHeaders.SOURCE_PARTITION, utf8(Integer.toString(original.partition())))
        .add(DeadLetterHeaders.SOURCE_OFFSET, utf8(Long.toString(original.offset())));
    producer.send(r).get(30, TimeUnit.SECONDS);
  }

  private static byte[] utf8(String s) {
    return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close();
  }
}
