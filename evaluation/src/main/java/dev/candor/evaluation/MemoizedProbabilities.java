package dev.candor.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers the probabilities of every sequence it has seen, so each distinct token-id sequence reaches
 * the model once. Comp and Suff of several explainers on one model perturb the same texts, and many of
 * their inputs coincide: the unperturbed text, short texts where several fractions mask the same count,
 * explainers that agree on the top tokens. Use one instance per model; not thread-safe.
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
        double[][] out = new double[tokenIdSequences.size()][];
        List<int[]> missing = new ArrayList<>();
        List<Key> missingKeys = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            Key key = new Key(tokenIdSequences.get(i).clone());
            out[i] = seen.get(key);
            if (out[i] == null && !missingKeys.contains(key)) {
                missing.add(key.ids());
                missingKeys.add(key);
            }
        }
        if (!missing.isEmpty()) {
            double[][] fresh = model.probabilities(missing);
            if (fresh == null || fresh.length != missing.size()) {
                throw new IllegalStateException("model returned " + (fresh == null ? "null" : fresh.length)
                        + " rows for " + missing.size() + " sequences");
            }
            for (int m = 0; m < fresh.length; m++) {
                seen.put(missingKeys.get(m), fresh[m]);
            }
            for (int i = 0; i < out.length; i++) {
                if (out[i] == null) {
                    out[i] = seen.get(new Key(tokenIdSequences.get(i)));
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i].clone(); // callers may not alter what later callers receive
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
