package dev.candor.model.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.TestModels;
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
