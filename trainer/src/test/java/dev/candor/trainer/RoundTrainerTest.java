package dev.candor.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.TestModels;
import dev.candor.model.explain.Explainer;
import dev.candor.model.explain.Prediction;
import dev.candor.trainer.feedback.FeedbackItem;
import dev.candor.trainer.feedback.PenaltyMode;
import dev.candor.trainer.feedback.SpuriousTerms;
import dev.candor.trainer.internals.RoundTrainer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RoundTrainerTest {

  /** Each penalty, alone (no augmentation), moves attribution off the marked placeholder. */
  @ParameterizedTest
  @EnumSource(
      value = PenaltyMode.class,
      names = {"CONSISTENCY", "ABLATION", "INPUT_X_GRADIENT", "BCOS_FROZEN"})
  void shouldLowerTheShareOfAttributionOnMarkedTokens(PenaltyMode mode) {
    List<RoundTrainer.Row> rows = new ArrayList<>();
    List<Gate.MarkedText> marked = new ArrayList<>();
    String[] good = {"lovely", "kind", "great", "sweet"};
    String[] bad = {"stupid", "idiot", "trash", "vile"};
    for (int i = 0; i < 16; i++) {
      boolean toxic = i % 2 == 0;
      String text = "<user> you are " + (toxic ? bad : good)[i % 4];
      List<FeedbackItem.Span> spans = SpuriousTerms.placeholders(text);
      rows.add(new RoundTrainer.Row(text, toxic ? 1 : 0, spans));
      marked.add(new Gate.MarkedText(text, spans));
    }
    try (CandorModel model = TestModels.tiny(true, 1.5, DataType.FLOAT32, 5)) {
      double before = Gate.markedShare(model, marked);
      new RoundTrainer(new RoundTrainer.Settings(6, 0.01, 8, 1, false, mode, 10.0))
          .train(model, rows, (step, steps, loss, rate) -> {});
      double after = Gate.markedShare(model, marked);
      assertTrue(after < before, mode + ": share " + before + " -> " + after);
    }
  }

  /**
   * Replay distillation holds the logits of unmarked rows near production's while the rows' labels
   * pull them away: trained on labels the model disagrees with, the rows' logits move much less
   * with μ = 10 than without.
   */
  @Test
  void shouldHoldUnmarkedRowsNearProductionWithReplayDistillation() {
    List<RoundTrainer.Row> rows = new ArrayList<>();
    String[] words = {"lovely", "kind", "stupid", "idiot", "trash", "sweet", "great", "vile"};
    for (int i = 0; i < 16; i++) {
      rows.add(new RoundTrainer.Row("you are " + words[i % 8] + " " + i, i % 2, List.of()));
    }
    double plain = drift(rows, 0.0);
    double distilled = drift(rows, 10.0);
    assertTrue(
        distilled < 0.5 * plain,
        "mean squared logit change: " + plain + " without, " + distilled + " with distillation");
  }

  private static double drift(List<RoundTrainer.Row> rows, double distill) {
    List<String> texts = rows.stream().map(RoundTrainer.Row::text).toList();
    try (CandorModel model = TestModels.tiny(true, 1.5, DataType.FLOAT32, 5)) {
      List<Prediction> before;
      try (Explainer e = new Explainer(model)) {
        before = e.predict(texts);
      }
      new RoundTrainer(
              new RoundTrainer.Settings(
                  6, 0.01, 8, 1, false, PenaltyMode.NONE, 0.0, distill, false))
          .train(model, rows, (step, steps, loss, rate) -> {});
      List<Prediction> after;
      try (Explainer e = new Explainer(model)) {
        after = e.predict(texts);
      }
      double sum = 0;
      for (int i = 0; i < texts.size(); i++) {
        double[] a = before.get(i).logits();
        double[] b = after.get(i).logits();
        for (int k = 0; k < a.length; k++) {
          sum += (a[k] - b[k]) * (a[k] - b[k]);
        }
      }
      return sum / texts.size();
    }
  }
}
