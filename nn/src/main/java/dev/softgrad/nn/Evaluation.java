package dev.softgrad.nn;

import dev.softgrad.core.Dense;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a classifier does on a labelled data set.
 *
 * <p>Precision of class c = TP / (TP + FP), recall = TP / (TP + FN), F1 = their harmonic mean. A
 * class that is never predicted (precision 0/0) or never present (recall 0/0) gets 0 there, as
 * scikit-learn's {@code zero_division=0} does; its F1 is then 0 as well.
 *
 * @param accuracy  fraction of rows whose arg-max logit is the label
 * @param loss      mean cross-entropy of the logits (log-sum-exp, in double)
 * @param confusion counts [true class][predicted class]
 * @param precision per class
 * @param recall    per class
 * @param f1        per class
 */
public record Evaluation(double accuracy, double loss, long[][] confusion, double[] precision, double[] recall, double[] f1) {

    /** The unweighted mean of the per-class F1 scores. */
    public double macroF1() {
        double s = 0;
        for (double v : f1) {
            s += v;
        }
        return s / f1.length;
    }

    /** Builds the evaluation from logits [N, K] and labels [N]. */
    static Evaluation of(INDArray logits, int[] labels, int k) {
        int n = (int) logits.size(0);
        if (labels.length != n) {
            throw new IllegalArgumentException("labels: expected " + n + " labels (the rows of the logits), got " + labels.length);
        }
        if (n == 0) {
            throw new IllegalArgumentException("evaluate: the data set is empty");
        }
        Dense z = Dense.of(logits);
        long[][] confusion = new long[k][k];
        double[] row = new double[k];
        double loss = 0;
        long correct = 0;
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            double lse = Classifier.softmaxRow(z, i * k, k, 1.0, row);
            loss += lse - z.get(i * k + y);
            int pred = Argmax.index(z, i, k);
            confusion[y][pred]++;
            if (pred == y) {
                correct++;
            }
        }
        double[] precision = new double[k];
        double[] recall = new double[k];
        double[] f1 = new double[k];
        for (int c = 0; c < k; c++) {
            long tp = confusion[c][c];
            long predicted = 0;
            long actual = 0;
            for (int j = 0; j < k; j++) {
                predicted += confusion[j][c];
                actual += confusion[c][j];
            }
            precision[c] = predicted == 0 ? 0 : (double) tp / predicted;
            recall[c] = actual == 0 ? 0 : (double) tp / actual;
            double s = precision[c] + recall[c];
            f1[c] = s == 0 ? 0 : 2 * precision[c] * recall[c] / s;
        }
        return new Evaluation((double) correct / n, loss / n, confusion, precision, recall, f1);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Evaluation(accuracy=%.4f, loss=%.4f, macroF1=%.4f)", accuracy, loss, macroF1());
    }
}
