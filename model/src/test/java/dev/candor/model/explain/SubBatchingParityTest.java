package dev.candor.model.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.TestModels;
import dev.candor.model.convert.BaseModels;
import dev.candor.model.convert.ConversionSpec;
import dev.candor.model.tokenize.SubBatchPlanner;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sub-batching changes only how texts are padded together, never a prediction or explanation. */
class SubBatchingParityTest {

  /** Mostly short texts and a few long ones, interleaved: the planner splits these. */
  static List<String> mixedTexts() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      if (i % 6 == 2) {
        texts.add(
            "this is a much longer text number "
                + i
                + " that goes on and on about nothing in particular, with many words, so that it"
                + " needs far more tokens than the others in the same batch");
      } else {
        texts.add(i % 2 == 0 ? "you are great " + i : "go away " + i + " nobody likes you");
      }
    }
    return texts;
  }

  @Test
  void shouldSplitTheMixedBatch() {
    try (CandorModel model = TestModels.tiny(true, 1.5, DataType.FLOAT32, 3)) {
      List<String> texts = mixedTexts();
      int[] lengths = texts.stream().mapToInt(t -> model.tokenizer().encode(t).length()).toArray();
      assertTrue(SubBatchPlanner.auto().plan(lengths, 32).size() > 1, "the test must split");
    }
  }

  @Test
  void shouldGiveTheSameResultsInFloat64() {
    try (CandorModel model = TestModels.tiny(true, 1.5, DataType.FLOAT64, 3)) {
      compare(model, 1e-10);
    }
  }

  @Test
  void shouldGiveTheSameResultsOnTheConvertedMiniLmToOneMillionth() {
    try (CandorModel model =
        BaseModels.bundledMiniLm(
                ConversionSpec.builder()
                    .setLabels(List.of("normal", "toxic"))
                    .optMaxLength(64)
                    .optHeadSeed(1)
                    .build())
            .toModel("bcos-minilm-untrained", Device.cpu(), DataType.FLOAT32)) {
      compare(model, 1e-6);
    }
  }

  private static void compare(CandorModel model, double tolerance) {
    List<String> texts = mixedTexts();
    try (Explainer whole = new Explainer(model, SubBatchPlanner.off(), 32);
        Explainer split = new Explainer(model, SubBatchPlanner.auto(), 32)) {
      List<Explanation> a = whole.explain(texts);
      List<Explanation> b = split.explain(texts);
      List<Prediction> pa = whole.predict(texts);
      List<Prediction> pb = split.predict(texts);
      assertEquals(texts.size(), b.size());
      double worst = 0;
      for (int i = 0; i < texts.size(); i++) {
        Explanation x = a.get(i);
        Explanation y = b.get(i);
        assertEquals(texts.get(i), y.text(), "output order");
        assertEquals(x.explained(), y.explained());
        assertEquals(x.prediction().predicted(), y.prediction().predicted());
        for (int c = 0; c < x.prediction().logits().length; c++) {
          worst =
              Math.max(worst, Math.abs(x.prediction().logits()[c] - y.prediction().logits()[c]));
          worst =
              Math.max(
                  worst,
                  Math.abs(x.prediction().probabilities()[c] - y.prediction().probabilities()[c]));
          worst = Math.max(worst, Math.abs(pa.get(i).logits()[c] - pb.get(i).logits()[c]));
          worst = Math.max(worst, Math.abs(pa.get(i).logits()[c] - x.prediction().logits()[c]));
        }
        assertEquals(x.tokens().size(), y.tokens().size());
        for (int j = 0; j < x.tokens().size(); j++) {
          worst =
              Math.max(
                  worst,
                  Math.abs(x.tokens().get(j).attribution() - y.tokens().get(j).attribution()));
        }
        assertEquals(x.words().size(), y.words().size());
        for (int j = 0; j < x.words().size(); j++) {
          worst =
              Math.max(
                  worst, Math.abs(x.words().get(j).attribution() - y.words().get(j).attribution()));
        }
        worst = Math.max(worst, Math.abs(x.residual() - y.residual()));
      }
      System.out.println("sub-batching parity: largest difference " + worst);
      assertTrue(worst <= tolerance, "largest difference " + worst + " > " + tolerance);
    }
  }
}
