package dev.candor.model.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.TestModels;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.convert.BaseModels;
import dev.candor.model.convert.ConversionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompletenessTest {
  private static final List<String> TEXTS =
      List.of(
          "you are a wonderful person",
          "go back to where you came from, nobody wants you here",
          "ok",
          "the quick brown fox jumps over the lazy dog and keeps running far away");

  @ParameterizedTest
  @ValueSource(doubles = {1.0, 1.25, 1.5, 2.0, 2.5})
  void shouldSumToLogitInFloat64ForEveryB(double b) {
    try (CandorModel model = TestModels.tiny(true, b, DataType.FLOAT64, 7);
        Explainer explainer = new Explainer(model)) {
      for (Explanation e : explainer.explain(TEXTS)) {
        assertTrue(
            e.relativeResidual() < 1e-8,
            "B=" + b + " residual " + e.residual() + " logit " + e.explainedLogit());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.0, 1.5, 2.5})
  void shouldSumToLogitInFloat32(double b) {
    try (CandorModel model = TestModels.tiny(true, b, DataType.FLOAT32, 11);
        Explainer explainer = new Explainer(model)) {
      for (Explanation e : explainer.explain(TEXTS)) {
        assertTrue(e.relativeResidual() < 1e-3, "B=" + b + " relative " + e.relativeResidual());
      }
    }
  }

  @Test
  void shouldGiveExactlyZeroToPaddingAndMatchOneByOne() {
    try (CandorModel model = TestModels.tiny(true, 1.5, DataType.FLOAT64, 3);
        Explainer explainer = new Explainer(model)) {
      List<Explanation> batched = explainer.explain(TEXTS);
      for (int i = 0; i < TEXTS.size(); i++) {
        Explanation alone = explainer.explain(List.of(TEXTS.get(i))).get(0);
        Explanation inBatch = batched.get(i);
        assertEquals(alone.tokens().size(), inBatch.tokens().size());
        for (int j = 0; j < alone.tokens().size(); j++) {
          assertEquals(
              alone.tokens().get(j).attribution(), inBatch.tokens().get(j).attribution(), 1e-10);
        }
        assertEquals(alone.explainedLogit(), inBatch.explainedLogit(), 1e-10);
      }
    }
  }

  @Test
  void shouldExplainARequestedClass() {
    try (CandorModel model = TestModels.tiny(true, 1.5, DataType.FLOAT64, 5);
        Explainer explainer = new Explainer(model)) {
      List<Explanation> forZero = explainer.explain(TEXTS, new int[] {0, 0, 0, 0});
      List<Explanation> forOne = explainer.explain(TEXTS, new int[] {1, 1, 1, 1});
      for (int i = 0; i < TEXTS.size(); i++) {
        assertEquals(0, forZero.get(i).explained());
        assertEquals(1, forOne.get(i).explained());
        assertTrue(forZero.get(i).relativeResidual() < 1e-8);
        assertTrue(forOne.get(i).relativeResidual() < 1e-8);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.0, 1.5, 2.5})
  void shouldSumToTheLogitDifferenceForTheRelativeTarget(double b) {
    try (CandorModel model = TestModels.tiny(true, b, DataType.FLOAT64, 17);
        Explainer relative = new Explainer(model, ExplanationTarget.RELATIVE)) {
      for (Explanation e : relative.explain(TEXTS)) {
        double[] z = e.prediction().logits();
        double difference = z[e.explained()] - z[1 - e.explained()];
        double sum = e.tokens().stream().mapToDouble(TokenAttribution::attribution).sum();
        assertEquals(ExplanationTarget.RELATIVE, e.target());
        assertEquals(difference, e.explainedValue(), 1e-12);
        assertEquals(difference, sum, 1e-8 * Math.max(1, Math.abs(difference)));
        assertTrue(e.relativeResidual() < 1e-8, "B=" + b + " " + e.relativeResidual());
      }
    }
  }

  @Test
  void shouldEqualTheDifferenceOfTheTwoLogitExplanations() {
    try (CandorModel model = TestModels.tiny(true, 1.5, DataType.FLOAT64, 19);
        Explainer logit = new Explainer(model);
        Explainer relative = new Explainer(model, ExplanationTarget.RELATIVE)) {
      List<Explanation> rel = relative.explain(TEXTS);
      List<Explanation> forZero = logit.explain(TEXTS, new int[] {0, 0, 0, 0});
      List<Explanation> forOne = logit.explain(TEXTS, new int[] {1, 1, 1, 1});
      for (int i = 0; i < TEXTS.size(); i++) {
        int c = rel.get(i).explained();
        List<Explanation> mine = c == 0 ? forZero : forOne;
        List<Explanation> other = c == 0 ? forOne : forZero;
        for (int j = 0; j < rel.get(i).tokens().size(); j++) {
          assertEquals(
              mine.get(i).tokens().get(j).attribution()
                  - other.get(i).tokens().get(j).attribution(),
              rel.get(i).tokens().get(j).attribution(),
              1e-9);
        }
      }
    }
  }

  @Test
  void shouldSubtractTheMeanOfTheOtherLogitsWithThreeClasses() {
    ModelConfig three =
        TestModels.tinyConfig(true, 1.5).toBuilder()
            .setLabels(List.of("normal", "offensive", "hate"))
            .build();
    try (CandorModel model =
            CandorModel.of(
                three,
                TestModels.randomWeights(three, 23),
                dev.candor.model.internals.convert.MiniLmImporter.tokenizerJson(),
                "tiny-three",
                Device.cpu(),
                DataType.FLOAT64);
        Explainer relative = new Explainer(model, ExplanationTarget.RELATIVE)) {
      for (int c = 0; c < 3; c++) {
        int[] targets = {c, c, c, c};
        for (Explanation e : relative.explain(TEXTS, targets)) {
          double[] z = e.prediction().logits();
          double others = 0;
          for (int j = 0; j < 3; j++) {
            others += j == c ? 0 : z[j] / 2.0;
          }
          double sum = e.tokens().stream().mapToDouble(TokenAttribution::attribution).sum();
          assertEquals(z[c] - others, sum, 1e-8 * Math.max(1, Math.abs(z[c] - others)));
          assertTrue(e.relativeResidual() < 1e-8);
        }
      }
    }
  }

  @Test
  void shouldParseTargetsAndRefuseOthers() {
    assertEquals(ExplanationTarget.RELATIVE, ExplanationTarget.parse(" Relative "));
    assertEquals(ExplanationTarget.LOGIT, ExplanationTarget.parse("logit"));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> ExplanationTarget.parse("probability"));
    assertEquals(
        List.of(1.0, -0.5, -0.5),
        java.util.Arrays.stream(ExplanationTarget.RELATIVE.weights(3, 0)).boxed().toList());
  }

  @org.junit.jupiter.api.Tag("slow")
  @ParameterizedTest
  @ValueSource(strings = {"FLOAT32", "FLOAT64"})
  void shouldSumToLogitOnTheConvertedMiniLm(String dtype) {
    DataType type = DataType.valueOf(dtype);
    double tolerance = type == DataType.FLOAT64 ? 1e-8 : 1e-3;
    for (double b : new double[] {1.25, 2.0}) {
      try (CandorModel model =
              BaseModels.bundledMiniLm(
                      ConversionSpec.builder()
                          .setLabels(List.of("normal", "toxic"))
                          .optB(b)
                          .optMaxLength(64)
                          .optHeadSeed(1)
                          .build())
                  .toModel("bcos-minilm-untrained", Device.cpu(), type);
          Explainer explainer = new Explainer(model)) {
        List<Explanation> all = explainer.explain(TEXTS);
        for (Explanation e : all) {
          assertTrue(
              e.relativeResidual() < tolerance,
              dtype + " B=" + b + " relative residual " + e.relativeResidual());
        }
        assertEquals(0, explainer.completenessViolations());
      }
    }
  }
}
