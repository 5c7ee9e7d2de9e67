package dev.candor.stream.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.Prediction;
import dev.candor.model.explain.TokenAttribution;
import dev.candor.model.explain.WordAttribution;
import dev.candor.schemas.DeadLetterHeaders;
import dev.candor.schemas.DecodeResult;
import dev.candor.schemas.InputFormat;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.TextSubmitted;
import dev.candor.stream.flags.SpecialTokenMassRule;
import dev.candor.stream.serving.BatchModel;
import dev.candor.stream.serving.FatalModelException;
import dev.candor.stream.serving.ModelHandle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The micro-batch processor alone, on a mock context with the punctuator fired by hand. */
class MicroBatchProcessorTest {

  private static final String STORE = "buffer";
  private static final int BATCH = 3;
  private static final long DELAY_MS = 200;

  // mock times ahead of the system clock: the processor takes the later of the two
  private static final long T0 = dev.candor.stream.TestClocks.MOCK_WALL_CLOCK.toEpochMilli();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MockProcessorContext<String, BatchOutcome> context = new MockProcessorContext<>();
  private final List<List<String>> batches = new ArrayList<>();
  private KeyValueStore<Long, BufferedText> store;
  private ModelHandle model;
  private MicroBatchProcessor processor;
  private long offset;

  @AfterEach
  void close() {
    if (model != null) {
      model.close();
    }
  }

  private void init(Predicate<String> poison) {
    initFaults(t -> poison.test(t) ? new IllegalStateException("cannot explain " + t) : null);
  }

  /** {@code faults} maps a text to what explaining it throws (null: nothing). */
  private void initFaults(Function<String, Throwable> faults) {
    store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(STORE), Serdes.Long(), BufferedText.serde())
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    context.setCurrentSystemTimeMs(T0 + 10_000);
    model =
        new ModelHandle(
            new Recording(faults),
            (d, s, v) -> {
              throw new java.io.IOException("not in this test");
            },
            registry);
    processor =
        new MicroBatchProcessor(
            STORE,
            BATCH,
            DELAY_MS,
            model,
            new PredictionFactory(List.of(new SpecialTokenMassRule(0.5))),
            new StreamMetrics(registry));
  }

  private void process(String id, String text) {
    TextSubmitted t = new TextSubmitted(id, text, T0 + 5_000L, null);
    byte[] value = text.getBytes(StandardCharsets.UTF_8);
    processor.process(
        new Record<>(
            id.getBytes(StandardCharsets.UTF_8),
            new Decoded(
                new DecodeResult.Accepted(t, InputFormat.TEXT), value, "candor.texts", 0, offset++),
            7_000L));
  }

  private CapturedPunctuator punctuator() {
    assertEquals(1, context.scheduledPunctuators().size());
    return context.scheduledPunctuators().get(0);
  }

  private List<String> forwardedIds() {
    List<String> ids = context.forwarded().stream().map(f -> (String) f.record().key()).toList();
    context.resetForwards();
    return ids;
  }

  private long storeSize() {
    return store.approximateNumEntries();
  }

  @Test
  void shouldScheduleAWallClockPunctuatorAtAQuarterOfTheDelay() {
    init(t -> false);
    processor.init(context);
    CapturedPunctuator p = punctuator();
    assertEquals(PunctuationType.WALL_CLOCK_TIME, p.getType());
    assertEquals(Duration.ofMillis(DELAY_MS / 4), p.getInterval());
  }

  @Test
  void shouldExplainAsSoonAsTheBatchIsFull() {
    init(t -> false);
    processor.init(context);
    process("a", "one");
    process("b", "two");
    assertTrue(context.forwarded().isEmpty());
    assertEquals(2, storeSize());

    process("c", "three");

    assertEquals(List.of("a", "b", "c"), forwardedIds());
    assertEquals(List.of(List.of("one", "two", "three")), batches);
    assertEquals(0, storeSize(), "explained texts leave the buffer");
  }

  @Test
  void shouldExplainAPartialBatchOnlyAfterTheOldestWaitedLongerThanTheDelay() {
    init(t -> false);
    processor.init(context);
    process("a", "one");
    context.setCurrentSystemTimeMs(T0 + 10_100);
    process("b", "two");

    punctuator().getPunctuator().punctuate(T0 + 10_000 + DELAY_MS);
    assertTrue(context.forwarded().isEmpty(), "exactly the delay is not longer than the delay");

    punctuator().getPunctuator().punctuate(T0 + 10_000 + DELAY_MS + 1);
    assertEquals(List.of("a", "b"), forwardedIds());
    assertEquals(0, storeSize());

    punctuator().getPunctuator().punctuate(T0 + 20_000);
    assertTrue(context.forwarded().isEmpty(), "an empty buffer emits nothing");
  }

  /**
   * Kafka Streams caches the wall-clock time once per pass of its poll loop; texts read after a
   * flush that explained for a second in that pass carry a time a second old. They must not look a
   * second old to the next tick (which would flush them as a partial batch under full load).
   */
  @Test
  void shouldNotTakeTheRuntimesStaleTimeForATextsArrival() {
    init(t -> false);
    processor.init(context);
    long passStarted = System.currentTimeMillis() - 1_000;
    context.setCurrentSystemTimeMs(passStarted);
    process("a", "one");
    process("b", "two");

    punctuator().getPunctuator().punctuate(System.currentTimeMillis());
    assertTrue(context.forwarded().isEmpty(), "a text read just now has not waited the delay");

    punctuator().getPunctuator().punctuate(System.currentTimeMillis() + DELAY_MS + 1);
    assertEquals(List.of("a", "b"), forwardedIds());
  }

  @Test
  void shouldEmitPredictionsThatNameTheModelAndCarryFlags() {
    init(t -> false);
    processor.init(context);
    process("a", "flag me");
    punctuator().getPunctuator().punctuate(T0 + 10_000 + DELAY_MS + 1);

    Record<? extends String, ? extends BatchOutcome> r = context.forwarded().get(0).record();
    ExplainedPrediction p = assertInstanceOf(BatchOutcome.Explained.class, r.value()).prediction();
    assertEquals("recording-1", p.getModelVersion());
    assertEquals(7_000L, r.timestamp(), "outputs keep the input record's timestamp");
    assertEquals(T0 + 5_000L, p.getSubmittedAtMs());
    assertEquals(10_000 + DELAY_MS + 1 - 5_000L, p.getLatencyMs(), 1_000);
    assertEquals(
        SpecialTokenMassRule.TYPE, p.getFlags().get(0).getType(), "[CLS] carries 0.9 of 1.1");
  }

  @Test
  void shouldFlushTextsRestoredFromTheStoreAndContinueTheirSequence() {
    init(t -> false);
    BufferedText old =
        new BufferedText(
            "old",
            "from before the crash",
            1L,
            null,
            T0 + 9_000L,
            2L,
            "candor.texts",
            0,
            41L,
            null,
            new byte[0],
            List.of());
    store.put(41L, old);
    processor.init(context);
    process("new", "after the restart");
    assertTrue(store.get(42L) != null, "the sequence continues after the restored maximum");

    punctuator().getPunctuator().punctuate(T0 + 9_000 + DELAY_MS + 1);

    assertEquals(List.of("old", "new"), forwardedIds());
    assertEquals(0, storeSize());
  }

  @Test
  void shouldExplainABacklogLargerThanABatchInBatchSizedChunks() {
    init(t -> false);
    for (long seq = 100; seq < 105; seq++) {
      store.put(
          seq,
          new BufferedText(
              "r" + seq,
              "restored " + seq,
              1L,
              null,
              T0 + 9_000L,
              2L,
              "candor.texts",
              0,
              seq,
              null,
              new byte[0],
              List.of()));
    }
    processor.init(context);

    punctuator().getPunctuator().punctuate(T0 + 9_000 + DELAY_MS + 1);

    assertEquals(List.of("r100", "r101", "r102", "r103", "r104"), forwardedIds());
    assertEquals(List.of(3, 2), batches.stream().map(List::size).toList());
    assertEquals(0, storeSize());
    process("next", "after the backlog");
    assertTrue(store.get(105L) != null);
  }

  @Test
  void shouldRetryAFailedBatchTextByTextAndDeadLetterOnlyThePoison() {
    init(t -> t.contains("poison"));
    processor.init(context);
    process("a", "fine");
    process("b", "poison pill");
    process("c", "also fine");

    List<Record<? extends String, ? extends BatchOutcome>> out = new ArrayList<>();
    context.forwarded().forEach(f -> out.add(f.record()));
    assertEquals(List.of("a", "b", "c"), out.stream().map(r -> (String) r.key()).toList());
    assertInstanceOf(BatchOutcome.Explained.class, out.get(0).value());
    BatchOutcome.Failed failed = assertInstanceOf(BatchOutcome.Failed.class, out.get(1).value());
    assertEquals("poison pill", new String(failed.text().originalValue(), StandardCharsets.UTF_8));
    assertEquals(
        DeadLetterHeaders.MODEL_ERROR,
        DeadLetterHeaders.get(out.get(1).headers(), DeadLetterHeaders.REASON));
    assertEquals("1", DeadLetterHeaders.get(out.get(1).headers(), DeadLetterHeaders.SOURCE_OFFSET));
    assertInstanceOf(BatchOutcome.Explained.class, out.get(2).value());
    assertEquals(0, storeSize());
    assertEquals(
        1.0, registry.get("candor.dead.letters").tag("reason", "MODEL_ERROR").counter().count());
  }

  @Test
  void shouldStopOnAJvmErrorWithoutEmittingOrDeadLettering() {
    initFaults(t -> t.contains("oom") ? new OutOfMemoryError("simulated") : null);
    processor.init(context);
    process("a", "fine");
    process("b", "oom now");

    FatalModelException e =
        assertThrows(FatalModelException.class, () -> process("c", "also fine"));

    assertInstanceOf(OutOfMemoryError.class, e.getCause());
    assertTrue(context.forwarded().isEmpty(), "nothing of a failed batch leaves the processor");
    assertEquals(List.of(List.of("fine", "oom now", "also fine")), batches, "no per-text retry");
    assertEquals(3, storeSize(), "the texts stay buffered for the restart");
    assertEquals(1.0, registry.get("candor.model.failures.fatal").counter().count());
    assertNull(registry.find("candor.dead.letters").counter());
  }

  @Test
  void shouldStopWhenEveryTextOfABatchFailsAloneAlike() {
    initFaults(t -> new IllegalStateException("engine state corrupted"));
    processor.init(context);
    process("a", "one");
    process("b", "two");

    FatalModelException e = assertThrows(FatalModelException.class, () -> process("c", "three"));

    assertTrue(e.getMessage().contains("every one of the 3 texts"), e.getMessage());
    assertEquals(4, batches.size(), "the batch, then each text alone");
    assertTrue(context.forwarded().isEmpty());
    assertEquals(3, storeSize());
    assertNull(registry.find("candor.dead.letters").counter());
  }

  @Test
  void shouldStopOnAFatalModelExceptionWithoutRetrying() {
    initFaults(t -> new FatalModelException("engine gone", new RuntimeException("native")));
    processor.init(context);
    process("a", "one");
    process("b", "two");

    assertThrows(FatalModelException.class, () -> process("c", "three"));

    assertEquals(1, batches.size(), "a broken engine is not asked again per text");
    assertTrue(context.forwarded().isEmpty());
  }

  @Test
  void shouldStopWhenALoneTextFailsAndTheProbeFailsToo() {
    initFaults(t -> new IllegalArgumentException("tensor shape mismatch"));
    processor.init(context);
    process("a", "alone");

    FatalModelException e =
        assertThrows(
            FatalModelException.class,
            () -> punctuator().getPunctuator().punctuate(T0 + 10_000 + DELAY_MS + 1));

    assertTrue(e.getMessage().contains("probe"), e.getMessage());
    assertEquals(
        List.of(List.of("alone"), List.of("alone"), List.of(MicroBatchProcessor.PROBE_TEXT)),
        batches);
    assertTrue(context.forwarded().isEmpty());
    assertEquals(1, storeSize());
  }

  @Test
  void shouldDeadLetterALoneFailingTextWhenTheProbeWorks() {
    initFaults(t -> t.contains("poison") ? new IllegalStateException("cannot explain " + t) : null);
    processor.init(context);
    process("a", "poison alone");

    punctuator().getPunctuator().punctuate(T0 + 10_000 + DELAY_MS + 1);

    List<Record<? extends String, ? extends BatchOutcome>> out = new ArrayList<>();
    context.forwarded().forEach(f -> out.add(f.record()));
    assertEquals(1, out.size());
    assertInstanceOf(BatchOutcome.Failed.class, out.get(0).value());
    assertEquals(
        DeadLetterHeaders.MODEL_ERROR,
        DeadLetterHeaders.get(out.get(0).headers(), DeadLetterHeaders.REASON));
    assertEquals(MicroBatchProcessor.PROBE_TEXT, batches.get(batches.size() - 1).get(0));
    assertEquals(0, storeSize());
    assertNull(registry.find("candor.model.failures.fatal").counter());
  }

  /** A weightless model recording every batch it is given; [CLS] gets 0.9, each word 0.1. */
  private final class Recording implements BatchModel {
    private final Function<String, Throwable> faults;

    Recording(Function<String, Throwable> faults) {
      this.faults = faults;
    }

    @Override
    public String version() {
      return "recording-1";
    }

    @Override
    public String manifestSha256() {
      return "";
    }

    @Override
    public List<Explanation> explain(List<String> texts) {
      batches.add(List.copyOf(texts));
      List<Explanation> out = new ArrayList<>();
      for (String text : texts) {
        Throwable fault = faults.apply(text);
        if (fault instanceof RuntimeException r) {
          throw r;
        }
        if (fault instanceof Error e) {
          throw e;
        }
        List<TokenAttribution> tokens =
            List.of(
                new TokenAttribution("[CLS]", -1, -1, true, 0.9),
                new TokenAttribution(text, 0, text.length(), false, 0.1),
                new TokenAttribution("[SEP]", -1, -1, true, 0.1));
        Prediction p =
            new Prediction(
                List.of("normal", "toxic"),
                new double[] {0, 1.1},
                new double[] {0.25, 0.75},
                1,
                false,
                version());
        out.add(
            new Explanation(
                text,
                p,
                1,
                tokens,
                List.of(new WordAttribution(text, 0, text.length(), 0.1)),
                0.0,
                0));
      }
      return out;
    }

    @Override
    public void close() {}
  }
}
