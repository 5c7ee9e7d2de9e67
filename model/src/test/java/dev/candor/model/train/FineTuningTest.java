package dev.candor.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.TestModels;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.convert.ConversionSpec;
import dev.candor.model.convert.ConvertedModel;
import dev.candor.model.data.Example;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.provenance.DataSource;
import dev.candor.model.provenance.Lineage;
import dev.candor.model.provenance.ModelProvenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTuningTest {
  @TempDir Path tmp;

  private static final List<DataSource> SOURCES =
      List.of(new DataSource("train", "/d/toy.jsonl", "ab".repeat(32), 64));

  private static ConvertedModel tinyBase() {
    ModelConfig c = TestModels.tinyConfig(true, 1.5);
    return new ConvertedModel(
        c,
        TestModels.randomWeights(c, 5),
        MiniLmImporter.tokenizerJson(),
        Lineage.base("random test weights", "cd".repeat(32)),
        new ConversionSpec(true, 1.5, c.labels(), c.maxLength(), 5));
  }

  private static TrainingData toyData() {
    List<Example> rows = FineTunerTest.toyRows(64, 4);
    return new TrainingData(rows, rows.subList(0, 32), SOURCES);
  }

  @Test
  void shouldReturnAModelThatCarriesItsProvenanceIntoTheBundle() throws IOException {
    TrainingConfig config =
        TrainingConfig.builder()
            .setLearningRate(3e-3)
            .optWeightDecay(0)
            .optSeed(9)
            .optEvalBatchSize(32)
            .build();
    TrainedModel m =
        FineTuning.builder()
            .setBase(tinyBase())
            .setConfig(config)
            .optCommand("candor train --epochs 2")
            .build()
            .run(toyData());
    ModelProvenance p = m.provenance();
    assertEquals("candor train --epochs 2", p.command());
    assertEquals(SOURCES, p.data());
    assertEquals(tinyBase().lineage(), p.lineage());
    assertEquals(3e-3, p.hyperParameters().get("learning_rate"));
    assertEquals(5L, p.hyperParameters().get("head_init_seed"));
    assertEquals(2, p.hyperParameters().get("epochs"));
    assertTrue(p.environment().containsKey("djl"), p.environment().toString());
    assertEquals(2, ((List<?>) m.metrics().get("history")).size());
    assertEquals(m.result().bestEpoch(), m.metrics().get("best_epoch"));

    ModelBundle written = m.writeBundle(tmp.resolve("child"));
    ModelBundle read = ModelBundle.read(tmp.resolve("child"));
    assertEquals(written.manifestSha256(), read.manifestSha256());
    assertEquals(p.command(), read.provenance().command());
    assertEquals(p.data(), read.provenance().data());
    assertEquals(m.bestValidation().accuracy(), validation(read).get("accuracy"));
  }

  @Test
  void shouldRecordTheParentBundleWhenContinuingFromOne() throws IOException {
    ModelBundle parent =
        FineTuning.builder()
            .setBase(tinyBase())
            .setConfig(
                TrainingConfig.builder()
                    .setLearningRate(1e-3)
                    .optEpochs(1)
                    .optWarmupFraction(0)
                    .optWeightDecay(0)
                    .optSeed(1)
                    .optEvalBatchSize(32)
                    .build())
            .build()
            .run(toyData())
            .writeBundle(tmp.resolve("parent"));
    TrainedModel child =
        FineTuning.builder()
            .setParent(ModelBundle.read(tmp.resolve("parent")))
            .setConfig(
                TrainingConfig.builder()
                    .setLearningRate(1e-3)
                    .optEpochs(1)
                    .optWarmupFraction(0)
                    .optWeightDecay(0)
                    .optSeed(2)
                    .optEvalBatchSize(32)
                    .build())
            .optCommand("trainer round 1")
            .build()
            .run(toyData());
    Lineage l = child.provenance().lineage();
    assertEquals(parent.version(), l.parentBundle());
    assertEquals(parent.manifestSha256(), l.parentManifestSha256());
    assertEquals("random test weights", l.baseModel(), "the base weights are carried over");
    assertEquals(true, child.provenance().hyperParameters().get("bcos"));
  }

  @Test
  void shouldRefuseToBuildWithoutAStartOrAConfig() {
    assertThrows(
        IllegalStateException.class,
        () -> FineTuning.builder().setConfig(TrainingConfig.defaults(1e-4, 1)).build());
    assertThrows(
        IllegalStateException.class, () -> FineTuning.builder().setBase(tinyBase()).build());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> validation(ModelBundle b) {
    return (Map<String, Object>) b.metrics().get("validation");
  }
}
