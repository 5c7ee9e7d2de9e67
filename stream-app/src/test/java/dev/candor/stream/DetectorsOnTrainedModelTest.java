package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.candor.model.DeviceChoice;
import dev.candor.model.explain.Explanation;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.SpuriousFlag;
import dev.candor.stream.flags.ArtifactTokenRule;
import dev.candor.stream.flags.FlagContext;
import dev.candor.stream.flags.FlagEvaluator;
import dev.candor.stream.flags.IdentityTermRule;
import dev.candor.stream.serving.ModelHandle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The default detectors on a really trained model, if one is cached where {@code candor} keeps them
 * ({@code -Dcandor.home} or {@code $CANDOR_HOME}, plus {@code /models}, else {@code
 * ~/.candor/models}; the full default model or the quick one {@code candor quickstart} trains).
 * Skipped, never trained, when none is there.
 */
@Tag("slow")
class DetectorsOnTrainedModelTest {

  private static final List<String> BUNDLES =
      List.of("bcos-b1.5-minilm-hatexplain", "bcos-b1.5-minilm-hatexplain-quick");

  private static ModelHandle model;
  private static FlagEvaluator evaluator;

  static Optional<Path> cachedBundle() {
    String home = System.getProperty("candor.home", System.getenv("CANDOR_HOME"));
    Path models =
        (home != null && !home.isBlank()
                ? Path.of(home)
                : Path.of(System.getProperty("user.home"), ".candor"))
            .resolve("models");
    return BUNDLES.stream()
        .map(models::resolve)
        .filter(p -> Files.exists(p.resolve("MANIFEST.sha256")))
        .findFirst();
  }

  @BeforeAll
  static void load() throws Exception {
    Optional<Path> bundle = cachedBundle();
    assumeTrue(
        bundle.isPresent(),
        "no trained bundle cached under ~/.candor/models (or $CANDOR_HOME/models): run"
            + " `bin/candor quickstart` once to train the quick model; this test never trains");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    model = ModelHandle.load(bundle.get(), DeviceChoice.CPU, registry);
    StreamAppConfig defaults =
        new StreamAppConfig(
            Map.of(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundle.get().toString()));
    evaluator = new FlagEvaluator(defaults.flagRules(), registry);
  }

  @AfterAll
  static void close() {
    if (model != null) {
      model.close();
    }
  }

  private static List<SpuriousFlag> flags(String text) {
    ModelHandle.ExplainedBatch b = model.explain(List.of(text));
    Explanation e = b.explanations().get(0);
    List<SpuriousFlag> flags =
        evaluator.flags(List.of(e), FlagContext.of(model, b.modelVersion(), w -> 0)).get(0);
    System.out.printf(
        "%s -> %s %.3f, flags %s%n",
        text,
        e.prediction().label(),
        e.prediction().probabilities()[e.prediction().predicted()],
        flags.stream().map(f -> f.getType() + ": " + f.getDetail()).toList());
    return flags;
  }

  private static Stream<SpuriousFlag> ofType(List<SpuriousFlag> flags, String type) {
    return flags.stream().filter(f -> f.getType().equals(type));
  }

  @Test
  void shouldFlagEvidenceOnTheUserPlaceholder() {
    List<SpuriousFlag> flags = flags("<user> i love this song");
    SpuriousFlag f =
        ofType(flags, ArtifactTokenRule.TYPE)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no artifact-tokens flag: " + flags));
    assertEquals(List.of(new CharSpan(0, 6)), f.getSpans());
  }

  @Test
  void shouldFlagAToxicVerdictRestingOnAnIdentityTerm() {
    List<SpuriousFlag> flags = flags("muslims are ruining this country");
    SpuriousFlag f =
        ofType(flags, IdentityTermRule.TYPE)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no identity-term flag: " + flags));
    assertTrue(f.getSpans().contains(new CharSpan(0, 7)), f.getSpans().toString());
  }

  @Test
  void shouldNotFlagANeutralText() {
    assertEquals(List.of(), flags("what a lovely sunny day"));
  }
}
