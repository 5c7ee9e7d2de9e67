package dev.candor.evaluation;

/**
 * Task metrics. {@code confusion[trueClass][predictedClass]}. Macro-F1 averages over the classes
 * that occur in the labels or the predictions, so a class absent from a small split does not count
 * as a zero. {@code auroc} ranks {@code positiveScore} for class 1 against all others; NaN when no
 * scores are given or one side is empty.
 */
public record ClassificationReport(int n, double accuracy, double macroF1, double[] perClassF1,
                                   double auroc, int[][] confusion) {

    public static ClassificationReport of(int[] labels, int[] predicted, double[] positiveScore, int numClasses) {
        int n = labels.length;
        if (predicted.length != n || (positiveScore != null && positiveScore.length != n)) {
            throw new IllegalArgumentException("labels, predictions and scores differ in length");
        }
        int[][] confusion = new int[numClasses][numClasses];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses || predicted[i] < 0 || predicted[i] >= numClasses) {
                throw new IllegalArgumentException("class out of range at " + i);
            }
            confusion[labels[i]][predicted[i]]++;
            correct += labels[i] == predicted[i] ? 1 : 0;
        }
        double[] f1 = new double[numClasses];
        double f1Sum = 0.0;
        int present = 0;
        for (int c = 0; c < numClasses; c++) {
            int tp = confusion[c][c];
            int support = 0;
            int predictedAs = 0;
            for (int k = 0; k < numClasses; k++) {
                support += confusion[c][k];
                predictedAs += confusion[k][c];
            }
            if (support == 0 && predictedAs == 0) {
                f1[c] = Double.NaN;
                continue;
            }
            f1[c] = 2.0 * tp / (support + predictedAs);
            f1Sum += f1[c];
            present++;
        }
        double auroc = Double.NaN;
        if (positiveScore != null) {
            boolean[] positive = new boolean[n];
            for (int i = 0; i < n; i++) {
                positive[i] = labels[i] == 1;
            }
            auroc = Ranking.rocAuc(positive, positiveScore);
        }
        return new ClassificationReport(n, n == 0 ? Double.NaN : (double) correct / n,
                present == 0 ? Double.NaN : f1Sum / present, f1, auroc, confusion);
    }
}
