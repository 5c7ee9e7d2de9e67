package dev.candor.trainer;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.trainer.internals.RoundTrainer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingSetTest {

  private static final List<String> LABELS = List.of("normal", "toxic");

  @Test
  void shouldRefuseARoundWhoseRowsCarryOneLabelOnly() {
    List<RoundTrainer.Row> rows =
        List.of(new RoundTrainer.Row("a", 1, List.of()), new RoundTrainer.Row("b", 1, List.of()));
    String why = Trainer.oneLabelOnly(rows, LABELS);
    assertTrue(why != null && why.contains("'toxic'") && why.contains("2 training rows"), why);
  }

  @Test
  void shouldRefuseAnEmptyTrainingSet() {
    String why = Trainer.oneLabelOnly(List.of(), LABELS);
    assertTrue(why != null && why.contains("(none)"), why);
  }

  @Test
  void shouldAcceptRowsOfTwoLabels() {
    List<RoundTrainer.Row> rows =
        List.of(new RoundTrainer.Row("a", 0, List.of()), new RoundTrainer.Row("b", 1, List.of()));
    assertNull(Trainer.oneLabelOnly(rows, LABELS));
  }
}
