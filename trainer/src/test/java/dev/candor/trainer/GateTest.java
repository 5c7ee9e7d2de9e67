package dev.candor.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.model.CandorModel;
import dev.candor.model.TestModels;
import dev.candor.model.data.Example;
import java.util.ArrayList;
import java.util.List;
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
  void shouldComputeThreeClassFiguresWithoutBinaryOnlyOnes() {
    List<Example> heldOut = new ArrayList<>();
    String[] texts = {"a lovely day", "awful people here", "vile vermin", "fine weather"};
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < 24; i++) {
      // HateXplain-style targets: half the texts of each class are about women
      ObjectNode raw = json.createObjectNode();
      raw.putArray("targets").add(i % 2 == 0 ? "Women" : "None");
      heldOut.add(new Example("h" + i, texts[i % 4] + " " + i, i % 4 == 3 ? 0 : i % 4, raw));
    }
    try (CandorModel model =
        TestModels.tiny(true, 1.5, DataType.FLOAT32, 8, TestModels.THREE_LABELS)) {
      Map<String, Double> f = Gate.figures(model, heldOut, List.of(), 4);
      assertTrue(f.get("accuracy") >= 0 && f.get("accuracy") <= 1, f.toString());
      double auroc = f.get("auroc");
      assertTrue(auroc >= 0 && auroc <= 1, "one-vs-one AUROC " + f);
      assertTrue(Double.isFinite(f.get("comp")), f.toString());
      // bias of toxic (offensive or hatespeech) vs normal, scored by 1 − p(normal)
      for (String b : List.of("bias_subgroup_auc", "bias_bpsn_auc", "bias_bnsp_auc")) {
        assertTrue(f.get(b) >= 0 && f.get(b) <= 1, b + " " + f);
      }
      // the same figures decide between two three-class models as between binary ones
      assertTrue(Gate.decide(f, f, TOL).promote());
    }
  }

  @Test
  void shouldMeasureBiasOverHateXplainsTenCommunitiesOnly() {
    ObjectMapper json = new ObjectMapper();
    List<Example> rows = new ArrayList<>();
    String[][] targets = {{"Women", "Hindu"}, {"Other"}, {"None"}, {"Islam"}, {}};
    for (int i = 0; i < targets.length; i++) {
      ObjectNode raw = json.createObjectNode();
      for (String t : targets[i]) {
        raw.withArray("targets").add(t);
      }
      rows.add(new Example("t" + i, "text " + i, i % 2, raw));
    }
    Map<String, boolean[]> groups = Gate.subgroups(rows);
    // "Hindu" (a handful of HateXplain texts), "Other" and "None" are not among the ten
    assertEquals(List.of("Islam", "Women"), List.copyOf(groups.keySet()));
    assertTrue(groups.get("Women")[0]);
    assertTrue(groups.get("Islam")[3]);
    assertFalse(groups.get("Islam")[0]);
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
