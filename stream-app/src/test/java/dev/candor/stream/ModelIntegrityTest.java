package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.DeviceChoice;
import dev.candor.model.TestModels;
import dev.candor.model.bundle.InvalidBundleException;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.provenance.Hashing;
import dev.candor.model.provenance.Lineage;
import dev.candor.model.provenance.ModelProvenance;
import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.ModelUpdate;
import dev.candor.stream.serving.ModelHandle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model updates that must be refused, through the topology with real tiny bundles: each is counted
 * as {@code candor.model.swaps{outcome=refused}}, the running model keeps explaining, and a good
 * update afterwards still applies.
 */
class ModelIntegrityTest {

  private static final long DELAY_MS = 100;

  @TempDir Path tmp;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Path running;
  private ModelHandle model;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> texts;
  private TestInputTopic<String, ModelUpdate> updates;
  private TestOutputTopic<String, ExplainedPrediction> predictions;
  private int n;

  @BeforeEach
  void start() throws IOException {
    running = tmp.resolve("running");
    TestBundles.write(running, 1);
    model = ModelHandle.load(running, DeviceChoice.CPU, registry);
    Map<String, Object> p = new HashMap<>();
    p.put(StreamAppConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamAppConfig.APPLICATION_ID_CONFIG, "candor-integrity");
    p.put(StreamAppConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
    p.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, running.toString());
    p.put(StreamAppConfig.MAX_BATCH_DELAY_MS_CONFIG, DELAY_MS);
    StreamAppConfig config = new StreamAppConfig(p);
    Topics topics = config.topics();
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
  }

  @AfterEach
  void stop() {
    driver.close();
    model.close();
  }

  @Test
  void shouldRefuseEveryBadUpdateAndKeepServingTheRunningModel() throws Exception {
    String before = model.version();
    assertExplainedWith(before);

    // a bundle whose weights were changed after its manifest was written
    Path tampered = copy(tmp.resolve("b"), "tampered");
    byte[] w = Files.readAllBytes(tampered.resolve("model.safetensors"));
    w[w.length - 1] ^= 0x01;
    Files.write(tampered.resolve("model.safetensors"), w);
    String tamperedSha = Hashing.sha256(tampered.resolve(ModelBundle.MANIFEST));
    assertThrows(InvalidBundleException.class, () -> ModelBundle.verify(tampered));
    refuse(update("tampered", tampered, tamperedSha), 1, before);

    // an update naming a directory that does not exist
    refuse(update("missing", tmp.resolve("no-such-bundle"), "ab".repeat(32)), 2, before);

    // a valid bundle, but not the one the update announces
    Path other = tmp.resolve("other");
    TestBundles.write(other, 3);
    refuse(update("other-sha", other, "00".repeat(32)), 3, before);

    // a valid bundle with other labels
    Path relabelled = tmp.resolve("relabelled");
    ModelConfig c = TestModels.tinyConfig(true, 2.0);
    c = c.toBuilder().setLabels(List.of("negative", "positive")).build();
    String relabelledSha =
        ModelBundle.write(
                relabelled,
                c,
                TestModels.randomWeights(c, 4),
                ModelBundle.read(running).tokenizerJson(),
                Map.of("accuracy", 0.5),
                ModelProvenance.now(
                    "ModelIntegrityTest", Lineage.base("random", null), Map.of(), List.of()))
            .manifestSha256();
    refuse(update("relabelled", relabelled, relabelledSha), 4, before);

    // a config that describes another architecture than the weights (manifest rewritten to match)
    Path wrongArch = copy(tmp.resolve("c"), "wrong-arch");
    String config = Files.readString(wrongArch.resolve("config.json"));
    String edited = config.replaceFirst("(\"num_hidden_layers\"\\s*:\\s*)2", "$13");
    assertNotEquals(config, edited, "config.json names num_hidden_layers");
    Files.writeString(wrongArch.resolve("config.json"), edited);
    String wrongArchSha = rewriteManifest(wrongArch);
    refuse(update("wrong-arch", wrongArch, wrongArchSha), 5, before);

    assertEquals(0.0, swaps("applied"));
    assertEquals(0.0, swaps("failed"));

    // Then a good update still applies: the loader survived every refusal
    Path good = tmp.resolve("good");
    String goodSha = TestBundles.write(good, 9);
    updates.pipeInput("candor", update("good", good, goodSha));
    CandorTopologyTest.await(() -> "good".equals(model.version()), "the good update");
    assertExplainedWith("good");
    // the loader counts the swap after it closed the old model, which may lag the version
    CandorTopologyTest.await(() -> swaps("applied") == 1.0, "the applied swap counted");
  }

  private void refuse(ModelUpdate u, int refusedSoFar, String version) throws Exception {
    updates.pipeInput("candor", u);
    CandorTopologyTest.await(
        () -> swaps("refused") == refusedSoFar,
        "refusal #" + refusedSoFar + " (" + u.getVersion() + ")");
    assertEquals(version, model.version(), "still the running model after " + u.getVersion());
    assertExplainedWith(version);
  }

  private void assertExplainedWith(String version) {
    String id = "t-" + n++;
    texts.pipeInput(
        id.getBytes(StandardCharsets.UTF_8),
        "is the old model still here".getBytes(StandardCharsets.UTF_8));
    driver.advanceWallClockTime(Duration.ofMillis(DELAY_MS + 1));
    ExplainedPrediction p = predictions.readValue();
    assertEquals(id, p.getId());
    assertEquals(version, p.getModelVersion());
    assertTrue(predictions.isEmpty());
  }

  private double swaps(String outcome) {
    Counter c = registry.find("candor.model.swaps").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  /** A fresh valid bundle at {@code dir}, copied to a writable sibling directory. */
  private Path copy(Path dir, String name) throws IOException {
    TestBundles.write(dir, 7);
    Path out = tmp.resolve(name);
    Files.createDirectories(out);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Path target = out.resolve(f.getFileName());
        Files.copy(f, target);
        target.toFile().setWritable(true);
      }
    }
    return out;
  }

  private static String rewriteManifest(Path dir) throws IOException {
    StringBuilder m = new StringBuilder();
    for (String line : Files.readAllLines(dir.resolve(ModelBundle.MANIFEST))) {
      if (line.isBlank()) {
        continue;
      }
      String file = line.split("\\s+\\*?", 2)[1].trim();
      m.append(Hashing.sha256(dir.resolve(file))).append("  ").append(file).append('\n');
    }
    Files.writeString(dir.resolve(ModelBundle.MANIFEST), m.toString());
    return Hashing.sha256(dir.resolve(ModelBundle.MANIFEST));
  }

  private static ModelUpdate update(String version, Path dir, String sha) {
    return CandorTopologyTest.update(version, dir, sha);
  }
}
