package dev.candor.dashboard.internals;

import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.ModelUpdate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code candor.flags} (and optionally {@code candor.predictions}) into the {@link
 * ReviewStore}. Values are read as bytes and decoded here, so one undecodable record is logged,
 * counted and skipped instead of stopping the consumer. Offsets are committed only after the
 * records of a poll are in the database (at-least-once; the upsert by text id makes re-delivery
 * harmless). A database failure does not skip records: the consumer is closed and re-created after
 * a back-off, and resumes from the last committed offset.
 */
public final class FlagConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlagConsumer.class);

  private final Map<String, Object> consumerProps;
  private final Topics topics;
  private final boolean predictions;
  private final ReviewStore store;
  private final FlagValidator validator;
  private final MeterRegistry registry;
  private final IntConsumer onNewFlags;
  private final LongSupplier clock;
  private final Deserializer<ExplainedPrediction> decoder;
  private final Thread thread;
  private final CountDownLatch done = new CountDownLatch(1);
  private final CountDownLatch stopping = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  /**
   * Creates the consumer; call {@link #start()}.
   *
   * @param bootstrapServers brokers
   * @param groupId consumer group
   * @param topics topic names and serdes
   * @param predictions also read the predictions topic
   * @param store where items go
   * @param validator what may be stored
   * @param registry counters {@code candor.dashboard.records}
   * @param onNewFlags called with the number of flagged items stored by a poll, after commit
   */
  public FlagConsumer(
      String bootstrapServers,
      String groupId,
      Topics topics,
      boolean predictions,
      ReviewStore store,
      FlagValidator validator,
      MeterRegistry registry,
      IntConsumer onNewFlags) {
    this.consumerProps =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            groupId,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            // The stream app writes flags in transactions: never show aborted ones.
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            500,
            ConsumerConfig.CLIENT_ID_CONFIG,
            groupId + "-flags");
    this.topics = topics;
    this.predictions = predictions;
    this.store = store;
    this.validator = validator;
    this.registry = registry;
    this.onNewFlags = onNewFlags;
    this.clock = System::currentTimeMillis;
    this.decoder = topics.flags().valueSerde().deserializer();
    this.thread = new Thread(this::run, "candor-dashboard-consumer");
    this.thread.setDaemon(true);
  }

  /**
   * Starts the consumer thread.
   *
   * @return this
   */
  public FlagConsumer start() {
    thread.start();
    return this;
  }

  private void run() {
    long backoffMs = 500;
    try {
      while (running) {
        try (KafkaConsumer<byte[], byte[]> c =
            new KafkaConsumer<>(
                consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
          consumer = c;
          // Model updates too: the overview lists each version with the trainer's gate figures.
          List<String> subs =
              predictions
                  ? List.of(
                      topics.flags().name(),
                      topics.predictions().name(),
                      topics.modelUpdates().name())
                  : List.of(topics.flags().name(), topics.modelUpdates().name());
          c.subscribe(subs);
          while (running) {
            ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
            if (records.isEmpty()) {
              continue;
            }
            int newFlags = 0;
            for (ConsumerRecord<byte[], byte[]> r : records) {
              newFlags += handle(r);
            }
            c.commitSync();
            backoffMs = 500;
            if (newFlags > 0) {
              onNewFlags.accept(newFlags);
            }
          }
        } catch (WakeupException e) {
          if (running) {
            LOG.warn("consumer woken up while running; re-creating it");
          }
        } catch (SQLException | RuntimeException e) {
          if (!running) {
            break;
          }
          registry.counter("candor.dashboard.consumer.restarts").increment();
          LOG.error(
              "dashboard consumer failed ({}); resuming from the last committed offset in {} ms",
              e.toString(),
              backoffMs);
          sleep(backoffMs);
          backoffMs = Math.min(backoffMs * 2, 30_000);
        } finally {
          consumer = null;
        }
      }
    } finally {
      done.countDown();
    }
  }

  /** Stores one record; returns 1 if it was a newly stored flagged item. */
  private int handle(ConsumerRecord<byte[], byte[]> r) throws SQLException {
    if (r.topic().equals(topics.modelUpdates().name())) {
      handleModelUpdate(r);
      return 0;
    }
    boolean isFlags = r.topic().equals(topics.flags().name());
    String topic = isFlags ? "flags" : "predictions";
    if (r.value() == null) {
      skip(topic, "tombstone", r);
      return 0;
    }
    ExplainedPrediction p;
    try {
      p = decoder.deserialize(r.topic(), r.value());
    } catch (RuntimeException e) {
      skip(topic, "undecodable", r);
      return 0;
    }
    FlagValidator.Result v = validator.validate(p);
    if (!v.ok()) {
      skip(topic, v.reason(), r);
      return 0;
    }
    if (isFlags) {
      ReviewStore.Upsert u = store.upsert(v.item(), clock.getAsLong());
      counter(topic, "stored", "").increment();
      return u == ReviewStore.Upsert.INSERTED ? 1 : 0;
    }
    store.recordPrediction(
        p.getId(), p.getModelVersion(), p.getLabel(), !p.getFlags().isEmpty(), clock.getAsLong());
    counter(topic, "stored", "").increment();
    return 0;
  }

  /** Stores an announced model version with its gate figures; skips what is not one. */
  private void handleModelUpdate(ConsumerRecord<byte[], byte[]> r) throws SQLException {
    if (r.value() == null) {
      skip("model-updates", "tombstone", r);
      return;
    }
    ModelUpdate u;
    try {
      u = topics.modelUpdates().valueSerde().deserializer().deserialize(r.topic(), r.value());
    } catch (RuntimeException e) {
      skip("model-updates", "undecodable", r);
      return;
    }
    String version = u.getVersion();
    if (version == null
        || version.isBlank()
        || version.length() > 200
        || u.getModelName().length() > 200) {
      skip("model-updates", "bad_version", r);
      return;
    }
    Map<String, Double> metrics = new TreeMap<>();
    u.getMetrics()
        .forEach(
            (k, v) -> {
              if (k.length() <= 100 && v != null && Double.isFinite(v) && metrics.size() < 50) {
                metrics.put(k, v);
              }
            });
    store.recordModelVersion(
        new Model.ModelVersion(version, u.getModelName(), metrics, u.getCreatedAtMs()));
    counter("model-updates", "stored", "").increment();
  }

  private void skip(String topic, String reason, ConsumerRecord<?, ?> r) {
    counter(topic, "skipped", reason).increment();
    // Position only: no text, no key (a text id may be personal data).
    LOG.warn("skipped record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), reason);
  }

  private Counter counter(String topic, String outcome, String reason) {
    return registry.counter(
        "candor.dashboard.records", "topic", topic, "outcome", outcome, "reason", reason);
  }

  private void sleep(long ms) {
    try {
      stopping.await(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    stopping.countDown();
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      if (!done.await(15, TimeUnit.SECONDS)) {
        LOG.warn("dashboard consumer did not stop within 15 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
