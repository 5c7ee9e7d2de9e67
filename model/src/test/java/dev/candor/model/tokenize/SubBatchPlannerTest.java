package dev.candor.model.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SubBatchPlannerTest {

  @Test
  void shouldKeepOneBatchInInputOrderWhenLengthsAreAlike() {
    int[] lengths = {20, 22, 19, 21, 20, 22, 18, 21};
    List<int[]> plan = SubBatchPlanner.auto().plan(lengths, 32);
    assertEquals(1, plan.size());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, plan.get(0));
  }

  @Test
  void shouldSplitOffTheLongTextsWhenPaddingCostsMoreThanABatch() {
    // 28 short texts and 4 long ones: padding the short ones to 64 wastes 28 * 52 tokens.
    int[] lengths = new int[32];
    for (int i = 0; i < 32; i++) {
      lengths[i] = i % 8 == 3 ? 64 : 12;
    }
    SubBatchPlanner planner = SubBatchPlanner.auto();
    List<int[]> plan = planner.plan(lengths, 32);
    assertEquals(2, plan.size());
    assertArrayEquals(new int[] {3, 11, 19, 27}, plan.get(1));
    for (int i : plan.get(0)) {
      assertEquals(12, lengths[i]);
    }
    List<int[]> unsplit = SubBatchPlanner.off().plan(lengths, 32);
    assertTrue(planner.cost(lengths, plan) < planner.cost(lengths, unsplit));
  }

  @Test
  void shouldCoverEveryTextOnceWithinTheBatchLimitAndNeverCostMore() {
    Random r = new Random(7);
    SubBatchPlanner planner = SubBatchPlanner.auto();
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + r.nextInt(80);
      int max = 1 + r.nextInt(40);
      int[] lengths = new int[n];
      for (int i = 0; i < n; i++) {
        lengths[i] = 3 + r.nextInt(r.nextBoolean() ? 20 : 126);
      }
      List<int[]> plan = planner.plan(lengths, max);
      boolean[] seen = new boolean[n];
      for (int[] g : plan) {
        assertTrue(g.length >= 1 && g.length <= max, "group size " + g.length + " > " + max);
        for (int k = 0; k < g.length; k++) {
          assertTrue(!seen[g[k]], "index " + g[k] + " twice");
          seen[g[k]] = true;
          if (k > 0) {
            assertTrue(g[k - 1] < g[k], "a group keeps input order");
          }
        }
      }
      for (boolean s : seen) {
        assertTrue(s);
      }
      List<int[]> unsplit = SubBatchPlanner.off().plan(lengths, max);
      assertTrue(planner.cost(lengths, plan) <= planner.cost(lengths, unsplit));
    }
  }

  @Test
  void shouldChunkInInputOrderWhenOff() {
    List<int[]> plan = SubBatchPlanner.off().plan(new int[] {5, 60, 5, 60, 5}, 2);
    assertEquals(3, plan.size());
    assertArrayEquals(new int[] {0, 1}, plan.get(0));
    assertArrayEquals(new int[] {2, 3}, plan.get(1));
    assertArrayEquals(new int[] {4}, plan.get(2));
  }

  @Test
  void shouldFollowTheCostModel() {
    SubBatchPlanner p = SubBatchPlanner.withCost(100, 1000);
    assertEquals(100 + 4 * 10 * 1.01, p.cost(4, 10), 1e-9);
    // with a huge batch overhead nothing is worth splitting
    int[] lengths = {4, 4, 4, 120};
    assertEquals(1, SubBatchPlanner.withCost(1e9, 1000).plan(lengths, 32).size());
    assertEquals(2, SubBatchPlanner.withCost(10, 1000).plan(lengths, 32).size());
    assertEquals("off", SubBatchPlanner.parse("OFF").toString());
    assertTrue(SubBatchPlanner.parse("on").enabled());
    assertThrows(IllegalArgumentException.class, () -> SubBatchPlanner.parse("maybe"));
    assertThrows(IllegalArgumentException.class, () -> SubBatchPlanner.withCost(-1, 10));
  }
}
