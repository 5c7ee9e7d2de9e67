package dev.candor.model.soup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.CandorModel;
import dev.candor.model.DeviceChoice;
import dev.candor.model.TestModels;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.convert.ConvertedModel;
import dev.candor.model.data.Example;
import dev.candor.model.explain.Explainer;
import dev.candor.model.explain.Explanation;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.DataSource;
import dev.candor.model.provenance.Lineage;
import dev.candor.model.train.FineTuning;
import dev.candor.model.train.LabelledScoring;
import dev.candor.model.train.ToyTask;
import dev.candor.model.train.TrainingConfig;
import dev.candor.model.train.TrainingData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSoupTest {
  @TempDir static Path tmp;

  private static final List<DataSource> TRAIN =
      List.of(new DataSource("train", "/d/toy.jsonl", "ab".repeat(32), 96));
  private static final DataSource VALIDATION =
      new DataSource("validation", "/d/toy-val.jsonl", "ef".repeat(32), 64);
  private static final List<Example> VAL_ROWS = ToyTask.rows(64, 4);

  /** Two runs of one recipe at two seeds, and one taught the opposite labels; same start. */
  private static ModelBundle seedA;

  private static ModelBundle seedB;
  private static ModelBundle opposite;

  @BeforeAll
  static void train() throws IOException {
    List<Example> rows = ToyTask.rows(96, 3);
    seedA = fineTune(rows, 1, "a");
    seedB = fineTune(rows, 2, "b");
    opposite = fineTune(ToyTask.flipped(rows), 1, "opposite");
  }

  private static ModelBundle fineTune(List<Example> rows, long seed, String name)
      throws IOException {
    TrainingConfig c =
        TrainingConfig.builder()
            .setLearningRate(3e-3)
            .optEpochs(6)
            .optWeightDecay(0)
            .optSeed(seed)
            .optEvalBatchSize(32)
            .build();
    return trainAndRead(ToyTask.base(true, 2), c, rows, rows.subList(0, 32), name);
  }

  private static ModelBundle trainAndRead(
      ConvertedModel base,
      TrainingConfig config,
      List<Example> train,
      List<Example> validation,
      String name)
      throws IOException {
    FineTuning.builder()
        .setBase(base)
        .setConfig(config)
        .build()
        .run(new TrainingData(train, validation, TRAIN))
        .writeBundle(tmp.resolve(name));
    return ModelBundle.read(tmp.resolve(name));
  }

  private static ModelSoup.Builder soupOf(ModelBundle... bundles) {
    return ModelSoup.builder()
        .setIngredients(List.of(bundles))
        .setValidation(VAL_ROWS, VALIDATION)
        .optCommand("candor soup test");
  }

  @Test
  void shouldAverageTheWeightsIntoAModelWhoseExplanationsStayExact() throws IOException {
    Soup soup = soupOf(seedA, seedB).build().make();
    for (Map.Entry<String, TensorData> e : seedA.weights().entrySet()) {
      float[] a = e.getValue().values();
      float[] b = seedB.weights().get(e.getKey()).values();
      float[] mean = soup.weights().get(e.getKey()).values();
      assertArrayEquals(e.getValue().shape(), soup.weights().get(e.getKey()).shape());
      for (int i = 0; i < a.length; i++) {
        assertEquals((a[i] + (double) b[i]) / 2, mean[i], 1e-7, e.getKey() + "[" + i + "]");
      }
    }
    ModelBundle written = soup.writeBundle(tmp.resolve("soup-ab"));
    ModelBundle read = ModelBundle.read(written.dir());
    assertEquals(written.manifestSha256(), read.manifestSha256());
    assertEquals(seedA.provenance().lineage(), read.provenance().lineage());
    Map<String, Object> hyper = read.provenance().hyperParameters();
    assertEquals(List.of(seedA.version(), seedB.version()), hyper.get("soup_ingredients"));
    assertEquals("uniform", hyper.get("soup_recipe"));
    assertTrue(read.provenance().data().contains(VALIDATION), read.provenance().data().toString());
    assertTrue(read.provenance().data().containsAll(TRAIN));
    Map<?, ?> validation = (Map<?, ?>) read.metrics().get("validation");
    // two runs of a tiny random-start model need not share a basin; the soup still learned the task
    assertTrue((Double) validation.get("accuracy") > 0.75, validation.toString());
    assertEquals(2, ((List<?>) read.metrics().get("ingredients")).size());

    try (CandorModel m = CandorModel.fromBundle(read, null, DeviceChoice.CPU);
        Explainer explainer = new Explainer(m)) {
      assertEquals(
          validation.get("accuracy"),
          LabelledScoring.score(m, VAL_ROWS, 16).accuracy(),
          "metrics.json holds the written soup's own validation figures");
      for (Explanation x : explainer.explain(List.of("what an awful day", "lovely walks"))) {
        assertTrue(x.relativeResidual() < 1e-3, "residual " + x.residual());
      }
    }
  }

  @Test
  void shouldLeaveOutAnIngredientThatLowersTheValidationScoreWhenGreedy() {
    Soup uniform = soupOf(seedA, opposite).build().make();
    double uniformF1 = (Double) ((Map<?, ?>) uniform.metrics().get("validation")).get("macro_f1");
    double aloneF1 = macroF1OfIngredient(uniform, 0);
    assertTrue(
        uniformF1 < aloneF1,
        "averaging in the opposite model hurts: " + uniformF1 + " vs " + aloneF1);

    Soup greedy = soupOf(opposite, seedA).optRecipe(ModelSoup.Recipe.GREEDY).build().make();
    assertEquals(
        List.of(seedA.version()), greedy.provenance().hyperParameters().get("soup_ingredients"));
    for (Map.Entry<String, TensorData> e : seedA.weights().entrySet()) {
      assertArrayEquals(e.getValue().values(), greedy.weights().get(e.getKey()).values());
    }
    List<?> ingredients = (List<?>) greedy.metrics().get("ingredients");
    assertEquals(false, ((Map<?, ?>) ingredients.get(0)).get("in_soup"));
    assertEquals(true, ((Map<?, ?>) ingredients.get(1)).get("in_soup"));
    assertEquals("greedy", greedy.metrics().get("recipe"));
  }

  private static double macroF1OfIngredient(Soup soup, int i) {
    Map<?, ?> ingredient = (Map<?, ?>) ((List<?>) soup.metrics().get("ingredients")).get(i);
    return (Double) ((Map<?, ?>) ingredient.get("validation")).get("macro_f1");
  }

  @Test
  void shouldRefuseIngredientsThatCannotBeAveraged() throws IOException {
    IllegalArgumentException one =
        assertThrows(IllegalArgumentException.class, () -> soupOf(seedA).build());
    assertTrue(one.getMessage().contains("at least two"), one.getMessage());
    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> soupOf(seedA, seedA).build());
    assertTrue(twice.getMessage().contains("twice"), twice.getMessage());

    ConvertedModel t = ToyTask.base(true, 2);
    ConvertedModel otherWeights =
        new ConvertedModel(
            t.config(),
            TestModels.randomWeights(t.config(), 5),
            t.tokenizerJson(),
            Lineage.base("other test weights", "ef".repeat(32)),
            t.spec());
    ModelBundle otherStart =
        trainAndRead(otherWeights, ToyTask.config(1), VAL_ROWS, VAL_ROWS, "other-start");
    IllegalArgumentException start =
        assertThrows(IllegalArgumentException.class, () -> soupOf(seedA, otherStart).build());
    assertTrue(start.getMessage().contains("another start"), start.getMessage());

    ModelBundle conventional =
        trainAndRead(ToyTask.base(false, 2), ToyTask.config(1), VAL_ROWS, VAL_ROWS, "conventional");
    IllegalArgumentException arch =
        assertThrows(IllegalArgumentException.class, () -> soupOf(seedA, conventional).build());
    assertTrue(arch.getMessage().contains("architecture"), arch.getMessage());
  }
}
