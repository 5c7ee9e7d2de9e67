package dev.candor.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.TestModels;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.data.Example;
import dev.candor.model.explain.Explainer;
import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.TokenAttribution;
import dev.candor.model.internals.convert.MiniLmImporter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A tiny three-class B-cos model from training to per-class explanations and metrics. */
class ThreeClassTest {

  /** Class = which cue word the text holds: lovely (normal), awful (offensive), vile (hate). */
  static List<Example> toyRows(int n, long seed) {
    String[] filler = {"the", "weather", "today", "is", "quite", "a", "day", "for", "walks"};
    String[] cue = {"lovely", "awful", "vile"};
    Random r = new Random(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = i % 3;
      StringBuilder b = new StringBuilder();
      int len = 3 + r.nextInt(5);
      int at = r.nextInt(len);
      for (int j = 0; j < len; j++) {
        b.append(j == at ? cue[label] : filler[r.nextInt(filler.length)]).append(' ');
      }
      out.add(new Example(String.valueOf(i), b.toString().trim(), label, null));
    }
    return out;
  }

  @Test
  void shouldLearnThreeClassesAndExplainEachClassExactly() {
    List<Example> rows = toyRows(96, 4);
    ModelConfig config;
    FineTuner.Result result;
    ClassificationMetrics before;
    try (CandorModel model =
        TestModels.tiny(true, 1.5, DataType.FLOAT32, 2, TestModels.THREE_LABELS)) {
      config = model.config();
      assertEquals(3, config.numLabels());
      before = LabelledScoring.score(model, rows, 32);
      TrainingConfig c =
          TrainingConfig.builder()
              .setLearningRate(3e-3)
              .optEpochs(15)
              .optWeightDecay(0)
              .optSeed(1)
              .optEvalBatchSize(32)
              .build();
      result = new FineTuner(c, null).train(model, rows, rows);
    }
    ClassificationMetrics m = result.bestValidation();
    assertTrue(
        m.accuracy() > 0.9, "accuracy " + m.accuracy() + " (before " + before.accuracy() + ")");
    // the metrics are three-class ones: a 3×3 confusion matrix whose rows are the supports
    assertEquals(3, m.confusion().length);
    int total = 0;
    for (int c = 0; c < 3; c++) {
      assertEquals(3, m.confusion()[c].length);
      assertEquals(32, m.support(c));
      total += Arrays.stream(m.confusion()[c]).sum();
    }
    assertEquals(96, total);
    double meanF1 = (m.perClassF1()[0] + m.perClassF1()[1] + m.perClassF1()[2]) / 3;
    assertEquals(meanF1, m.macroF1(), 1e-12);
    assertTrue(m.auroc() > 0.9 && m.auroc() <= 1.0, "one-vs-one AUROC " + m.auroc());

    // the trained weights in float64: every class's explanation sums to that class's logit
    try (CandorModel exact =
            CandorModel.of(
                config,
                result.bestWeights(),
                MiniLmImporter.tokenizerJson(),
                "three-class",
                Device.cpu(),
                DataType.FLOAT64);
        Explainer explainer = new Explainer(exact)) {
      List<String> texts = List.of("a lovely day", "awful weather today", "vile walks");
      List<Explanation> predicted = explainer.explain(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertEquals(i, predicted.get(i).prediction().predicted(), texts.get(i));
        assertEquals(i, predicted.get(i).explained(), "default: the predicted class");
        assertEquals(3, predicted.get(i).prediction().probabilities().length);
      }
      double[][] cueAttribution = new double[3][];
      for (int c = 0; c < 3; c++) {
        int[] targets = new int[texts.size()];
        Arrays.fill(targets, c);
        List<Explanation> ex = explainer.explain(texts, targets);
        cueAttribution[c] = new double[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
          Explanation e = ex.get(i);
          assertEquals(c, e.explained());
          double sum = e.tokens().stream().mapToDouble(TokenAttribution::attribution).sum();
          double logit = e.prediction().logits()[c];
          assertEquals(
              logit, sum, 1e-9 * Math.max(1, Math.abs(logit)), texts.get(i) + " class " + c);
          assertTrue(e.relativeResidual() < 1e-8, "residual " + e.residual());
          cueAttribution[c][i] = cueWord(e, i);
        }
      }
      // each cue word supports its own class more than the classes it is not evidence for
      for (int i = 0; i < texts.size(); i++) {
        for (int c = 0; c < 3; c++) {
          if (c != i) {
            assertTrue(
                cueAttribution[i][i] > cueAttribution[c][i],
                "cue of class "
                    + i
                    + " for class "
                    + c
                    + ": "
                    + Arrays.toString(cueAttribution[c]));
          }
        }
      }
      assertNotEquals(cueAttribution[0][0], cueAttribution[1][0]);
    }
  }

  private static double cueWord(Explanation e, int cls) {
    String cue = List.of("lovely", "awful", "vile").get(cls);
    return e.words().stream()
        .filter(w -> w.word().equals(cue))
        .mapToDouble(w -> w.attribution())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no word " + cue + " in " + e.words()));
  }
}
