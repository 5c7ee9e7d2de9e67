package dev.candor.stream.internals;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stream's meters, created once per topology. Micrometer meters are thread-safe and registering
 * the same name and tags twice returns the same meter, so several stream threads and a rebuilt
 * topology share them.
 */
public final class StreamMetrics {

  private final MeterRegistry registry;
  private final Counter recordsIn;
  private final Counter predictionsOut;
  private final Counter flaggedOut;
  private final DistributionSummary batchSize;
  private final Timer explainLatency;
  private final Timer endToEnd;
  private final DistributionSummary residual;
  private final AtomicLong buffered;

  /**
   * Registers the meters.
   *
   * @param registry where they go
   */
  public StreamMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry cannot be null");
    this.recordsIn =
        Counter.builder("candor.records.in")
            .description("Records read from the texts topic")
            .register(registry);
    this.predictionsOut = out("predictions");
    this.flaggedOut = out("flags");
    this.batchSize =
        DistributionSummary.builder("candor.batch.size")
            .description("Texts per explained batch")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
            .register(registry);
    this.explainLatency =
        Timer.builder("candor.explain.latency")
            .description("Wall time to explain one batch")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
    this.endToEnd =
        Timer.builder("candor.end.to.end.latency")
            .description("From the text's submittedAtMs to its prediction being produced")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry);
    this.residual =
        DistributionSummary.builder("candor.completeness.residual")
            .description("|explained logit - sum of attributions| per prediction")
            .register(registry);
    this.buffered = BUFFERED.computeIfAbsent(registry, StreamMetrics::bufferedGauge);
  }

  // One count per registry: a gauge registered twice keeps its first object, so every
  // StreamMetrics on the same registry (topology, exception handler, rebuilt topology) shares it.
  private static final Map<MeterRegistry, AtomicLong> BUFFERED =
      Collections.synchronizedMap(new WeakHashMap<>());

  private static AtomicLong bufferedGauge(MeterRegistry registry) {
    AtomicLong count = new AtomicLong();
    Gauge.builder("candor.buffered.texts", count, AtomicLong::get)
        .description("Texts accepted and waiting in this instance's micro-batch buffers")
        .strongReference(true)
        .register(registry);
    return count;
  }

  private Counter out(String topic) {
    return Counter.builder("candor.records.out")
        .description("Records written, by topic role")
        .tag("topic", topic)
        .register(registry);
  }

  public void recordIn() {
    recordsIn.increment();
  }

  public void deadLetter(String reason) {
    Counter.builder("candor.dead.letters")
        .description("Records sent to the dead-letter topic")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public void prediction() {
    predictionsOut.increment();
  }

  public void flagged(Iterable<String> flagTypes) {
    flaggedOut.increment();
    for (String type : flagTypes) {
      Counter.builder("candor.flags")
          .description("Spurious-attribution flags raised, by type")
          .tag("type", type)
          .register(registry)
          .increment();
    }
  }

  /**
   * Counts feedback records read into the reviewer-marks store.
   *
   * @param outcome applied (marked words), unresolved (spans but no matching text), invalid (a span
   *     outside the text)
   */
  public void feedbackMarks(String outcome) {
    Counter.builder("candor.feedback.marks")
        .description("Feedback records read for the reviewer-rejected detector, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  public void batch(int size, long explainNanos) {
    batchSize.record(size);
    explainLatency.record(explainNanos, TimeUnit.NANOSECONDS);
  }

  public void endToEnd(long millis) {
    endToEnd.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  public void residual(double r) {
    residual.record(Math.abs(r));
  }

  /**
   * Adjusts the buffered-texts gauge: + on buffering or restoring, - on flushing or closing a task.
   *
   * @param delta the change
   */
  public void buffered(long delta) {
    buffered.addAndGet(delta);
  }

  /** Counts a model failure that stopped the stream (see FatalModelException). */
  public void fatalModelFailure() {
    Counter.builder("candor.model.failures.fatal")
        .description("Model failures that stopped the stream instead of dead-lettering texts")
        .register(registry)
        .increment();
  }

  public MeterRegistry registry() {
    return registry;
  }
}
