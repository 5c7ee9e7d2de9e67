package dev.candor.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Chooses the texts that SeqPG concatenates: confidently, correctly classified, of different
 * classes.
 */
public final class SeqPgPairs {

  private SeqPgPairs() {}

  public record Candidate(String id, int label, double confidence, boolean correct) {}

  /** {@code first} goes in the first segment of the concatenation. */
  public record Pair(Candidate first, Candidate second) {}

  /**
   * Each candidate is used at most once. The result depends only on the candidate set and the seed,
   * not on input order. Which text comes first is drawn at random so neither class always sits in
   * the position the model may favour.
   */
  public static List<Pair> select(
      List<Candidate> candidates, double minConfidence, int maxPairs, long seed) {
    TreeMap<Integer, List<Candidate>> byLabel = new TreeMap<>();
    candidates.stream()
        .filter(c -> c.correct() && c.confidence() >= minConfidence)
        .sorted(Comparator.comparing(Candidate::id))
        .forEach(c -> byLabel.computeIfAbsent(c.label(), k -> new ArrayList<>()).add(c));
    Random random = new Random(seed);
    byLabel.values().forEach(list -> Collections.shuffle(list, random));

    List<Pair> pairs = new ArrayList<>();
    while (pairs.size() < maxPairs) {
      // Drawing from the two fullest classes keeps multi-class pools balanced; for two classes
      // this is a plain zip of the shuffled lists.
      List<List<Candidate>> fullest =
          byLabel.values().stream()
              .filter(l -> !l.isEmpty())
              .sorted(Comparator.comparingInt((List<Candidate> l) -> -l.size()))
              .limit(2)
              .toList();
      if (fullest.size() < 2) {
        break;
      }
      Candidate x = fullest.get(0).remove(fullest.get(0).size() - 1);
      Candidate y = fullest.get(1).remove(fullest.get(1).size() - 1);
      pairs.add(random.nextBoolean() ? new Pair(x, y) : new Pair(y, x));
    }
    return pairs;
  }
}
