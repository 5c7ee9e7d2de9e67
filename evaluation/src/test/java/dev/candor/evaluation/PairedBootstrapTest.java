package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {

  /** Accuracy of per-text correctness flags on the resampled indices. */
  private static Function<int[], Map<String, Double>> accuracy(boolean[] correct) {
    return idx -> {
      double hits = 0;
      for (int i : idx) {
        hits += correct[i] ? 1 : 0;
      }
      return Map.of("accuracy", hits / idx.length);
    };
  }

  @Test
  void shouldGiveAZeroWidthIntervalForIdenticalModels() {
    boolean[] c = new boolean[200];
    for (int i = 0; i < c.length; i++) {
      c[i] = i % 3 != 0;
    }
    PairedBootstrap.Interval in =
        PairedBootstrap.differences(c.length, 200, 1, accuracy(c), accuracy(c)).get("accuracy");
    assertEquals(0.0, in.low(), 0.0);
    assertEquals(0.0, in.high(), 0.0);
    assertEquals(0.0, in.shareBelowZero(), 0.0);
  }

  @Test
  void shouldCoverTheTrueDifferenceAndExcludeZeroWhenEveryChangeIsAGain() {
    // the second model fixes 40 of 400 texts and breaks none: +10 points, never negative
    boolean[] before = new boolean[400];
    boolean[] after = new boolean[400];
    for (int i = 0; i < before.length; i++) {
      before[i] = i % 2 == 0;
      after[i] = before[i] || i % 10 == 1;
    }
    PairedBootstrap.Interval in =
        PairedBootstrap.differences(400, 1000, 7, accuracy(before), accuracy(after))
            .get("accuracy");
    assertTrue(in.low() > 0.05 && in.low() < 0.1, in.toString());
    assertTrue(in.high() > 0.1 && in.high() < 0.15, in.toString());
    assertEquals(0.0, in.shareBelowZero(), 0.0);
  }

  @Test
  void shouldStraddleZeroWhenGainsAndLossesBalance() {
    boolean[] before = new boolean[400];
    boolean[] after = new boolean[400];
    for (int i = 0; i < before.length; i++) {
      before[i] = i % 2 == 0;
      after[i] = i % 4 == 0 || i % 4 == 1; // 100 texts fixed, 100 broken
    }
    PairedBootstrap.Interval in =
        PairedBootstrap.differences(400, 1000, 7, accuracy(before), accuracy(after))
            .get("accuracy");
    assertTrue(in.low() < 0 && in.high() > 0, in.toString());
    assertTrue(in.shareBelowZero() > 0.3 && in.shareBelowZero() < 0.7, in.toString());
  }

  @Test
  void shouldRejectAnEmptySet() {
    assertThrows(
        IllegalArgumentException.class,
        () -> PairedBootstrap.differences(0, 10, 1, i -> Map.of(), i -> Map.of()));
  }
}
