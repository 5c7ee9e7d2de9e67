package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BiasMetricsTest {

  private static final double EPS = 1e-12;
  private static final int[] LABELS = {1, 0, 1, 0, 1, 0, 1, 0};
  private static final double[] SCORES = {0.9, 0.8, 0.7, 0.2, 0.6, 0.5, 0.4, 0.1};
  private static final boolean[] G = {true, true, true, true, false, false, false, false};
  private static final boolean[] H = {false, false, false, false, true, true, true, true};

  @Test
  void subgroupBpsnBnspByHand() {
    BiasReport r = BiasMetrics.compute(LABELS, SCORES, Map.of("g", G, "h", H));
    // Overall: positives {.9,.7,.6,.4} beat negatives {.8,.5,.2,.1} in 4+3+3+2 of 16 pairs.
    assertEquals(0.75, r.overallAuc(), EPS);
    BiasReport.SubgroupAucs g = r.subgroups().get("g");
    assertEquals(0.75, g.subgroupAuc(), EPS); // {.9,.7} vs {.8,.2}: 3 of 4
    assertEquals(0.5, g.bpsnAuc(), EPS); // background pos {.6,.4} vs subgroup neg {.8,.2}
    assertEquals(1.0, g.bnspAuc(), EPS); // subgroup pos {.9,.7} vs background neg {.5,.1}
    assertEquals(4, g.size());
    assertEquals(2, g.positives());
    BiasReport.SubgroupAucs h = r.subgroups().get("h");
    assertEquals(0.75, h.subgroupAuc(), EPS);
    assertEquals(1.0, h.bpsnAuc(), EPS);
    assertEquals(0.5, h.bnspAuc(), EPS);

    double m = Math.pow((Math.pow(0.5, -5) + 1.0) / 2, -0.2); // 16.5^(-1/5)
    assertEquals(0.75, r.subgroupPowerMean(), EPS);
    assertEquals(m, r.bpsnPowerMean(), EPS);
    assertEquals(m, r.bnspPowerMean(), EPS);
    assertEquals(0.25 * 0.75 + 0.75 * (0.75 + 2 * m) / 3, r.finalScore(), EPS);
    assertEquals(List.of("g", "h"), List.copyOf(r.subgroups().keySet()));
  }

  @Test
  void powerMeanIsDominatedByTheWorstGroup() {
    assertEquals(0.8, BiasMetrics.powerMean(new double[] {0.8, 0.8}), EPS);
    assertTrue(BiasMetrics.powerMean(new double[] {0.5, 1.0}) < 0.6);
    assertEquals(0.0, BiasMetrics.powerMean(new double[] {0.0, 1.0}), EPS);
    assertTrue(Double.isNaN(BiasMetrics.powerMean(new double[0])));
  }

  @Test
  void perfectAndReversedScorers() {
    double[] perfect = {1, 0, 1, 0, 1, 0, 1, 0};
    BiasReport p = BiasMetrics.compute(LABELS, perfect, Map.of("g", G));
    assertEquals(1.0, p.finalScore(), EPS);
    double[] reversed = {0, 1, 0, 1, 0, 1, 0, 1};
    BiasReport r = BiasMetrics.compute(LABELS, reversed, Map.of("g", G));
    assertEquals(0.0, r.finalScore(), EPS);
  }

  @Test
  void tinySubgroupsAreSkippedWithAReason() {
    Map<String, boolean[]> groups = new LinkedHashMap<>();
    groups.put("g", G);
    groups.put("onlyToxic", new boolean[] {true, false, false, false, false, false, false, false});
    groups.put("nobody", new boolean[8]);
    BiasReport r = BiasMetrics.compute(LABELS, SCORES, groups);
    assertEquals(List.of("g"), List.copyOf(r.subgroups().keySet()));
    assertEquals(List.of("nobody", "onlyToxic"), List.copyOf(r.skipped().keySet()));
    assertTrue(
        r.skipped().get("onlyToxic").contains("1 positives / 0 negatives"),
        r.skipped().get("onlyToxic"));
    // Raising the minimum to 3 of each skips g too.
    BiasReport strict = BiasMetrics.compute(LABELS, SCORES, Map.of("g", G), 3, 3);
    assertTrue(strict.subgroups().isEmpty());
    assertTrue(Double.isNaN(strict.subgroupPowerMean()));
  }

  @Test
  void shouldCollapseThreeClassesToToxicVsNormal() {
    assertEquals(
        0, BiasMetrics.benignClass(java.util.List.of("normal", "offensive", "hatespeech")));
    assertEquals(
        2, BiasMetrics.benignClass(java.util.List.of("hatespeech", "offensive", "normal")));
    assertEquals(0, BiasMetrics.benignClass(java.util.List.of("negative", "positive")));
    assertArrayEquals(new int[] {0, 1, 1, 0}, BiasMetrics.toxicVsBenign(new int[] {0, 1, 2, 0}, 0));
    double[] s = BiasMetrics.toxicScore(new double[][] {{0.7, 0.2, 0.1}, {0.1, 0.3, 0.6}}, 0);
    assertEquals(0.3, s[0], 1e-12);
    assertEquals(0.9, s[1], 1e-12);
  }
}
