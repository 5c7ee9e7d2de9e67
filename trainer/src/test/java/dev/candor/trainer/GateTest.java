package dev.candor.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GateTest {
  private static final Map<String, Double> TOL =
      Map.of("accuracy", 0.01, "marked_share", 0.0, "comp", 0.02);

  @Test
  void shouldPromoteWithinTolerance() {
    Gate.Decision d =
        Gate.decide(
            Map.of("accuracy", 0.795, "marked_share", 0.10, "comp", 0.30),
            Map.of("accuracy", 0.80, "marked_share", 0.20, "comp", 0.31),
            TOL);
    assertTrue(d.promote(), d.reasons().toString());
  }

  @Test
  void shouldRefuseAndNameEveryFailingFigure() {
    Gate.Decision d =
        Gate.decide(
            Map.of("accuracy", 0.70, "marked_share", 0.25, "comp", 0.30),
            Map.of("accuracy", 0.80, "marked_share", 0.20, "comp", 0.31),
            TOL);
    assertFalse(d.promote());
    assertEquals(2, d.reasons().size(), d.reasons().toString());
    assertTrue(d.reasons().stream().anyMatch(r -> r.startsWith("accuracy: candidate 0.7000")));
    assertTrue(d.reasons().stream().anyMatch(r -> r.startsWith("marked_share:")));
  }

  @Test
  void shouldSkipFiguresThatAreNotFinite() {
    Gate.Decision d =
        Gate.decide(
            Map.of("accuracy", 0.80, "marked_share", Double.NaN),
            Map.of("accuracy", 0.80, "marked_share", 0.1),
            TOL);
    assertTrue(d.promote());
  }
}
