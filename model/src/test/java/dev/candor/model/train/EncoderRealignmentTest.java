package dev.candor.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.convert.BaseModels;
import dev.candor.model.convert.ConversionSpec;
import dev.candor.model.convert.ConvertedModel;
import dev.candor.model.data.Example;
import dev.candor.model.explain.Explainer;
import dev.candor.model.explain.Explanation;
import dev.candor.model.nn.GradMode;
import dev.candor.model.provenance.DataSource;
import dev.candor.model.tokenize.PaddedBatch;
import dev.candor.model.tokenize.TokenizedText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderRealignmentTest {
  @TempDir Path tmp;

  private static final List<String> LABELS = List.of("normal", "toxic");

  private static final List<String> FITTED =
      List.of(
          "you are a wonderful person and i am glad we met",
          "go back to where you came from nobody wants you here",
          "the weather was lovely so we walked along the river",
          "i cannot believe how stupid that referee was tonight",
          "thanks for the help with my homework yesterday",
          "people like you should not be allowed to vote",
          "the new library opens next monday at nine",
          "shut up and get out of my country",
          "my grandmother makes the best apple pie in town",
          "that movie was a complete waste of two hours",
          "we are meeting at the station after work",
          "nobody cares about your opinion you idiot",
          "the children played football in the park all afternoon",
          "i hope you have a great birthday party",
          "those people ruin every neighbourhood they move into",
          "please send me the report before friday");

  private static final List<String> HELD_OUT =
      List.of(
          "the train was late again this morning",
          "you people make me sick",
          "she painted the fence a bright shade of blue",
          "i will never forgive what they did to us");

  private static final TrainingConfig FIT =
      TrainingConfig.builder()
          .setLearningRate(1e-4) // the task's; the re-alignment has its own
          .optBatchSize(8)
          .optWeightDecay(0.01)
          .optSeed(5)
          .build();

  /**
   * The fit moves the converted B-cos MiniLM's last hidden states towards the pre-trained
   * encoder's, on the texts it saw and on others, and the model it leaves explains itself exactly.
   */
  @Test
  void shouldBringTheBcosMiniLmCloserToThePreTrainedOneAndStayExact() {
    ConvertedModel bcos = BaseModels.bundledMiniLm(new ConversionSpec(true, 1.5, LABELS, 32, 3));
    ConvertedModel conventional =
        BaseModels.bundledMiniLm(new ConversionSpec(false, 1.0, LABELS, 32, 3));
    EncoderRealignment realignment = new EncoderRealignment(conventional, 4, 1e-3);
    realignment.checkStudent(bcos.config(), bcos.tokenizerJson());
    Map<String, Object> settings;
    try (CandorModel student = bcos.toModel("student", Device.cpu(), DataType.FLOAT32);
        CandorModel reference = conventional.toModel("target", Device.cpu(), DataType.FLOAT32)) {
      double fittedBefore = distance(student, reference, FITTED);
      double heldBefore = distance(student, reference, HELD_OUT);
      EncoderRealignment.Fit fit =
          realignment.fit(student, examples(FITTED), FIT, Device.cpu(), TrainingListener.NONE);
      double fittedAfter = distance(student, reference, FITTED);
      double heldAfter = distance(student, reference, HELD_OUT);
      assertEquals(8, fit.steps(), "2 batches of 8 texts, 4 passes");
      assertEquals(4, fit.epochLoss().size());
      assertTrue(
          fittedAfter < 0.8 * fittedBefore,
          "1 - cos on the fitted texts " + fittedBefore + " -> " + fittedAfter);
      assertTrue(
          heldAfter < heldBefore, "1 - cos on held-out texts " + heldBefore + " -> " + heldAfter);
      assertTrue(fit.epochLoss().get(3) < fit.epochLoss().get(0), fit.toString());
      settings = realignment.asMap(fit);

      try (CandorModel exact =
              CandorModel.of(
                  student.config(),
                  student.network().snapshot(),
                  student.tokenizerJson(),
                  "realigned",
                  Device.cpu(),
                  DataType.FLOAT64);
          Explainer explainer = new Explainer(exact)) {
        for (Explanation e : explainer.explain(HELD_OUT)) {
          assertTrue(e.relativeResidual() < 1e-8, "residual " + e.residual());
        }
      }
    }
    assertEquals(4, settings.get("realign_epochs"));
    assertEquals(1e-3, settings.get("realign_peak_learning_rate"));
    assertTrue(settings.get("realign_target").toString().contains("MiniLM"), settings.toString());
  }

  @Test
  void shouldRecordTheFitInTheProvenanceOfATrainedModel() throws IOException {
    List<Example> rows = ToyTask.rows(32, 4);
    TrainedModel m =
        FineTuning.builder()
            .setBase(ToyTask.base(true, 2))
            .setConfig(ToyTask.config(1))
            .optRealignment(new EncoderRealignment(ToyTask.base(false, 2), 2, 1e-3))
            .build()
            .run(new TrainingData(rows, rows.subList(0, 16), sources()));
    Map<String, Object> hyper = m.provenance().hyperParameters();
    assertEquals(2, hyper.get("realign_epochs"));
    assertEquals(4L, hyper.get("realign_steps"), "2 batches of 16, twice");
    assertEquals(2, ((List<?>) hyper.get("realign_loss_by_epoch")).size());
    double finalLoss = (Double) hyper.get("realign_final_loss");
    assertTrue(finalLoss > 0 && finalLoss < 2, hyper.toString());
    m.writeBundle(tmp.resolve("realigned"));
    assertEquals(
        hyper.get("realign_final_loss"),
        ModelBundle.read(tmp.resolve("realigned"))
            .provenance()
            .hyperParameters()
            .get("realign_final_loss"));
  }

  @Test
  void shouldRefuseWhatCannotBeRealigned() throws IOException {
    ConvertedModel tinyBcos = ToyTask.base(true, 2);
    ConvertedModel tinyConventional = ToyTask.base(false, 2);
    assertThrows(IllegalArgumentException.class, () -> new EncoderRealignment(tinyBcos, 1, 1e-3));
    assertThrows(
        IllegalArgumentException.class, () -> new EncoderRealignment(tinyConventional, 0, 1e-3));
    assertThrows(
        IllegalArgumentException.class, () -> new EncoderRealignment(tinyConventional, 1, 0));
    EncoderRealignment toTiny = new EncoderRealignment(tinyConventional, 1, 1e-3);
    IllegalArgumentException conventionalStudent =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FineTuning.builder()
                    .setBase(tinyConventional)
                    .setConfig(ToyTask.config(1))
                    .optRealignment(toTiny)
                    .build());
    assertTrue(conventionalStudent.getMessage().contains("B-cos"));
    ConvertedModel miniLm = BaseModels.bundledMiniLm(new ConversionSpec(true, 1.5, LABELS, 32, 3));
    IllegalArgumentException otherSize =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FineTuning.builder()
                    .setBase(miniLm)
                    .setConfig(ToyTask.config(1))
                    .optRealignment(toTiny)
                    .build());
    assertTrue(otherSize.getMessage().contains("hidden size"), otherSize.getMessage());
    ModelBundle parent =
        FineTuning.builder()
            .setBase(tinyBcos)
            .setConfig(ToyTask.config(1))
            .build()
            .run(new TrainingData(ToyTask.rows(16, 1), ToyTask.rows(16, 2), sources()))
            .writeBundle(tmp.resolve("parent"));
    IllegalArgumentException fromParent =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FineTuning.builder()
                    .setParent(parent)
                    .setConfig(ToyTask.config(1))
                    .optRealignment(toTiny)
                    .build());
    assertTrue(fromParent.getMessage().contains("converted base"), fromParent.getMessage());
  }

  private static List<DataSource> sources() {
    return List.of(new DataSource("train", "/d/toy.jsonl", "ab".repeat(32), 32));
  }

  private static List<Example> examples(List<String> texts) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      out.add(new Example(String.valueOf(i), texts.get(i), i % 2, null));
    }
    return out;
  }

  /** Mean over real tokens of 1 − cos between the two encoders' last hidden states. */
  private static double distance(CandorModel student, CandorModel reference, List<String> texts) {
    GradMode.disableForThisThread();
    List<TokenizedText> tokenized = new ArrayList<>();
    for (String t : texts) {
      tokenized.add(student.tokenizer().encode(t));
    }
    PaddedBatch batch = PaddedBatch.of(tokenized, student.tokenizer().padId());
    try (NDScope ignored = new NDScope()) {
      NDArray mine = EncoderRealignment.lastHidden(student.network(), batch);
      NDArray wanted = EncoderRealignment.lastHidden(reference.network(), batch);
      return EncoderRealignment.oneMinusCosine(mine, wanted, batch)
          .toType(DataType.FLOAT64, false)
          .getDouble();
    }
  }
}
