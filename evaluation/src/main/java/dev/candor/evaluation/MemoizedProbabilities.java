package dev.candor.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Remembers the probabilities of every sequence it has seen, so each distinct token-id sequence
 * reaches the model once. Comp and Suff of several explainers on one model perturb the same texts,
 * and many of their inputs coincide: the unperturbed text, short texts where several fractions mask
 * the same count, explainers that agree on the top tokens. Use one instance per model; not
 * thread-safe.
 */
public final class MemoizedProbabilities implements ProbabilityModel {
  private final ProbabilityModel model;
  private final Map<Key, double[]> seen = new HashMap<>();
  private long requested;

  public MemoizedProbabilities(ProbabilityModel model) {
    this.model = model;
  }

  /** Equality by content, so equal sequences built separately share one entry. */
  private record Key(int[] ids) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(ids, k.ids);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ids);
    }
  }

  @Override
  public double[][] probabilities(List<int[]> tokenIdSequences) {
    requested += tokenIdSequences.size();
    Key[] keys = new Key[tokenIdSequences.size()];
    Set<Key> missing = new LinkedHashSet<>();
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new Key(tokenIdSequences.get(i).clone());
      if (!seen.containsKey(keys[i])) {
        missing.add(keys[i]);
      }
    }
    if (!missing.isEmpty()) {
      List<Key> ask = new ArrayList<>(missing);
      double[][] fresh = model.probabilities(ask.stream().map(Key::ids).toList());
      if (fresh == null || fresh.length != ask.size()) {
        throw new IllegalStateException(
            "model returned "
                + (fresh == null ? "null" : fresh.length)
                + " rows for "
                + ask.size()
                + " sequences");
      }
      for (int m = 0; m < fresh.length; m++) {
        seen.put(ask.get(m), fresh[m]);
      }
    }
    double[][] out = new double[keys.length][];
    for (int i = 0; i < out.length; i++) {
      out[i] = seen.get(keys[i]).clone(); // callers may not alter what later callers receive
    }
    return out;
  }

  /** Sequences asked for so far. */
  public long requested() {
    return requested;
  }

  /** Distinct sequences the model was run on so far. */
  public long computed() {
    return seen.size();
  }
}
