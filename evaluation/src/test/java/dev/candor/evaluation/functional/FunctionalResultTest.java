package dev.candor.evaluation.functional;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.TestModels;
import dev.candor.model.data.Example;
import dev.candor.model.explain.Prediction;
import dev.candor.model.train.LabelledScoring;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionalResultTest {
  private static final FunctionalSuite SUITE =
      FunctionalSuite.parse(
          String.join(
                  "\n",
                  "group\tw\twomen\ta woman\tfemale",
                  "group\tm\tmen\ta man\tmale",
                  "case\tthreat\ttoxic\t{PL} should be shot.",
                  "case\tthreat\ttoxic\tI will hurt {A_SG}.",
                  "case\tneutral\tnormal\tI am {A_SG}.",
                  "case\tprofanity\tnormal\tHoly shit, what a day.")
              .getBytes(StandardCharsets.UTF_8),
          "t.tsv");

  @Test
  void shouldScoreAccuracyPerFunctionalityPerGroupAndOverall() {
    List<FunctionalSuite.Case> cases = SUITE.cases();
    // answer "toxic" for everything: threats right (4/4), the rest wrong (0/3)
    List<FunctionalResult.Outcome> all = new ArrayList<>();
    for (FunctionalSuite.Case c : cases) {
      all.add(new FunctionalResult.Outcome(c, true, 0.9));
    }
    FunctionalResult r = FunctionalResult.of(SUITE, all);
    assertEquals(7, r.n());
    assertEquals(4.0 / 7, r.accuracy(), 1e-12);
    assertEquals(List.of("threat", "neutral", "profanity"), names(r.byFunctionality()));
    assertEquals(1.0, r.byFunctionality().get(0).accuracy());
    assertEquals(0.0, r.byFunctionality().get(1).accuracy());
    assertEquals(1.0 / 3, r.meanOverFunctionalities(), 1e-12);
    assertEquals(List.of("w", "m", "(none)"), names(r.byGroup()));
    assertEquals(3, r.byGroup().get(0).n());
    assertEquals(2.0 / 3, r.byGroup().get(0).accuracy(), 1e-12);
    assertEquals(0.0, r.byGroup().get(2).accuracy());
    // all-toxic: every toxic-expected case right, no normal-expected one; balanced 0.5
    assertEquals(List.of("toxic", "normal"), names(r.byExpected()));
    assertEquals(4, r.byExpected().get(0).n());
    assertEquals(1.0, r.byExpected().get(0).accuracy());
    assertEquals(0.0, r.byExpected().get(1).accuracy());
    assertEquals(0.5, r.balancedAccuracy(), 1e-12);
    // one normal case right too: balanced (1 + 1/3) / 2
    List<FunctionalResult.Outcome> oneRight = new ArrayList<>(all);
    oneRight.set(4, new FunctionalResult.Outcome(cases.get(4), false, 0.1));
    assertEquals((1 + 1.0 / 3) / 2, FunctionalResult.of(SUITE, oneRight).balancedAccuracy(), 1e-12);
  }

  @Test
  void shouldTakeTheNonNormalClassesAsToxic() {
    assertEquals(0, FunctionalResult.benignClass(List.of("normal", "toxic")));
    assertEquals(2, FunctionalResult.benignClass(List.of("hatespeech", "offensive", "normal")));
    assertEquals(0, FunctionalResult.benignClass(List.of("negative", "positive")));
  }

  @Test
  void shouldAgreeWithTheModelsOwnPredictions() {
    try (CandorModel model = TestModels.tiny(true, 1.5, DataType.FLOAT32, 3)) {
      FunctionalResult r = FunctionalResult.evaluate(model, SUITE, done -> {});
      List<Example> rows = new ArrayList<>();
      for (FunctionalSuite.Case c : SUITE.cases()) {
        rows.add(new Example("x", c.text(), 0, null));
      }
      List<Prediction> p = LabelledScoring.predict(model, rows, 4, done -> {});
      int right = 0;
      for (int i = 0; i < rows.size(); i++) {
        boolean toxic = p.get(i).predicted() == 1;
        FunctionalResult.Outcome o = r.outcomes().get(i);
        assertEquals(toxic, o.predictedToxic(), o.testCase().text());
        // other batch sizes pad differently: float noise only
        assertEquals(p.get(i).probabilities()[1], o.toxicProbability(), 1e-5);
        right += toxic == SUITE.cases().get(i).expectedToxic() ? 1 : 0;
      }
      assertEquals((double) right / rows.size(), r.accuracy(), 1e-12);
    }
  }

  private static List<String> names(List<FunctionalResult.Row> rows) {
    return rows.stream().map(FunctionalResult.Row::name).toList();
  }
}
