package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.DeviceChoice;
import dev.candor.model.TestModels;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.TokenAttribution;
import dev.candor.stream.serving.ModelHandle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-class model (HateXplain's normal / offensive / hatespeech) through the topology: every
 * prediction carries all three scores, and the explained class follows {@link
 * StreamAppConfig#EXPLAIN_LABEL_CONFIG}.
 */
class ThreeClassTopologyTest {
  private static final long DELAY_MS = 100;
  private static final List<String> TEXTS =
      List.of("you are a wonderful person", "go back to where you came from", "ok then");

  @TempDir static Path bundles;
  private static Path bundle;

  @TempDir Path stateDir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ModelHandle model;
  private TopologyTestDriver driver;

  @BeforeAll
  static void writeBundle() throws Exception {
    bundle = bundles.resolve("tiny-3");
    TestModels.writeBundle(bundle, true, 1.5, 3, TestModels.THREE_LABELS);
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

  private StreamAppConfig config(String explainLabel) {
    Map<String, Object> p = new HashMap<>();
    p.put(StreamAppConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamAppConfig.APPLICATION_ID_CONFIG, "candor-three-class-test");
    p.put(StreamAppConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundle.toString());
    p.put(StreamAppConfig.MAX_BATCH_SIZE_CONFIG, 8);
    p.put(StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG, DELAY_MS);
    if (explainLabel != null) {
      p.put(StreamAppConfig.EXPLAIN_LABEL_CONFIG, explainLabel);
    }
    return new StreamAppConfig(p);
  }

  private List<ExplainedPrediction> run(String explainLabel) throws Exception {
    model = ModelHandle.load(bundle, DeviceChoice.CPU, registry);
    StreamAppConfig config = config(explainLabel);
    Topics topics = config.topics();
    driver =
        new TopologyTestDriver(
            CandorTopology.build(config, model, registry),
            config.streamsProperties(),
            TestClocks.MOCK_WALL_CLOCK);
    TestInputTopic<byte[], byte[]> in =
        driver.createInputTopic(
            topics.texts().name(), new ByteArraySerializer(), new ByteArraySerializer());
    TestOutputTopic<String, ExplainedPrediction> out =
        driver.createOutputTopic(
            topics.predictions().name(),
            topics.predictions().keySerde().deserializer(),
            topics.predictions().valueSerde().deserializer());
    for (int i = 0; i < TEXTS.size(); i++) {
      in.pipeInput(utf8("t-" + i), utf8(TEXTS.get(i)));
    }
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));
    List<ExplainedPrediction> got = out.readValuesToList();
    assertEquals(TEXTS.size(), got.size());
    assertTrue(out.isEmpty());
    for (ExplainedPrediction p : got) {
      assertEquals(TestModels.THREE_LABELS, p.getLabels());
      assertEquals(3, p.getScores().size());
      assertEquals(3, p.getLogits().size());
      assertEquals(1.0, p.getScores().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
      double best = p.getScores().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      assertEquals(best, p.getScores().get(p.getLabelIndex()), 1e-12);
      assertEquals(p.getLabels().get(p.getLabelIndex()), p.getLabel());
      double sum = p.getTokens().stream().mapToDouble(TokenAttribution::getAttribution).sum();
      double logit = p.getLogits().get(p.getExplainedLabelIndex());
      assertEquals(logit, sum + p.getCompletenessResidual(), 1e-6);
      assertTrue(
          Math.abs(p.getCompletenessResidual()) <= 1e-3 * Math.max(1, Math.abs(logit)),
          "completeness residual " + p.getCompletenessResidual() + " of logit " + logit);
    }
    return got;
  }

  @Test
  void shouldCarryAllThreeScoresAndExplainThePredictedClassByDefault() throws Exception {
    for (ExplainedPrediction p : run(null)) {
      assertEquals(p.getLabelIndex(), p.getExplainedLabelIndex());
    }
  }

  @Test
  void shouldExplainTheConfiguredClassWhateverIsPredicted() throws Exception {
    List<ExplainedPrediction> hate = run("hatespeech");
    for (ExplainedPrediction p : hate) {
      assertEquals(2, p.getExplainedLabelIndex());
    }
    close();
    driver = null;
    model = null;
    List<ExplainedPrediction> normal = run("normal");
    for (int i = 0; i < normal.size(); i++) {
      assertEquals(0, normal.get(i).getExplainedLabelIndex());
      // the same texts and scores, another class's attributions
      assertEquals(hate.get(i).getScores(), normal.get(i).getScores());
      assertTrue(
          hate.get(i).getTokens().get(1).getAttribution()
              != normal.get(i).getTokens().get(1).getAttribution(),
          "class 2 and class 0 attributions of " + TEXTS.get(i) + " are identical");
    }
  }

  @Test
  void shouldRefuseAtStartAClassTheModelDoesNotHave() throws Exception {
    model = ModelHandle.load(bundle, DeviceChoice.CPU, registry);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CandorTopology.build(config("toxic"), model, registry));
    assertTrue(e.getMessage().contains("cannot explain class 'toxic'"), e.getMessage());
    assertTrue(e.getMessage().contains("hatespeech"), e.getMessage());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
