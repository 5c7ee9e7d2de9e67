package dev.candor.stream.internals;

import dev.candor.model.explain.Explanation;
import dev.candor.schemas.DeadLetterHeaders;
import dev.candor.schemas.DecodeResult;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.SpuriousFlag;
import dev.candor.schemas.avro.TextSubmitted;
import dev.candor.stream.flags.FlagContext;
import dev.candor.stream.serving.FatalModelException;
import dev.candor.stream.serving.ModelHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers accepted texts and explains them as one padded batch when the batch is full (checked on
 * every record) or its oldest text has waited longer than the delay (a {@code WALL_CLOCK_TIME}
 * punctuator, because stream time stalls when no input arrives).
 *
 * <p>The buffer is a persistent key-value store with a changelog, keyed by an arrival sequence
 * number. Under exactly-once the buffer writes, the outputs, the buffer deletes and the input
 * offsets commit in one transaction, so a crash neither loses a buffered text nor emits one twice:
 * after a restart the restored buffer is flushed like any other.
 *
 * <p>When the model fails on a batch, each text is retried alone so that one poisonous text does
 * not take its batch-mates with it; texts that still fail are emitted as {@link
 * BatchOutcome.Failed} with dead-letter headers (reason {@value DeadLetterHeaders#MODEL_ERROR}). A
 * failure that is not about one text (a JVM {@link Error}, a {@link FatalModelException} from the
 * model, every text of a batch failing alone, or a lone failing text whose probe fails too) throws
 * {@link FatalModelException} instead: nothing of the batch is emitted, the processing exception
 * handler fails the stream thread, the transaction (outputs, buffer deletes, input offsets) is
 * aborted, and a restart explains the same texts again.
 */
public final class MicroBatchProcessor implements Processor<byte[], Decoded, String, BatchOutcome> {

  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchProcessor.class);

  /** Explained when a lone text fails, to tell a poisonous text from a broken model. */
  static final String PROBE_TEXT = "The quick brown fox jumps over the lazy dog.";

  private final String storeName;
  private final int maxBatchSize;
  private final long maxDelayMs;
  private final ModelHandle model;
  private final PredictionFactory predictions;
  private final StreamMetrics metrics;
  private final String marksStoreName;

  private ProcessorContext<String, BatchOutcome> context;
  private KeyValueStore<Long, BufferedText> buffer;
  private ReadOnlyKeyValueStore<String, String> marks;
  private long nextSequence;
  // Every buffered sequence is >= head. Flushes seek here instead of iterating from the start,
  // which in RocksDB would walk over every not-yet-compacted delete tombstone.
  private long head;
  private int buffered;
  private long oldestEnqueuedAtMs;

  public MicroBatchProcessor(
      String storeName,
      int maxBatchSize,
      long maxDelayMs,
      ModelHandle model,
      PredictionFactory predictions,
      StreamMetrics metrics) {
    this(storeName, maxBatchSize, maxDelayMs, model, predictions, metrics, null);
  }

  /**
   * Creates the processor.
   *
   * @param storeName the buffer store
   * @param maxBatchSize flush when this many texts are buffered
   * @param maxDelayMs flush when the oldest has waited this long
   * @param model the model
   * @param predictions builds predictions and runs the flag rules
   * @param metrics the stream's meters
   * @param marksStoreName the global reviewer-marks store, or {@code null} for none
   */
  public MicroBatchProcessor(
      String storeName,
      int maxBatchSize,
      long maxDelayMs,
      ModelHandle model,
      PredictionFactory predictions,
      StreamMetrics metrics,
      String marksStoreName) {
    this.marksStoreName = marksStoreName;
    this.storeName = storeName;
    this.maxBatchSize = maxBatchSize;
    this.maxDelayMs = maxDelayMs;
    this.model = model;
    this.predictions = predictions;
    this.metrics = metrics;
  }

  /**
   * The buffer store: persistent, logged, uncached (every put must reach the changelog in the
   * transaction of the record that caused it).
   *
   * @param name store name
   * @return the builder
   */
  public static StoreBuilder<KeyValueStore<Long, BufferedText>> bufferStore(String name) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.Long(), BufferedText.serde())
        .withLoggingEnabled(java.util.Map.of());
  }

  /**
   * A supplier that declares its own store, so the topology does not wire it separately.
   *
   * @return the supplier
   */
  public static ProcessorSupplier<byte[], Decoded, String, BatchOutcome> supplier(
      String storeName,
      int maxBatchSize,
      long maxDelayMs,
      ModelHandle model,
      PredictionFactory predictions,
      StreamMetrics metrics,
      String marksStoreName) {
    return new ProcessorSupplier<>() {
      @Override
      public Processor<byte[], Decoded, String, BatchOutcome> get() {
        return new MicroBatchProcessor(
            storeName, maxBatchSize, maxDelayMs, model, predictions, metrics, marksStoreName);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(bufferStore(storeName));
      }
    };
  }

  /**
   * How often the punctuator looks at the oldest text: a quarter of the delay, so a text waits at
   * most about 1.25 × the delay (plus one poll loop).
   *
   * @param maxDelayMs the configured delay
   * @return the punctuation interval in ms
   */
  static long tickMs(long maxDelayMs) {
    return Math.max(1, maxDelayMs / 4);
  }

  /** {@inheritDoc} */
  @Override
  public void init(ProcessorContext<String, BatchOutcome> context) {
    this.context = context;
    this.buffer = context.getStateStore(storeName);
    // A global store: readable from every task, written only by its own processor.
    this.marks = marksStoreName == null ? null : context.getStateStore(marksStoreName);
    // The store is restored before init, so texts buffered before a crash are counted here.
    nextSequence = 0;
    head = Long.MAX_VALUE;
    buffered = 0;
    oldestEnqueuedAtMs = Long.MAX_VALUE;
    try (KeyValueIterator<Long, BufferedText> it = buffer.all()) {
      while (it.hasNext()) {
        KeyValue<Long, BufferedText> kv = it.next();
        nextSequence = Math.max(nextSequence, kv.key + 1);
        head = Math.min(head, kv.key);
        oldestEnqueuedAtMs = Math.min(oldestEnqueuedAtMs, kv.value.enqueuedAtMs());
        buffered++;
      }
    }
    head = Math.min(head, nextSequence);
    metrics.buffered(buffered);
    if (buffered > 0) {
      LOG.info("Restored {} buffered texts in task {}", buffered, context.taskId());
    }
    context.schedule(
        Duration.ofMillis(tickMs(maxDelayMs)), PunctuationType.WALL_CLOCK_TIME, this::onTick);
  }

  /** {@inheritDoc} */
  @Override
  public void process(Record<byte[], Decoded> record) {
    if (!(record.value().result() instanceof DecodeResult.Accepted accepted)) {
      throw new IllegalArgumentException("only accepted texts may reach the micro-batch");
    }
    TextSubmitted t = accepted.text();
    Decoded d = record.value();
    long now = wallClock(context.currentSystemTimeMs());
    List<Header> headers = new ArrayList<>();
    record.headers().forEach(headers::add);
    buffer.put(
        nextSequence++,
        new BufferedText(
            t.getId(),
            t.getText(),
            t.getSubmittedAtMs(),
            t.getSource(),
            now,
            record.timestamp(),
            d.topic(),
            d.partition(),
            d.offset(),
            record.key(),
            d.originalValue(),
            List.copyOf(headers)));
    buffered++;
    metrics.buffered(1);
    oldestEnqueuedAtMs = Math.min(oldestEnqueuedAtMs, now);
    if (buffered >= maxBatchSize) {
      flush();
    }
  }

  private void onTick(long nowMs) {
    if (buffered > 0 && wallClock(nowMs) - oldestEnqueuedAtMs > maxDelayMs) {
      flush();
    }
  }

  /**
   * The later of the runtime's time and the system clock. Kafka Streams hands processors a
   * wall-clock time cached once per pass of its poll loop, so texts read right after a flush that
   * explained for half a second would carry a time from before it, look half a second old, and be
   * flushed by the next tick as a partial batch: under full load that halved the mean micro-batch
   * (19 of 32 texts) and cost 8 % of the throughput. The runtime's time is never ahead of the
   * system clock, except under a test driver's mock clock, which then wins.
   */
  private static long wallClock(long runtimeMs) {
    return Math.max(runtimeMs, System.currentTimeMillis());
  }

  /** Explains everything buffered, in chunks of at most the batch size, oldest first. */
  void flush() {
    while (true) {
      List<KeyValue<Long, BufferedText>> chunk = new ArrayList<>(maxBatchSize);
      try (KeyValueIterator<Long, BufferedText> it = buffer.range(head, Long.MAX_VALUE)) {
        while (it.hasNext() && chunk.size() < maxBatchSize) {
          chunk.add(it.next());
        }
      }
      if (chunk.isEmpty()) {
        break;
      }
      explainAndEmit(chunk);
      for (KeyValue<Long, BufferedText> kv : chunk) {
        buffer.delete(kv.key);
      }
      head = chunk.get(chunk.size() - 1).key + 1;
    }
    head = nextSequence;
    metrics.buffered(-buffered);
    buffered = 0;
    oldestEnqueuedAtMs = Long.MAX_VALUE;
  }

  private void explainAndEmit(List<KeyValue<Long, BufferedText>> chunk) {
    List<BufferedText> texts = new ArrayList<>(chunk.size());
    for (KeyValue<Long, BufferedText> kv : chunk) {
      texts.add(kv.value);
    }
    long t0 = System.nanoTime();
    ModelHandle.ExplainedBatch batch;
    try {
      batch = model.explain(texts.stream().map(BufferedText::text).toList());
    } catch (FatalModelException e) {
      throw fatal("the model reports itself broken", e);
    } catch (RuntimeException e) {
      LOG.warn(
          "Model failed on a batch of {} texts; retrying them one by one: {}",
          texts.size(),
          e.toString());
      explainOneByOne(texts);
      return;
    } catch (Error e) {
      throw fatal("the model failed with a JVM error on a batch of " + texts.size() + " texts", e);
    }
    metrics.batch(texts.size(), System.nanoTime() - t0);
    emit(texts, batch.explanations(), batch.modelVersion());
  }

  /**
   * Retries each text of a failed batch alone. A text that alone fails is a dead letter, but only
   * once the model is shown to work: some text of the batch succeeded, or (for a batch of one) a
   * fixed probe text succeeds. If every text of a batch of two or more fails, or the probe fails,
   * the model is broken and the stream stops instead (see DESIGN.md, "Processing rules").
   */
  private void explainOneByOne(List<BufferedText> texts) {
    List<Object> outcomes = new ArrayList<>(texts.size()); // ExplainedBatch or RuntimeException
    int succeeded = 0;
    RuntimeException last = null;
    for (BufferedText t : texts) {
      long t0 = System.nanoTime();
      try {
        ModelHandle.ExplainedBatch one = model.explain(List.of(t.text()));
        metrics.batch(1, System.nanoTime() - t0);
        outcomes.add(one);
        succeeded++;
      } catch (FatalModelException e) {
        throw fatal("the model reports itself broken", e);
      } catch (RuntimeException e) {
        outcomes.add(e);
        last = e;
      } catch (Error e) {
        throw fatal("the model failed with a JVM error on a text retried alone", e);
      }
    }
    if (succeeded == 0 && texts.size() > 1) {
      throw fatal("every one of the " + texts.size() + " texts of a batch failed alone", last);
    }
    if (succeeded == 0) {
      probe(last);
    }
    for (int i = 0; i < texts.size(); i++) {
      if (outcomes.get(i) instanceof ModelHandle.ExplainedBatch one) {
        emit(List.of(texts.get(i)), one.explanations(), one.modelVersion());
      } else {
        deadLetter(texts.get(i), (RuntimeException) outcomes.get(i));
      }
    }
  }

  /** Explains {@link #PROBE_TEXT}; if that fails too, the model (not the text) is broken. */
  private void probe(RuntimeException textFailure) {
    try {
      model.explain(List.of(PROBE_TEXT));
    } catch (RuntimeException | Error e) {
      FatalModelException f =
          fatal("the model fails on its probe text too, so it is broken, not the text", e);
      f.addSuppressed(textFailure);
      throw f;
    }
  }

  private FatalModelException fatal(String message, Throwable cause) {
    metrics.fatalModelFailure();
    LOG.error("Stopping the stream: {} ({})", message, String.valueOf(cause));
    return new FatalModelException(message, cause);
  }

  private void deadLetter(BufferedText t, RuntimeException e) {
    LOG.error(
        "Model failed on text {} ({}-{}@{}) alone while it works on others; dead-lettering it",
        t.id(),
        t.topic(),
        t.partition(),
        t.offset(),
        e);
    metrics.deadLetter(DeadLetterHeaders.MODEL_ERROR);
    context.forward(
        new Record<String, BatchOutcome>(
            t.id(),
            new BatchOutcome.Failed(t),
            t.timestamp(),
            DeadLetters.headers(
                t.originalHeaders(),
                DeadLetterHeaders.MODEL_ERROR,
                String.valueOf(e),
                t.topic(),
                t.partition(),
                t.offset())));
  }

  private void emit(List<BufferedText> texts, List<Explanation> explanations, String version) {
    long now = wallClock(context.currentSystemTimeMs());
    FlagContext flagContext =
        FlagContext.of(
            model, version, word -> marks == null ? 0 : ReviewerMarksProcessor.marks(marks, word));
    List<ExplainedPrediction> ps =
        predictions.createAll(texts, explanations, version, now, flagContext);
    for (int i = 0; i < texts.size(); i++) {
      BufferedText t = texts.get(i);
      ExplainedPrediction p = ps.get(i);
      metrics.prediction();
      metrics.residual(explanations.get(i).residual());
      metrics.endToEnd(now - t.submittedAtMs());
      if (!p.getFlags().isEmpty()) {
        metrics.flagged(p.getFlags().stream().map(SpuriousFlag::getType).toList());
      }
      context.forward(
          new Record<String, BatchOutcome>(
              t.id(), new BatchOutcome.Explained(p), t.timestamp(), new RecordHeaders()));
    }
  }

  /**
   * Texts waiting in this processor's buffer.
   *
   * @return the count
   */
  int buffered() {
    return buffered;
  }

  /** {@inheritDoc} */
  @Override
  public void close() {
    // The store belongs to Kafka Streams, and buffered texts stay in it (and in its changelog)
    // for whichever instance owns the task next; only this instance's gauge forgets them.
    metrics.buffered(-buffered);
    buffered = 0;
  }
}
