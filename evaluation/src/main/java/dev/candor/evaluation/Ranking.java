package dev.candor.evaluation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Deterministic orderings and rank statistics shared by the metrics. */
final class Ranking {

    private Ranking() {
    }

    /**
     * Positions where {@code include} is true (all when null), by score descending; equal scores keep
     * position order so results never depend on sort stability or input noise.
     */
    static int[] descending(double[] scores, boolean[] include) {
        return IntStream.range(0, scores.length)
                .filter(i -> include == null || include[i])
                .boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /** 1-based ranks with ties sharing their average rank. */
    static double[] averageRanks(double[] values) {
        Integer[] order = new Integer[values.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1.0;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }

    /**
     * ROC AUC via the Mann–Whitney statistic, so tied scores count one half. NaN when either class
     * is absent, because the AUC is undefined there and a silent 0.5 would pass for chance.
     */
    static double rocAuc(boolean[] positive, double[] scores) {
        if (positive.length != scores.length) {
            throw new IllegalArgumentException("labels and scores differ in length");
        }
        double[] ranks = averageRanks(scores);
        long nPos = 0;
        double rankSum = 0.0;
        for (int i = 0; i < positive.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("NaN score at " + i);
            }
            if (positive[i]) {
                nPos++;
                rankSum += ranks[i];
            }
        }
        long nNeg = positive.length - nPos;
        if (nPos == 0 || nNeg == 0) {
            return Double.NaN;
        }
        return (rankSum - nPos * (nPos + 1) / 2.0) / ((double) nPos * nNeg);
    }

    /** Mean of the finite values; NaN when there are none. */
    static double finiteMean(double[] values) {
        double sum = 0.0;
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
