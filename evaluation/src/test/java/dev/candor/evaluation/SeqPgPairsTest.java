package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.evaluation.SeqPgPairs.Candidate;
import dev.candor.evaluation.SeqPgPairs.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeqPgPairsTest {

  private static List<Candidate> pool() {
    List<Candidate> c = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      c.add(new Candidate("n" + i, 0, 0.95, true));
      c.add(new Candidate("t" + i, 1, 0.95, true));
    }
    c.add(new Candidate("wrong", 1, 0.99, false));
    c.add(new Candidate("unsure", 0, 0.55, true));
    return c;
  }

  @Test
  void pairsConfidentCorrectTextsOfDifferentClassesOnce() {
    List<Pair> pairs = SeqPgPairs.select(pool(), 0.9, 100, 7);
    assertEquals(10, pairs.size());
    Set<String> used = new HashSet<>();
    for (Pair p : pairs) {
      assertNotEquals(p.first().label(), p.second().label());
      assertTrue(used.add(p.first().id()) && used.add(p.second().id()));
    }
    assertTrue(!used.contains("wrong") && !used.contains("unsure"));
  }

  @Test
  void deterministicForASeedAndIndependentOfInputOrder() {
    List<Candidate> shuffled = pool();
    Collections.reverse(shuffled);
    assertEquals(SeqPgPairs.select(pool(), 0.9, 5, 42), SeqPgPairs.select(shuffled, 0.9, 5, 42));
    assertNotEquals(SeqPgPairs.select(pool(), 0.9, 10, 42), SeqPgPairs.select(pool(), 0.9, 10, 43));
  }

  @Test
  void respectsMaxPairsAndSingleClassPools() {
    assertEquals(3, SeqPgPairs.select(pool(), 0.9, 3, 1).size());
    List<Candidate> oneClass =
        List.of(new Candidate("a", 1, 1, true), new Candidate("b", 1, 1, true));
    assertTrue(SeqPgPairs.select(oneClass, 0.5, 10, 1).isEmpty());
  }

  @Test
  void bothClassesAppearFirst() {
    List<Pair> pairs = SeqPgPairs.select(pool(), 0.9, 100, 3);
    assertTrue(pairs.stream().anyMatch(p -> p.first().label() == 0));
    assertTrue(pairs.stream().anyMatch(p -> p.first().label() == 1));
  }
}
