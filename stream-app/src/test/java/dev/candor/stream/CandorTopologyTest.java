package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.DeviceChoice;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.DeadLetterHeaders;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.FeedbackAction;
import dev.candor.schemas.avro.ModelUpdate;
import dev.candor.schemas.avro.SpuriousFlag;
import dev.candor.schemas.avro.TokenAttribution;
import dev.candor.stream.flags.ArtifactTokenRule;
import dev.candor.stream.flags.ReviewerRejectedTokenRule;
import dev.candor.stream.flags.SpecialTokenMassRule;
import dev.candor.stream.internals.ReviewerMarksProcessor;
import dev.candor.stream.serving.FatalModelException;
import dev.candor.stream.serving.ModelHandle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology on {@link TopologyTestDriver}, with a tiny real model. */
class CandorTopologyTest {

  private static final int BATCH = 4;
  private static final long DELAY_MS = 200;
  private static final int MAX_CHARS = 60;

  @TempDir static Path bundles;
  private static Path bundleA;
  private static Path bundleB;
  private static String shaB;

  @TempDir Path stateDir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ModelHandle model;
  private TopologyTestDriver driver;
  private Topics topics;
  private TestInputTopic<byte[], byte[]> texts;
  private TestInputTopic<String, ModelUpdate> updates;
  private TestOutputTopic<String, ExplainedPrediction> predictions;
  private TestOutputTopic<String, ExplainedPrediction> flags;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private TestInputTopic<String, Feedback> feedback;

  @BeforeAll
  static void writeBundles() {
    bundleA = bundles.resolve("tiny-a");
    TestBundles.write(bundleA, 1);
    bundleB = bundles.resolve("tiny-b");
    shaB = TestBundles.write(bundleB, 2);
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
    if (model != null) {
      model.close();
    }
  }

  private void start(double flagThreshold) throws Exception {
    start(flagThreshold, ModelHandle.load(bundleA, DeviceChoice.CPU, registry));
  }

  private void start(double flagThreshold, ModelHandle handle) {
    start(flagThreshold, handle, Map.of());
  }

  private void start(double flagThreshold, ModelHandle handle, Map<String, Object> extra) {
    model = handle;
    Map<String, Object> p = new HashMap<>();
    p.put(StreamAppConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamAppConfig.APPLICATION_ID_CONFIG, "candor-topology-test");
    p.put(StreamAppConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundleA.toString());
    p.put(StreamAppConfig.MAX_BATCH_SIZE_CONFIG, BATCH);
    p.put(StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG, DELAY_MS);
    p.put(StreamAppConfig.MAX_TEXT_CHARS_CONFIG, MAX_CHARS);
    p.put(StreamAppConfig.FLAG_SPECIAL_TOKEN_THRESHOLD_CONFIG, flagThreshold);
    p.putAll(extra);
    StreamAppConfig config = new StreamAppConfig(p);
    topics = config.topics();
    driver =
        new TopologyTestDriver(
            CandorTopology.build(config, model, registry),
            config.streamsProperties(),
            TestClocks.MOCK_WALL_CLOCK);
    texts =
        driver.createInputTopic(
            topics.texts().name(), new ByteArraySerializer(), new ByteArraySerializer());
    updates =
        driver.createInputTopic(
            topics.modelUpdates().name(),
            new StringSerializer(),
            AvroSerdes.of(ModelUpdate.class).serializer());
    predictions =
        driver.createOutputTopic(
            topics.predictions().name(),
            topics.predictions().keySerde().deserializer(),
            topics.predictions().valueSerde().deserializer());
    flags =
        driver.createOutputTopic(
            topics.flags().name(),
            topics.flags().keySerde().deserializer(),
            topics.flags().valueSerde().deserializer());
    feedback =
        driver.createInputTopic(
            topics.feedback().name(),
            topics.feedback().keySerde().serializer(),
            topics.feedback().valueSerde().serializer());
    deadLetters =
        driver.createOutputTopic(
            topics.deadLetters().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private void pipe(String id, String text) {
    texts.pipeInput(utf8(id), utf8(text));
  }

  private void assertAllOutputsEmpty() {
    assertTrue(predictions.isEmpty(), "unexpected predictions");
    assertTrue(flags.isEmpty(), "unexpected flags");
    assertTrue(deadLetters.isEmpty(), "unexpected dead letters");
  }

  @Test
  void shouldExplainTextOnceItsDelayHasPassed() throws Exception {
    start(1.0);
    pipe("t-1", "you are a wonderful person");
    assertAllOutputsEmpty();

    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));

    ExplainedPrediction p = predictions.readValue();
    assertEquals("t-1", p.getId());
    assertEquals(model.version(), p.getModelVersion());
    assertTrue(p.getModelVersion().startsWith("tiny-a@"), p.getModelVersion());
    assertEquals(p.getLabels().get(p.getLabelIndex()), p.getLabel());
    assertEquals(2, p.getScores().size());
    assertEquals(1.0, p.getScores().get(0) + p.getScores().get(1), 1e-9);
    TokenAttribution first = p.getTokens().get(0);
    assertEquals("[CLS]", first.getToken());
    assertTrue(first.getSpecial());
    assertEquals("you", p.getWords().get(0).getWord());
    double sum = p.getTokens().stream().mapToDouble(TokenAttribution::getAttribution).sum();
    assertEquals(
        p.getLogits().get(p.getExplainedLabelIndex()), sum + p.getCompletenessResidual(), 1e-6);
    assertEquals(sha256("you are a wonderful person"), p.getTextSha256());
    assertTrue(p.getFlags().isEmpty());
    assertEquals(1.0, registry.get("candor.records.in").counter().count());
    assertEquals(
        1.0, registry.get("candor.records.out").tag("topic", "predictions").counter().count());
    assertAllOutputsEmpty();
  }

  @Test
  void shouldExplainAFullBatchWithoutWaiting() throws Exception {
    start(1.0);
    for (int i = 0; i < BATCH - 1; i++) {
      pipe("t-" + i, "text number " + i);
    }
    assertTrue(predictions.isEmpty(), "a batch of " + (BATCH - 1) + " must wait");

    pipe("t-3", "text number 3");

    List<String> ids =
        predictions.readValuesToList().stream().map(ExplainedPrediction::getId).toList();
    assertEquals(List.of("t-0", "t-1", "t-2", "t-3"), ids);
    assertEquals(1, registry.get("candor.batch.size").summary().count());
    assertEquals(BATCH, registry.get("candor.batch.size").summary().max());
    driver.advanceWallClockTime(Duration.ofSeconds(5));
    assertAllOutputsEmpty();
  }

  @Test
  void shouldSayWhatTheAttributionsSumToUnderTheRelativeTarget() throws Exception {
    start(
        1.0,
        ModelHandle.load(
            bundleA,
            DeviceChoice.CPU,
            registry,
            dev.candor.model.explain.ExplanationTarget.RELATIVE,
            dev.candor.model.tokenize.SubBatchPlanner.off()));
    pipe("t-1", "what the relative target explains");
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));

    ExplainedPrediction p = predictions.readValue();
    assertEquals("relative", p.getExplanationTarget());
    int c = p.getExplainedLabelIndex();
    double others = 0;
    for (int j = 0; j < p.getLogits().size(); j++) {
      others += j == c ? 0 : p.getLogits().get(j);
    }
    double relative = p.getLogits().get(c) - others / (p.getLogits().size() - 1);
    double sum = p.getTokens().stream().mapToDouble(TokenAttribution::getAttribution).sum();
    assertEquals(relative, sum + p.getCompletenessResidual(), 1e-9);
    assertTrue(Math.abs(p.getCompletenessResidual()) < 1e-3, "residual " + p);
  }

  @Test
  void shouldWaitForTheDelayBeforeFlushingAPartialBatch() throws Exception {
    start(1.0);
    pipe("t-1", "first");
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS / 2));
    pipe("t-2", "second");
    assertTrue(predictions.isEmpty());

    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS / 2 + 1)); // t-1 has now waited > delay

    assertEquals(
        List.of("t-1", "t-2"),
        predictions.readValuesToList().stream().map(ExplainedPrediction::getId).toList());
    assertAllOutputsEmpty();
  }

  @Test
  void shouldRouteEachKindOfBadInputToDeadLettersWithHeaders() throws Exception {
    start(1.0);
    byte[] undecodable = {(byte) 0xff, (byte) 0xfe, (byte) 0xfd};
    byte[] unknownSchema = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 2, 'x'};
    byte[] oversize = utf8("x".repeat(MAX_CHARS + 1));
    RecordHeaders original = new RecordHeaders();
    original.add("trace", utf8("abc"));
    texts.pipeInput(new TestRecord<>(utf8("bad-1"), undecodable, original));
    texts.pipeInput(utf8("bad-2"), new byte[0]);
    texts.pipeInput(utf8("bad-3"), utf8("   \n "));
    texts.pipeInput(utf8("bad-4"), oversize);
    texts.pipeInput(utf8("bad-5"), unknownSchema);
    pipe("good", "a good text between bad ones");
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));

    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertEquals(5, dead.size());
    assertDeadLetter(dead.get(0), "bad-1", undecodable, "NOT_DECODABLE", 0);
    assertEquals(
        "abc", DeadLetterHeaders.get(dead.get(0).headers(), "trace"), "original headers kept");
    assertDeadLetter(dead.get(1), "bad-2", new byte[0], "EMPTY_TEXT", 1);
    assertDeadLetter(dead.get(2), "bad-3", utf8("   \n "), "EMPTY_TEXT", 2);
    assertDeadLetter(dead.get(3), "bad-4", oversize, "TEXT_TOO_LONG", 3);
    assertDeadLetter(dead.get(4), "bad-5", unknownSchema, "UNKNOWN_SCHEMA", 4);
    assertEquals("good", predictions.readValue().getId(), "the stream goes on after bad input");
    assertEquals(
        2.0, registry.get("candor.dead.letters").tag("reason", "EMPTY_TEXT").counter().count());
    assertEquals(
        1.0, registry.get("candor.dead.letters").tag("reason", "UNKNOWN_SCHEMA").counter().count());
    assertAllOutputsEmpty();
  }

  private void assertDeadLetter(
      TestRecord<byte[], byte[]> r, String key, byte[] value, String reason, long offset) {
    assertArrayEquals(utf8(key), r.key());
    assertArrayEquals(value, r.value());
    assertEquals(reason, DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON));
    assertFalse(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.DETAIL).isBlank());
    assertEquals(
        topics.texts().name(), DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_TOPIC));
    assertEquals("0", DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_PARTITION));
    assertEquals(
        String.valueOf(offset),
        DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_OFFSET));
  }

  @Test
  void shouldSendPredictionsWithSpecialTokenMassToFlags() throws Exception {
    start(0.0); // any attribution on [CLS]/[SEP] is "too much"
    pipe("t-1", "flag me please");
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));

    ExplainedPrediction p = predictions.readValue();
    ExplainedPrediction f = flags.readValue();
    assertEquals("flag me please", f.getText(), "reviewers read what they judge");
    assertNull(p.getText(), "predictions carry no text by default");
    assertEquals(p, ExplainedPrediction.newBuilder(f).setText(null).build());
    assertEquals(SpecialTokenMassRule.TYPE, f.getFlags().get(0).getType());
    assertTrue(f.getTokens().get(f.getFlags().get(0).getTokenIndex()).getSpecial());
    assertEquals(
        1.0, registry.get("candor.flags").tag("type", SpecialTokenMassRule.TYPE).counter().count());
    assertAllOutputsEmpty();
  }

  private ModelHandle fake() {
    return new ModelHandle(
        new FakeModel("fake@1", 0.0, t -> false),
        (d, s, v) -> {
          throw new java.io.IOException("not in this test");
        },
        registry);
  }

  @Test
  void shouldSendAnArtifactFlagWithTheTextAndItsSpansToFlags() {
    // The fake model gives every whitespace word 0.1: "<user>"s have 2/3 of the positive evidence.
    start(1.0, fake());
    pipe("t-1", "<user> <user> hi");
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));

    ExplainedPrediction f = flags.readValue();
    assertEquals("t-1", f.getId());
    assertEquals("<user> <user> hi", f.getText());
    assertEquals(1, f.getFlags().size(), f.getFlags().toString());
    SpuriousFlag flag = f.getFlags().get(0);
    assertEquals(ArtifactTokenRule.TYPE, flag.getType());
    assertEquals(List.of(new CharSpan(0, 6), new CharSpan(7, 13)), flag.getSpans());
    assertEquals(2.0 / 3, flag.getScore(), 1e-9);
    assertNull(predictions.readValue().getText());
    assertEquals(
        1.0, registry.get("candor.flags").tag("type", ArtifactTokenRule.TYPE).counter().count());
    assertEquals(
        1.0,
        registry
            .get("candor.flag.rule.texts")
            .tag("rule", "CounterfactualSwapRule")
            .counter()
            .count());
    assertAllOutputsEmpty();
  }

  @Test
  void shouldPutTheTextOnPredictionsWhenConfigured() {
    start(1.0, fake(), Map.of(StreamAppConfig.PREDICTIONS_INCLUDE_TEXT_CONFIG, "true"));
    pipe("t-1", "a quiet text");
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));
    assertEquals("a quiet text", predictions.readValue().getText());
    assertAllOutputsEmpty();
  }

  private static Feedback feedback(
      String id, String reviewer, FeedbackAction action, String text, CharSpan... spans) {
    return Feedback.newBuilder()
        .setId(id)
        .setReviewer(reviewer)
        .setCreatedAtMs(1L)
        .setAction(action)
        .setText(text)
        .setTextSha256(text == null ? null : sha256Unchecked(text))
        .setSpuriousSpans(List.of(spans))
        .build();
  }

  @Test
  void shouldLearnReviewerMarksFromFeedbackAndWithdrawThemOnRetract() {
    start(1.0, fake());
    KeyValueStore<String, String> store =
        driver.getKeyValueStore(CandorTopology.REVIEWER_MARKS_STORE);
    Feedback alice =
        feedback(
            "f-1", "alice", FeedbackAction.MARK_SPURIOUS, "<user> Hello there", new CharSpan(0, 9));
    feedback.pipeInput("f-1", alice);
    feedback.pipeInput("f-1", alice); // a re-delivery changes nothing
    feedback.pipeInput(
        "f-2",
        feedback("f-2", "bob", FeedbackAction.MARK_SPURIOUS, "hello you", new CharSpan(0, 5)));

    assertEquals(1, ReviewerMarksProcessor.marks(store, "<user>"), "a placeholder is one word");
    assertEquals(2, ReviewerMarksProcessor.marks(store, "hello"), "lower-cased, two judgements");
    assertEquals(0, ReviewerMarksProcessor.marks(store, "there"));

    feedback.pipeInput("f-1", feedback("f-1", "alice", FeedbackAction.RETRACT, null));
    assertEquals(0, ReviewerMarksProcessor.marks(store, "<user>"));
    assertEquals(1, ReviewerMarksProcessor.marks(store, "hello"));

    Feedback wrongHash =
        Feedback.newBuilder(
                feedback("f-3", "carol", FeedbackAction.MARK_SPURIOUS, "there", new CharSpan(0, 5)))
            .setTextSha256("00")
            .build();
    feedback.pipeInput("f-3", wrongHash);
    assertEquals(0, ReviewerMarksProcessor.marks(store, "there"), "spans only count on their text");
    assertEquals(
        1.0, registry.get("candor.feedback.marks").tag("outcome", "unresolved").counter().count());
    assertAllOutputsEmpty();
  }

  @Test
  void shouldFlagAWordReviewersRejectedWhenItCarriesTheEvidence() {
    start(1.0, fake());
    feedback.pipeInput(
        "f-1",
        feedback("f-1", "alice", FeedbackAction.MARK_SPURIOUS, "Hello you", new CharSpan(0, 5)));
    pipe("t-1", "hello");
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));

    ExplainedPrediction f = flags.readValue();
    assertEquals(
        List.of(ReviewerRejectedTokenRule.TYPE),
        f.getFlags().stream().map(SpuriousFlag::getType).toList());
    assertEquals(List.of(new CharSpan(0, 5)), f.getFlags().get(0).getSpans());
    assertEquals("hello", f.getText());
    predictions.readValue();
    assertAllOutputsEmpty();
  }

  @Test
  void shouldUseTheNewModelVersionAfterAHotSwap() throws Exception {
    start(1.0);
    pipe("before", "old model text");
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));
    String oldVersion = predictions.readValue().getModelVersion();

    updates.pipeInput("candor", update("v2", bundleB, shaB));
    await(() -> "v2".equals(model.version()), "model version v2");
    pipe("after", "new model text");
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));

    ExplainedPrediction after = predictions.readValue();
    assertEquals("after", after.getId());
    assertEquals("v2", after.getModelVersion());
    assertFalse(oldVersion.equals(after.getModelVersion()));
    assertEquals(
        1.0, registry.get("candor.model.swaps").tag("outcome", "applied").counter().count());
    assertEquals(1.0, registry.get("candor.model.info").tag("version", "v2").gauge().value());
    assertAllOutputsEmpty();
  }

  @Test
  void shouldRefuseABundleWhoseManifestDoesNotMatchTheUpdate() throws Exception {
    start(1.0);
    String before = model.version();
    assertEquals(shaB, ModelBundle.verify(bundleB));

    updates.pipeInput("candor", update("v-bad", bundleB, "00".repeat(32)));
    await(
        () -> registry.find("candor.model.swaps").tag("outcome", "refused").counter() != null,
        "refused swap counted");

    assertEquals(before, model.version());
    pipe("t-1", "still the old model");
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));
    assertEquals(before, predictions.readValue().getModelVersion());
    assertAllOutputsEmpty();
  }

  @Test
  void shouldDeadLetterTextsTheModelFailsOnAndKeepGoing() {
    FakeModel fake = new FakeModel("fake-1", 0.0, t -> t.contains("poison"));
    start(
        1.0,
        new ModelHandle(
            fake,
            (d, s, v) -> {
              throw new java.io.IOException("no loads in this test");
            },
            registry));
    pipe("ok-1", "fine text");
    pipe("bad", "poison text");
    pipe("ok-2", "another fine text");
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));

    assertEquals(
        List.of("ok-1", "ok-2"),
        predictions.readValuesToList().stream().map(ExplainedPrediction::getId).toList());
    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertArrayEquals(utf8("bad"), dead.key());
    assertArrayEquals(utf8("poison text"), dead.value());
    assertEquals(
        DeadLetterHeaders.MODEL_ERROR,
        DeadLetterHeaders.get(dead.headers(), DeadLetterHeaders.REASON));
    assertNotNull(DeadLetterHeaders.get(dead.headers(), DeadLetterHeaders.DETAIL));
    assertEquals("1", DeadLetterHeaders.get(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET));
    assertEquals(
        1.0, registry.get("candor.dead.letters").tag("reason", "MODEL_ERROR").counter().count());

    pipe("ok-3", "the stream still runs");
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));
    assertEquals("ok-3", predictions.readValue().getId());
    assertAllOutputsEmpty();
  }

  @Test
  void shouldStopWithoutDeadLetteringWhenTheModelThrowsAJvmError() {
    FakeModel fake = new FakeModel("fake-1", 0.0, t -> false);
    start(1.0, new ModelHandle(fake, (d, s, v) -> fake, registry));
    pipe("ok-1", "explained before the failure");
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));
    assertEquals("ok-1", predictions.readValue().getId());
    fake.broken = new OutOfMemoryError("simulated native allocation failure");

    pipe("a", "first text of the broken batch");
    pipe("b", "second");
    pipe("c", "third");
    RuntimeException e = assertThrows(RuntimeException.class, () -> pipe("d", "fourth"));

    assertTrue(causes(e).stream().anyMatch(FatalModelException.class::isInstance), causes(e) + "");
    assertTrue(
        causes(e).stream().anyMatch(OutOfMemoryError.class::isInstance), "the Error is the cause");
    assertAllOutputsEmpty();
    assertNull(registry.find("candor.dead.letters").counter(), "nothing dead-lettered");
    assertEquals(1.0, registry.get("candor.model.failures.fatal").counter().count());
  }

  @Test
  void shouldStopWithoutDeadLetteringWhenEveryTextOfABatchFails() {
    FakeModel fake = new FakeModel("fake-1", 0.0, t -> false);
    start(1.0, new ModelHandle(fake, (d, s, v) -> fake, registry));
    fake.broken = new IllegalStateException("engine lost its weights");
    pipe("a", "one");
    pipe("b", "two");

    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1)));

    assertTrue(causes(e).stream().anyMatch(FatalModelException.class::isInstance), causes(e) + "");
    assertEquals(List.of(2, 1, 1), fake.batchSizes, "the batch, then each text alone");
    assertAllOutputsEmpty();
    assertNull(registry.find("candor.dead.letters").counter(), "nothing dead-lettered");
  }

  private static List<Throwable> causes(Throwable e) {
    List<Throwable> out = new java.util.ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.add(t);
    }
    return out;
  }

  @Test
  void shouldNameEveryOperatorStoreAndBranch() throws Exception {
    start(1.0);
    pipe("t-1", "buffered");
    String description =
        CandorTopology.build(
                new StreamAppConfig(
                    Map.of(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundleA.toString())),
                model)
            .describe()
            .toString();
    assertFalse(description.contains("KSTREAM-"), description);
    assertFalse(description.contains("KTABLE-"), description);
    assertTrue(description.contains(CandorTopology.BUFFER_STORE));
    assertTrue(description.contains(CandorTopology.MODEL_UPDATES_STORE));
    assertTrue(
        driver
            .producedTopicNames()
            .contains("candor-topology-test-" + CandorTopology.BUFFER_STORE + "-changelog"),
        "the buffer is backed by a changelog: " + driver.producedTopicNames());
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));
    assertEquals("t-1", predictions.readValue().getId());
    assertAllOutputsEmpty();
  }

  static ModelUpdate update(String version, Path dir, String sha) {
    return ModelUpdate.newBuilder()
        .setModelName("candor")
        .setVersion(version)
        .setUri(dir.toUri().toString())
        .setSha256(sha)
        .setMetrics(Map.of("accuracy", 0.9))
        .setCreatedAtMs(System.currentTimeMillis())
        .build();
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after 20 s waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String sha256Unchecked(String s) {
    try {
      return sha256(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(utf8(s)));
  }
}
