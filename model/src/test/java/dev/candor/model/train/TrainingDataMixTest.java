package dev.candor.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.TestModels;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.convert.ConversionSpec;
import dev.candor.model.convert.ConvertedModel;
import dev.candor.model.data.Example;
import dev.candor.model.data.IdentityTerms;
import dev.candor.model.data.JsonlDataset;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.provenance.DataSource;
import dev.candor.model.provenance.Lineage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataMixTest {
  @TempDir Path tmp;

  private JsonlDataset write(String name, List<Example> rows, String toxicName) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Example e : rows) {
      sb.append(
          String.format(
              "{\"id\":\"%s\",\"text\":\"%s\",\"label\":%d,\"label_name\":\"%s\"}%n",
              e.id(), e.text(), e.label(), e.label() == 1 ? toxicName : "normal"));
    }
    Path f = tmp.resolve(name);
    Files.writeString(f, sb);
    return JsonlDataset.read(f);
  }

  private TrainingData.Source source(String name, int n, long seed, double weight)
      throws IOException {
    List<Example> rows = ToyTask.rows(n, seed);
    return new TrainingData.Source(
        name,
        write(name + "-train.jsonl", rows, "toxic"),
        write(name + "-val.jsonl", rows.subList(0, n / 2), "toxic"),
        weight);
  }

  @Test
  void shouldKeepASingleUnweightedSourceExactlyAsBefore() throws IOException {
    TrainingData.Source a = source("a", 40, 1, 1.0);
    assertEquals(TrainingData.of(a.train(), a.validation()), TrainingData.mix(List.of(a), 3));
  }

  @Test
  void shouldMixSourcesByWeightAndRecordEveryFile() throws IOException {
    TrainingData.Source a = source("a", 40, 1, 1.0);
    TrainingData.Source b = source("b", 60, 2, 0.5);
    TrainingData d = TrainingData.mix(List.of(a, b), 3);
    assertEquals(70, d.train().size());
    assertTrue(d.train().containsAll(a.train().examples()), "weight 1: every row of a");
    assertEquals(a.validation().examples(), d.validation(), "the first source picks the epoch");
    assertEquals(List.of("a", "b"), List.copyOf(d.validationBySource().keySet()));
    assertEquals(
        List.of("train", "validation", "train:b", "validation:b"),
        d.sources().stream().map(DataSource::role).toList());
    for (DataSource s : d.sources()) {
      assertEquals(64, s.sha256().length());
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> mix = (List<Map<String, Object>>) d.preparation().get("data_mix");
    assertEquals(0.5, mix.get(1).get("weight"));
    assertEquals(30, mix.get(1).get("train_rows_used"));
    assertEquals(d.train(), TrainingData.mix(List.of(a, b), 3).train(), "seeded");
  }

  @Test
  void shouldRefuseSourcesThatNameALabelDifferently() throws IOException {
    TrainingData.Source a = source("a", 20, 1, 1.0);
    List<Example> rows = ToyTask.rows(20, 5);
    TrainingData.Source odd =
        new TrainingData.Source(
            "odd", write("o-t.jsonl", rows, "hate"), write("o-v.jsonl", rows, "hate"), 1.0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TrainingData.mix(List.of(a, odd), 1));
    assertTrue(e.getMessage().contains("'hate'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TrainingData.mix(List.of(a, a), 1));
  }

  @Test
  void shouldScoreEverySourceAndRecordAugmentationInTheBundle() throws IOException {
    TrainingData.Source a = source("a", 64, 1, 1.0);
    TrainingData.Source b = source("b", 64, 2, 0.5);
    TrainingData d =
        TrainingData.mix(List.of(a, b), 3)
            .withIdentityAugmentation(
                1.0,
                4,
                IdentityTerms.parse(
                    List.of("weather\tsg\tw\tweather", "weather\tsg\tx\tclimate"), "toy lexicon"));
    assertTrue(d.train().size() > 96, "copies added: " + d.train().size());
    ModelConfig c = TestModels.tinyConfig(true, 1.5);
    ConvertedModel base =
        new ConvertedModel(
            c,
            TestModels.randomWeights(c, 5),
            MiniLmImporter.tokenizerJson(),
            Lineage.base("random test weights", "cd".repeat(32)),
            new ConversionSpec(true, 1.5, c.labels(), c.maxLength(), 5));
    TrainedModel m =
        FineTuning.builder()
            .setBase(base)
            .setConfig(
                TrainingConfig.builder()
                    .setLearningRate(3e-3)
                    .optEpochs(1)
                    .optEvalBatchSize(32)
                    .optLimitValidation(20)
                    .build())
            .build()
            .run(d);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> by =
        (Map<String, Map<String, Object>>) m.metrics().get("validation_by_source");
    assertEquals(List.of("a", "b"), List.copyOf(by.keySet()));
    assertEquals(20, by.get("b").get("n"), "the validation limit applies to each source");
    assertEquals(m.bestValidation().accuracy(), by.get("a").get("accuracy"));
    assertEquals(1, m.result().bestOtherValidation().size());
    Map<String, Object> hyper = m.provenance().hyperParameters();
    assertTrue(hyper.containsKey("data_mix"), hyper.toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> aug = (Map<String, Object>) hyper.get("identity_augmentation");
    assertEquals(1.0, aug.get("share"));
    assertEquals(d.train().size() - 96, aug.get("added_rows"));
    assertEquals(
        "identity-lexicon", m.provenance().data().get(m.provenance().data().size() - 1).role());
  }
}
