package dev.candor.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.TestModels;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.convert.ConvertedModel;
import dev.candor.model.data.Example;
import dev.candor.model.provenance.DataSource;
import dev.candor.model.provenance.Lineage;
import dev.candor.model.provenance.ModelProvenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTuningTest {
  @TempDir Path tmp;

  private static final List<DataSource> SOURCES =
      List.of(new DataSource("train", "/d/toy.jsonl", "ab".repeat(32), 64));

  private static ConvertedModel tinyBase() {
    return ToyTask.base(true, 5);
  }

  /** Starting weights that learn the toy task in 6 epochs (those of FineTunerTest). */
  private static ConvertedModel learnableBase(boolean bcos) {
    return ToyTask.base(bcos, 2);
  }

  private static TrainingData toyData() {
    List<Example> rows = ToyTask.rows(64, 4);
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

  /**
   * With teacher weight 1 the student learns the teacher's function, not the labels: a conventional
   * teacher trained on the toy task with every label flipped makes a B-cos student that agrees with
   * the flipped labels, although it was given the original ones.
   */
  @Test
  void shouldFitTheTeachersProbabilitiesWhenDistilling() throws IOException {
    List<Example> rows = ToyTask.rows(96, 3);
    List<Example> flipped = new ArrayList<>();
    for (Example e : rows) {
      flipped.add(new Example(e.id(), e.text(), 1 - e.label(), null));
    }
    TrainingConfig config = ToyTask.config(6);
    TrainedModel teacher =
        FineTuning.builder()
            .setBase(learnableBase(false))
            .setConfig(config)
            .build()
            .run(new TrainingData(flipped, flipped, SOURCES));
    assertTrue(
        teacher.bestValidation().accuracy() > 0.9,
        "the teacher learned the flipped task: " + teacher.bestValidation().accuracy());
    ModelBundle teacherBundle = teacher.writeBundle(tmp.resolve("teacher"));

    TrainedModel student =
        FineTuning.builder()
            .setBase(learnableBase(true))
            .setConfig(config)
            .optTeacher(ModelBundle.read(tmp.resolve("teacher")), 1.0)
            .build()
            .run(new TrainingData(rows, flipped, SOURCES));
    assertTrue(
        student.bestValidation().accuracy() > 0.75,
        "the student follows the teacher, not the labels: " + student.bestValidation().accuracy());
    TrainedModel control =
        FineTuning.builder()
            .setBase(learnableBase(true))
            .setConfig(config)
            .build()
            .run(new TrainingData(rows, flipped, SOURCES));
    assertTrue(
        control.bestValidation().accuracy() < 0.6,
        "without the teacher the same run follows the labels (its best epoch on the flipped"
            + " validation is near chance): "
            + control.bestValidation().accuracy());
    Map<String, Object> hyper = student.provenance().hyperParameters();
    assertEquals(teacherBundle.version(), hyper.get("teacher"));
    assertEquals(teacherBundle.manifestSha256(), hyper.get("teacher_manifest_sha256"));
    assertEquals(1.0, hyper.get("teacher_weight"));
    assertTrue((Double) hyper.get("teacher_label_agreement") < 0.1, hyper.toString());
    assertTrue(hyper.get("loss").toString().contains("teacher"), hyper.toString());
    assertTrue(student.config().bcos(), "the student stays a B-cos model");
  }

  @Test
  void shouldRefuseATeacherWithOtherClassesOrAWeightOutOfRange() throws IOException {
    ModelBundle three =
        TestModels.writeBundle(tmp.resolve("three"), false, 1.0, 3, TestModels.THREE_LABELS);
    FineTuning.Builder b =
        FineTuning.builder().setBase(tinyBase()).setConfig(TrainingConfig.defaults(1e-4, 1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.optTeacher(three, 1.0).build());
    assertTrue(e.getMessage().contains("classes"), e.getMessage());
    ModelBundle two = TestModels.writeBundle(tmp.resolve("two"), false, 1.0, 3);
    assertThrows(IllegalArgumentException.class, () -> b.optTeacher(two, 0.0));
    assertThrows(IllegalArgumentException.class, () -> b.optTeacher(two, 1.5));
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
