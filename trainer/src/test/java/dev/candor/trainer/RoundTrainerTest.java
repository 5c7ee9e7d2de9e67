package dev.candor.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.TestModels;
import dev.candor.trainer.feedback.FeedbackItem;
import dev.candor.trainer.feedback.PenaltyMode;
import dev.candor.trainer.feedback.SpuriousTerms;
import dev.candor.trainer.internals.RoundTrainer;
import java.util.ArrayList;
import java.util.List;
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
}
