package dev.softgrad.nn;

import dev.softgrad.core.Dense;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
 * @param classNames the K class names, in class order (the data set's, or "0", "1", ...)
 */
public record Evaluation(double accuracy, double loss, long[][] confusion, double[] precision, double[] recall, double[] f1,
                         List<String> classNames) {

    /** Checks that every per-class part has K entries; copies the class names. */
    public Evaluation {
        int k = confusion.length;
        Objects.requireNonNull(classNames, "classNames");
        if (precision.length != k || recall.length != k || f1.length != k || classNames.size() != k) {
            throw new IllegalArgumentException("Evaluation: expected " + k + " entries (the confusion matrix's classes) in "
                    + "precision, recall, f1 and classNames, got " + precision.length + ", " + recall.length + ", "
                    + f1.length + " and " + classNames.size());
        }
        classNames = List.copyOf(classNames);
    }

    /** The unweighted mean of the per-class F1 scores. */
    public double macroF1() {
        double s = 0;
        for (double v : f1) {
            s += v;
        }
        return s / f1.length;
    }

    /** The number of rows evaluated. */
    public long rows() {
        long n = 0;
        for (long[] row : confusion) {
            for (long c : row) {
                n += c;
            }
        }
        return n;
    }

    /** The names "0", "1", ..., "k-1". */
    static List<String> indexNames(int k) {
        List<String> names = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            names.add(Integer.toString(c));
        }
        return names;
    }

    /** Builds the evaluation from logits [N, K], labels [N] and the K class names. */
    static Evaluation of(INDArray logits, int[] labels, List<String> classNames) {
        int k = classNames.size();
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
        return new Evaluation((double) correct / n, loss / n, confusion, precision, recall, f1, classNames);
    }

    /**
     * A report for people: accuracy, loss, macro F1 and the number of rows on one line, then the
     * confusion matrix (a row per true class, a column per predicted class) and a table of
     * precision, recall, F1 and support (rows of that class) per class. Names longer than 16
     * characters are cut.
     */
    @Override
    public String toString() {
        int k = confusion.length;
        List<String> names = new ArrayList<>(k);
        int width = 7; // "support"
        for (String n : classNames) {
            String cut = n.length() <= 16 ? n : n.substring(0, 15) + "~";
            names.add(cut);
            width = Math.max(width, cut.length());
        }
        int cell = width;
        for (long[] row : confusion) {
            for (long c : row) {
                cell = Math.max(cell, Long.toString(c).length());
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "accuracy %.4f, loss %.4f, macro F1 %.4f (%d rows)%n", accuracy, loss, macroF1(), rows()));
        b.append("confusion matrix (a row per true class, a column per predicted class):").append(System.lineSeparator());
        b.append(String.format(Locale.ROOT, "%-" + width + "s", ""));
        for (String n : names) {
            b.append(String.format(Locale.ROOT, "  %" + cell + "s", n));
        }
        b.append(System.lineSeparator());
        for (int c = 0; c < k; c++) {
            b.append(String.format(Locale.ROOT, "%-" + width + "s", names.get(c)));
            for (int j = 0; j < k; j++) {
                b.append(String.format(Locale.ROOT, "  %" + cell + "d", confusion[c][j]));
            }
            b.append(System.lineSeparator());
        }
        b.append(String.format(Locale.ROOT, "%-" + width + "s  %9s  %9s  %9s  %9s%n", "class", "precision", "recall", "F1", "support"));
        for (int c = 0; c < k; c++) {
            long support = 0;
            for (long v : confusion[c]) {
                support += v;
            }
            b.append(String.format(Locale.ROOT, "%-" + width + "s  %9.4f  %9.4f  %9.4f  %9d%n", names.get(c), precision[c], recall[c],
                    f1[c], support));
        }
        return b.toString().stripTrailing();
    }
}
