package dev.candor.dashboard.internals;

import dev.candor.schemas.CandorTopic;
import dev.candor.schemas.avro.Feedback;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes reviewer feedback to {@code candor.feedback}, waiting for the broker's acknowledgement.
 */
public final class FeedbackPublisher implements AutoCloseable {
  private final KafkaProducer<String, Feedback> producer;
  private final String topic;

  /**
   * @param bootstrapServers brokers
   * @param topic the feedback topic and its serdes
   */
  public FeedbackPublisher(String bootstrapServers, CandorTopic<String, Feedback> topic) {
    this.topic = topic.name();
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                5_000,
                ProducerConfig.CLIENT_ID_CONFIG,
                "candor-dashboard-feedback"),
            topic.keySerde().serializer(),
            topic.valueSerde().serializer());
  }

  /**
   * Sends one judgement keyed by text id and waits until the broker has it.
   *
   * @param f the feedback
   * @throws FeedbackException if the broker did not acknowledge it
   */
  public void publish(Feedback f) {
    try {
      producer.send(new ProducerRecord<>(topic, f.getId(), f)).get(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FeedbackException("interrupted while writing feedback", e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw new FeedbackException("feedback not written to " + topic + ": " + e, e);
    }
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }

  /** The feedback topic did not take a record. */
  public static final class FeedbackException extends RuntimeException {
    FeedbackException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
