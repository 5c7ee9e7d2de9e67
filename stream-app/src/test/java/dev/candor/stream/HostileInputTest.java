package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.DeviceChoice;
import dev.candor.schemas.DeadLetterHeaders;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.stream.serving.ModelHandle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 seeded hostile records through the real topology and a tiny real model: every record ends
 * as exactly one prediction or one dead letter with the expected reason, the stream never stops,
 * and the outputs, the metrics and the inputs reconcile exactly.
 */
class HostileInputTest {

  static final long SEED = 20261130L;
  static final int RECORDS = 10_000;
  static final int MAX_CHARS = 2_000;

  @TempDir Path tmp;

  @Test
  void shouldTurnEveryHostileRecordIntoOnePredictionOrOneDeadLetter() throws Exception {
    // Given
    Path bundle = tmp.resolve("tiny");
    TestBundles.write(bundle, 5);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Map<String, Object> p = new HashMap<>();
    p.put(StreamAppConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamAppConfig.APPLICATION_ID_CONFIG, "candor-hostile");
    p.put(StreamAppConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
    p.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundle.toString());
    p.put(StreamAppConfig.MAX_BATCH_SIZE_CONFIG, 32);
    p.put(StreamAppConfig.MAX_TEXT_CHARS_CONFIG, MAX_CHARS);
    StreamAppConfig config = new StreamAppConfig(p);
    Topics topics = config.topics();
    List<HostileInputs.Case> cases = HostileInputs.generate(SEED, RECORDS, MAX_CHARS, 256 * 1024);

    try (ModelHandle model = ModelHandle.load(bundle, DeviceChoice.CPU, registry);
        TopologyTestDriver driver =
            new TopologyTestDriver(
                CandorTopology.build(config, model, registry),
                config.streamsProperties(),
                TestClocks.MOCK_WALL_CLOCK)) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(
              topics.texts().name(), new ByteArraySerializer(), new ByteArraySerializer());
      TestOutputTopic<String, ExplainedPrediction> predictions =
          driver.createOutputTopic(
              topics.predictions().name(),
              topics.predictions().keySerde().deserializer(),
              topics.predictions().valueSerde().deserializer());
      TestOutputTopic<byte[], byte[]> deadLetters =
          driver.createOutputTopic(
              topics.deadLetters().name(),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());

      // When
      for (HostileInputs.Case c : cases) {
        in.pipeInput(new TestRecord<>(c.key(), c.value(), c.headers(), 1_000_000L + c.index()));
      }
      driver.advanceWallClockTime(Duration.ofSeconds(5));

      // Then
      List<TestRecord<String, ExplainedPrediction>> preds = predictions.readRecordsToList();
      List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
      Tally tally = reconcile(cases, preds, dead, topics.texts().name());
      System.out.println("HostileInputTest (seed " + SEED + "): " + tally);
      assertEquals(RECORDS, preds.size() + dead.size(), "one output per input");
      assertEquals(RECORDS, registry.get("candor.records.in").counter().count(), 0.0);
      assertEquals(
          preds.size(),
          registry.get("candor.records.out").tag("topic", "predictions").counter().count(),
          0.0);
      double dlCount =
          registry.find("candor.dead.letters").counters().stream()
              .mapToDouble(Counter::count)
              .sum();
      assertEquals(dead.size(), dlCount, 0.0, "dead-letter counters match the topic");
      assertTrue(predictions.isEmpty() && deadLetters.isEmpty());
    }
  }

  /** Outcomes per kind; fails on the first record that did not end as expected. */
  record Tally(Map<String, int[]> byKind, Map<String, Integer> byReason) {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      byKind.forEach(
          (k, v) ->
              b.append(String.format("%n  %-24s %5d predictions %5d dead letters", k, v[0], v[1])));
      return b.append("\n  dead letters by reason: ").append(byReason).toString();
    }
  }

  static Tally reconcile(
      List<HostileInputs.Case> cases,
      List<? extends TestRecord<String, ExplainedPrediction>> preds,
      List<? extends TestRecord<byte[], byte[]>> dead,
      String textsTopic) {
    Map<String, HostileInputs.Case> byId = new HashMap<>();
    int generatedIds = 0;
    for (HostileInputs.Case c : cases) {
      if (c.expectedId() == null) {
        generatedIds++;
      } else {
        assertTrue(byId.put(c.expectedId(), c) == null, "generator made a duplicate id");
      }
    }
    String[] outcome = new String[cases.size()];
    int unknownIdPredictions = 0;
    for (TestRecord<String, ExplainedPrediction> r : preds) {
      assertEquals(r.key(), r.value().getId());
      HostileInputs.Case c = byId.get(r.key());
      if (c == null) {
        unknownIdPredictions++;
        continue;
      }
      assertTrue(outcome[c.index()] == null, "second output for " + describe(c));
      outcome[c.index()] = "PREDICTION";
    }
    Map<String, Integer> byReason = new TreeMap<>();
    for (TestRecord<byte[], byte[]> r : dead) {
      String reason = DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON);
      assertNotNull(reason, "dead letter without a reason");
      assertNotNull(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.DETAIL));
      assertEquals(textsTopic, DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_TOPIC));
      int offset =
          Integer.parseInt(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_OFFSET));
      HostileInputs.Case c = cases.get(offset);
      assertTrue(outcome[offset] == null, "second output for " + describe(c));
      outcome[offset] = reason;
      assertTrue(
          java.util.Arrays.equals(c.value(), r.value()) || (c.value() == null && r.value() == null),
          "dead letter keeps the original value: " + describe(c));
      assertTrue(java.util.Arrays.equals(c.key(), r.key()), "keeps the original key");
      byReason.merge(reason, 1, Integer::sum);
    }
    Map<String, int[]> byKind = new TreeMap<>();
    int unaccounted = 0;
    for (HostileInputs.Case c : cases) {
      String o = outcome[c.index()];
      int[] k = byKind.computeIfAbsent(c.kind(), x -> new int[2]);
      if (o == null) {
        assertTrue(c.expectedId() == null, "no output at all for " + describe(c));
        unaccounted++;
        k[0]++;
        continue;
      }
      k[o.equals("PREDICTION") ? 0 : 1]++;
      String expected = c.expectedReason() == null ? "PREDICTION" : c.expectedReason();
      if (!expected.equals(HostileInputs.ANY)) {
        assertEquals(expected, o, "outcome of " + describe(c));
      }
    }
    assertEquals(generatedIds, unaccounted);
    assertEquals(generatedIds, unknownIdPredictions, "predictions under generated ids");
    return new Tally(byKind, byReason);
  }

  static String describe(HostileInputs.Case c) {
    String v =
        c.value() == null
            ? "null"
            : new String(
                c.value(),
                0,
                Math.min(c.value().length, 120),
                java.nio.charset.StandardCharsets.UTF_8);
    return "#" + c.index() + " " + c.kind() + " value=" + v;
  }
}
