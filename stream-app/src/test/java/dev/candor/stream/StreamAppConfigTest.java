package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.DeviceChoice;
import dev.candor.model.explain.ExplanationTarget;
import dev.candor.schemas.TopicKind;
import dev.candor.schemas.Topics;
import dev.candor.stream.flags.ArtifactTokenRule;
import dev.candor.stream.flags.CounterfactualSwapRule;
import dev.candor.stream.flags.IdentityTermRule;
import dev.candor.stream.flags.ReviewerRejectedTokenRule;
import dev.candor.stream.flags.SpecialTokenMassRule;
import dev.candor.stream.flags.SpuriousFlagRule;
import dev.candor.stream.flags.ThinEvidenceRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamAppConfigTest {

  private static Map<String, Object> minimal() {
    Map<String, Object> p = new HashMap<>();
    p.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, "/models/current");
    return p;
  }

  private static String messageOf(Map<String, Object> props) {
    return assertThrows(ConfigException.class, () -> new StreamAppConfig(props)).getMessage();
  }

  @Test
  void shouldApplyTheDocumentedDefaults() {
    StreamAppConfig c = new StreamAppConfig(minimal());
    assertEquals(32, c.maxBatchSize());
    assertEquals(100, c.maxBatchDelayMs());
    assertEquals(10_000, c.maxTextChars());
    assertEquals(0, c.metricsPort());
    assertEquals(DeviceChoice.AUTO, c.device());
    assertEquals("candor-stream-0", c.instanceId());
    assertEquals(Topics.defaults().names(), c.topics().names());
    assertEquals(Path.of("/models/current"), c.modelBundleDir());
    assertEquals(ExplanationTarget.LOGIT, c.explanationTarget());
  }

  @Test
  void shouldSelectTheRelativeExplanationTargetAndRefuseOthers() {
    Map<String, Object> p = minimal();
    p.put(StreamAppConfig.EXPLANATION_TARGET_CONFIG, "Relative");
    assertEquals(ExplanationTarget.RELATIVE, new StreamAppConfig(p).explanationTarget());
    p.put(StreamAppConfig.EXPLANATION_TARGET_CONFIG, "probability");
    assertTrue(messageOf(p).contains(StreamAppConfig.EXPLANATION_TARGET_CONFIG), messageOf(p));
  }

  @Test
  void shouldLetEnvironmentVariablesOverrideTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("app.properties");
    Files.writeString(
        file, "candor.model.bundle.dir=/m\ncandor.max.batch.size=8\ncandor.device=cpu\n");

    StreamAppConfig c =
        StreamAppConfig.load(
            file,
            Map.of(
                "CANDOR_MAX_BATCH_SIZE",
                "16",
                "CANDOR_MAX_BATCH_DELAY_MS",
                "50",
                "UNRELATED",
                "x"));

    assertEquals(16, c.maxBatchSize());
    assertEquals(50, c.maxBatchDelayMs());
    assertEquals(DeviceChoice.CPU, c.device());
    assertEquals(
        "CANDOR_TOPIC_DEAD_LETTERS",
        StreamAppConfig.envName(StreamAppConfig.TOPIC_DEAD_LETTERS_CONFIG));
  }

  @Test
  void shouldNameTheKeyOfAnInvalidValue() {
    Map<String, Object> p = minimal();
    p.put(StreamAppConfig.MAX_BATCH_SIZE_CONFIG, "0");
    assertTrue(messageOf(p).contains(StreamAppConfig.MAX_BATCH_SIZE_CONFIG), messageOf(p));

    p = minimal();
    p.put(StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG, "soon");
    assertTrue(messageOf(p).contains(StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG), messageOf(p));

    p = minimal();
    p.put(StreamAppConfig.DEVICE_CONFIG, "tpu");
    assertTrue(messageOf(p).contains(StreamAppConfig.DEVICE_CONFIG), messageOf(p));

    p = minimal();
    p.put(StreamAppConfig.FLAG_SPECIAL_TOKEN_THRESHOLD_CONFIG, "1.5");
    assertTrue(
        messageOf(p).contains(StreamAppConfig.FLAG_SPECIAL_TOKEN_THRESHOLD_CONFIG), messageOf(p));

    p = minimal();
    p.put(StreamAppConfig.METRICS_PORT_CONFIG, "70000");
    assertTrue(messageOf(p).contains(StreamAppConfig.METRICS_PORT_CONFIG), messageOf(p));
  }

  @Test
  void shouldNameAMissingRequiredKey() {
    String m = messageOf(new HashMap<>());
    assertTrue(m.contains(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG), m);
  }

  @Test
  void shouldRejectAnUnknownCandorKeySoTyposDoNotFallBackToDefaults() {
    Map<String, Object> p = minimal();
    p.put("candor.max.batchsize", "8");
    assertTrue(messageOf(p).contains("candor.max.batchsize"), messageOf(p));
  }

  @Test
  void shouldNameTheFileThatCannotBeRead(@TempDir Path dir) {
    Path missing = dir.resolve("nope.properties");
    ConfigException e =
        assertThrows(ConfigException.class, () -> StreamAppConfig.load(missing, Map.of()));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void shouldConfigureKafkaStreamsForExactlyOnceWithPassThroughOverrides() {
    Map<String, Object> p = minimal();
    p.put(StreamAppConfig.APPLICATION_ID_CONFIG, "app");
    p.put(StreamAppConfig.INSTANCE_ID_CONFIG, "app-node-7");
    p.put(StreamAppConfig.STATE_DIR_CONFIG, "/var/lib/candor");
    p.put(StreamAppConfig.STREAMS_PREFIX + StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");

    Properties s = new StreamAppConfig(p).streamsProperties();

    assertEquals("app", s.get(StreamsConfig.APPLICATION_ID_CONFIG));
    assertEquals(StreamsConfig.EXACTLY_ONCE_V2, s.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    assertEquals("read_committed", s.get("consumer.isolation.level"));
    assertEquals("app-node-7", s.get("main.consumer.group.instance.id"));
    assertEquals("/var/lib/candor", s.get(StreamsConfig.STATE_DIR_CONFIG));
    assertEquals(
        "candor.dead-letters", s.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG));
    assertEquals("2", s.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
    new StreamsConfig(s); // Kafka Streams accepts it
  }

  @Test
  void shouldNameTopicsFromPrefixAndOverrides() {
    Map<String, Object> p = minimal();
    p.put(StreamAppConfig.TOPIC_PREFIX_CONFIG, "test-1.");
    p.put(StreamAppConfig.TOPIC_FLAGS_CONFIG, "review-queue");
    Topics t = new StreamAppConfig(p).topics();
    assertEquals("test-1.texts", t.name(TopicKind.TEXTS));
    assertEquals("review-queue", t.name(TopicKind.FLAGS));
  }

  @Test
  void shouldConfigureTheFlagRulesFromTheSameConfig() {
    Map<String, Object> p = minimal();
    p.put(StreamAppConfig.FLAG_SPECIAL_TOKEN_THRESHOLD_CONFIG, "0.25");
    p.put(StreamAppConfig.FLAG_ARTIFACT_THRESHOLD_CONFIG, "0.4");
    p.put(StreamAppConfig.FLAG_COUNTERFACTUAL_MAX_SWAPS_CONFIG, "3");
    p.put(StreamAppConfig.FLAG_COUNTERFACTUAL_MIN_DELTA_CONFIG, "0.1");
    p.put(StreamAppConfig.FLAG_IDENTITY_TOP_K_CONFIG, "2");
    p.put(StreamAppConfig.FLAG_REVIEWER_MIN_MARKS_CONFIG, "4");
    p.put(StreamAppConfig.FLAG_THIN_THRESHOLD_CONFIG, "0.7");
    List<SpuriousFlagRule> rules = new StreamAppConfig(p).flagRules();
    assertEquals(
        StreamAppConfig.DEFAULT_FLAG_RULES,
        rules.stream().map(r -> r.getClass().getName()).toList(),
        "every detector runs by default");
    assertEquals(0.25, assertInstanceOf(SpecialTokenMassRule.class, rules.get(0)).threshold());
    assertEquals(0.4, assertInstanceOf(ArtifactTokenRule.class, rules.get(1)).threshold());
    assertEquals(2, assertInstanceOf(IdentityTermRule.class, rules.get(2)).topK());
    CounterfactualSwapRule cf = assertInstanceOf(CounterfactualSwapRule.class, rules.get(3));
    assertEquals(3, cf.maxSwaps());
    assertEquals(0.1, cf.minDelta());
    assertEquals(4, assertInstanceOf(ReviewerRejectedTokenRule.class, rules.get(4)).minMarks());
    assertEquals(0.7, assertInstanceOf(ThinEvidenceRule.class, rules.get(5)).threshold());
  }

  @Test
  void shouldRejectBadDetectorSettingsAtStart() {
    for (Map.Entry<String, String> bad :
        List.of(
            Map.entry(StreamAppConfig.FLAG_ARTIFACT_THRESHOLD_CONFIG, "1.5"),
            Map.entry(StreamAppConfig.FLAG_ARTIFACT_PATTERNS_CONFIG, "(unclosed"),
            Map.entry(StreamAppConfig.FLAG_IDENTITY_LEXICON_CONFIG, "/no/such/lexicon.tsv"),
            Map.entry(StreamAppConfig.FLAG_IDENTITY_TOP_K_CONFIG, "0"),
            Map.entry(StreamAppConfig.FLAG_COUNTERFACTUAL_MAX_SWAPS_CONFIG, "17"),
            Map.entry(StreamAppConfig.FLAG_REVIEWER_MIN_MARKS_CONFIG, "0"),
            Map.entry(StreamAppConfig.FLAG_THIN_THRESHOLD_CONFIG, "-0.1"))) {
      Map<String, Object> p = minimal();
      p.put(bad.getKey(), bad.getValue());
      ConfigException e =
          assertThrows(ConfigException.class, () -> new StreamAppConfig(p), bad.getKey());
      assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
    }
  }

  @Test
  void shouldDocumentEveryKey() {
    String rst = StreamAppConfig.configDef().toRst();
    for (String key : StreamAppConfig.configDef().names()) {
      assertTrue(key.startsWith(StreamAppConfig.PREFIX), key);
      assertTrue(rst.contains(key), key);
    }
  }
}
