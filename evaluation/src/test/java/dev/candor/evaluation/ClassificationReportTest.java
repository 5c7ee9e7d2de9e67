package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassificationReportTest {

    private static final double EPS = 1e-12;

    @Test
    void binaryByHand() {
        int[] labels = {1, 1, 1, 0, 0, 0};
        int[] predicted = {1, 1, 0, 0, 0, 1};
        double[] scores = {0.9, 0.5, 0.5, 0.5, 0.1, 0.2};
        ClassificationReport r = ClassificationReport.of(labels, predicted, scores, 2);
        assertEquals(6, r.n());
        assertEquals(4.0 / 6.0, r.accuracy(), EPS);
        assertArrayEquals(new int[] {2, 1}, r.confusion()[0]);
        assertArrayEquals(new int[] {1, 2}, r.confusion()[1]);
        assertEquals(2.0 / 3.0, r.macroF1(), EPS);
        // Positives {.9,.5,.5} vs negatives {.5,.1,.2}: 3 + 2.5 + 2.5 of 9 pairs (ties count half).
        assertEquals(8.0 / 9.0, r.auroc(), EPS);
    }

    @Test
    void perfectAndReversedScores() {
        int[] labels = {0, 0, 1, 1};
        assertEquals(1.0, ClassificationReport.of(labels, labels, new double[] {0.1, 0.2, 0.8, 0.9}, 2).auroc(), EPS);
        assertEquals(0.0, ClassificationReport.of(labels, labels, new double[] {0.9, 0.8, 0.2, 0.1}, 2).auroc(), EPS);
        assertEquals(0.5, ClassificationReport.of(labels, labels, new double[] {0.5, 0.5, 0.5, 0.5}, 2).auroc(), EPS);
        assertEquals(1.0, ClassificationReport.of(labels, labels, null, 2).macroF1(), EPS);
        assertTrue(Double.isNaN(ClassificationReport.of(labels, labels, null, 2).auroc()));
    }

    @Test
    void macroF1SkipsClassesThatNeverOccur() {
        // Class 2 is neither a label nor a prediction; class 0: F1 = 2·1/(2+1) , class 1: 2·1/(1+2).
        int[] labels = {0, 0, 1};
        int[] predicted = {0, 1, 1};
        ClassificationReport r = ClassificationReport.of(labels, predicted, null, 3);
        assertEquals(2.0 / 3.0, r.perClassF1()[0], EPS);
        assertEquals(2.0 / 3.0, r.perClassF1()[1], EPS);
        assertTrue(Double.isNaN(r.perClassF1()[2]));
        assertEquals(2.0 / 3.0, r.macroF1(), EPS);
        // A class predicted but never true scores 0 and does count.
        ClassificationReport wrong = ClassificationReport.of(new int[] {0, 0}, new int[] {0, 2}, null, 3);
        assertEquals((2.0 / 3.0 + 0.0) / 2, wrong.macroF1(), EPS);
    }

    @Test
    void aurocUndefinedWithOneClass() {
        assertTrue(Double.isNaN(ClassificationReport.of(new int[] {1, 1}, new int[] {1, 1},
                new double[] {0.2, 0.9}, 2).auroc()));
    }

    @Test
    void rejectsOutOfRangeClasses() {
        assertThrows(IllegalArgumentException.class,
                () -> ClassificationReport.of(new int[] {2}, new int[] {0}, null, 2));
    }

    @Test
    void averageRanksShareTies() {
        assertArrayEquals(new double[] {1.0, 3.0, 3.0, 3.0, 5.0},
                Ranking.averageRanks(new double[] {-1, 2, 2, 2, 7}), EPS);
    }
}
