package dev.candor.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.TestModels;
import dev.candor.model.data.Example;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FineTunerTest {

  @Test
  void shouldComputeStableBinaryCrossEntropy() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray z = m.create(new float[] {0f, 2f, -30f, 40f}, new ai.djl.ndarray.types.Shape(2, 2));
      NDArray y = m.create(new float[] {1f, 0f, 0f, 1f}, new ai.djl.ndarray.types.Shape(2, 2));
      double expected =
          (Math.log(2)
                  + Math.log1p(Math.exp(2))
                  + Math.log1p(Math.exp(-30))
                  + Math.log1p(Math.exp(-40)))
              / 4;
      assertEquals(expected, FineTuner.bceWithLogits(z, y).getFloat(), 1e-6);
    }
  }

  @Test
  void shouldLearnASeparableToyTaskForBcosAndConventional() {
    for (boolean bcos : new boolean[] {true, false}) {
      List<Example> rows = ToyTask.rows(96, 3);
      try (CandorModel model = TestModels.tiny(bcos, 1.5, DataType.FLOAT32, 2)) {
        ClassificationMetrics before = LabelledScoring.score(model, rows, 32);
        TrainingConfig c = ToyTask.config(6);
        List<Double> losses = new ArrayList<>();
        FineTuner.Result r =
            new FineTuner(
                    c,
                    new TrainingListener() {
                      @Override
                      public void onStep(
                          int e, int s, int n, double loss, double rate, double eta) {
                        if (s == n) {
                          losses.add(loss);
                        }
                      }
                    })
                .train(model, rows, rows);
        assertTrue(losses.get(losses.size() - 1) < losses.get(0), "loss fell: " + losses);
        assertTrue(
            r.bestValidation().accuracy() > 0.9,
            (bcos ? "B-cos" : "conventional")
                + " accuracy "
                + r.bestValidation().accuracy()
                + " (before "
                + before.accuracy()
                + ")");
        assertEquals(6, r.history().size());
        assertTrue(r.trainTextsPerSecond() > 0);
      }
    }
  }

  /**
   * The weights returned are those of the best validation epoch, not the last: validated on the toy
   * task with every label flipped, learning makes each epoch worse, so the best is an early one.
   */
  @Test
  void shouldKeepTheBestEpochByValidationNotTheLast() {
    List<Example> train = ToyTask.rows(96, 3);
    List<Example> flipped = new ArrayList<>();
    for (Example e : ToyTask.rows(64, 4)) {
      flipped.add(new Example(e.id(), e.text(), 1 - e.label(), null));
    }
    try (CandorModel model = TestModels.tiny(true, 1.5, DataType.FLOAT32, 2)) {
      TrainingConfig c = ToyTask.config(5);
      FineTuner.Result r = new FineTuner(c, null).train(model, train, flipped);
      List<Double> f1 = new ArrayList<>();
      for (var row : r.history()) {
        @SuppressWarnings("unchecked")
        var val = (java.util.Map<String, Object>) row.get("validation");
        f1.add(((Number) val.get("macro_f1")).doubleValue());
      }
      int argMax = 0;
      for (int i = 1; i < f1.size(); i++) {
        if (f1.get(i) > f1.get(argMax)) {
          argMax = i;
        }
      }
      assertEquals(argMax + 1, r.bestEpoch(), "history " + f1);
      assertTrue(f1.get(f1.size() - 1) < f1.get(argMax), "the last epoch must be worse: " + f1);
      // the returned weights are that epoch's: scored again they give its figures, not the last's
      try (CandorModel best =
          CandorModel.of(
              model.config(),
              r.bestWeights(),
              model.tokenizerJson(),
              "best",
              ai.djl.Device.cpu(),
              DataType.FLOAT32)) {
        ClassificationMetrics again = LabelledScoring.score(best, flipped, 32);
        assertEquals(r.bestValidation().macroF1(), again.macroF1(), 1e-9);
        assertEquals(f1.get(argMax), again.macroF1(), 1e-9);
      }
    }
  }

  @Test
  void shouldScheduleWarmupThenLinearDecay() {
    assertEquals(5e-5, FineTuner.learningRate(1e-4, 5, 100, 10), 1e-12);
    assertEquals(1e-4, FineTuner.learningRate(1e-4, 10, 100, 10), 1e-12);
    assertEquals(5e-5, FineTuner.learningRate(1e-4, 55, 100, 10), 1e-12);
    assertEquals(0.0, FineTuner.learningRate(1e-4, 100, 100, 10), 1e-12);
    assertEquals(
        2.97e-4, FineTuner.learningRate(3e-4, 1, 100, 0), 1e-12, "no warm-up: decays at once");
  }
}
