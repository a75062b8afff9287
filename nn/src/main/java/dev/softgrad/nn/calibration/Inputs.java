package dev.softgrad.nn.calibration;

import dev.softgrad.nn.Argmax;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Validation of the inputs shared by the metrics and the temperature fit, and their copy into a
 * dense row-major {@code double[]} (the arithmetic then runs in plain Java loops in float64).
 */
final class Inputs {

    /** Largest allowed |row sum - 1| of a row of probabilities (float32 softmax is well inside). */
    static final double SUM_TOLERANCE = 1e-3;

    private Inputs() {
    }

    /** A dense row-major copy of an [N, K] array. */
    record Matrix(double[] values, int rows, int cols) {
        double get(int i, int k) {
            return values[i * cols + k];
        }
    }

    /**
     * Copies an [N, K] floating-point array with N >= 1 and K >= 2 into a Matrix; checks labels against
     * it unless they are null (callers that need labels pass them through {@link #checkLabels} first).
     */
    static Matrix matrix(String where, String name, INDArray a, int[] labels) {
        if (a == null) {
            throw new IllegalArgumentException(where + ": " + name + " must be an [N, K] array, got null");
        }
        if (a.rank() != 2) {
            throw new IllegalArgumentException(where + ": " + name + " must be an [N, K] array (rank 2), got shape "
                    + java.util.Arrays.toString(a.shape()));
        }
        if (!a.dataType().isFPType()) {
            throw new IllegalArgumentException(where + ": " + name + " must be floating point, got " + a.dataType());
        }
        long n = a.size(0);
        long k = a.size(1);
        if (n < 1) {
            throw new IllegalArgumentException(where + ": " + name + " must have at least one row, got shape [" + n + ", "
                    + k + "]");
        }
        if (k < 2) {
            throw new IllegalArgumentException(where + ": " + name + " must have at least 2 classes (columns), got shape ["
                    + n + ", " + k + "]");
        }
        if (n * k > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(where + ": " + name + " is too large, shape [" + n + ", " + k + "]");
        }
        if (labels != null) {
            checkLabels(where, labels, (int) n, (int) k, name);
        }
        double[] v = a.dup('c').data().asDouble();
        if (v.length != n * k) {
            throw new IllegalStateException(where + ": copied " + v.length + " values from " + name + " of shape [" + n
                    + ", " + k + "]");
        }
        return new Matrix(v, (int) n, (int) k);
    }

    /** Labels: not null, one per row, each in [0, K). */
    static void checkLabels(String where, int[] labels, int n, int k, String rowsName) {
        if (labels == null) {
            throw new IllegalArgumentException(where + ": labels must be an int[] of length " + n + ", got null");
        }
        if (labels.length != n) {
            throw new IllegalArgumentException(where + ": labels must have one entry per row of " + rowsName + " ("
                    + n + "), got " + labels.length);
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException(where + ": labels[" + i + "] must be in [0, " + k + "), got "
                        + labels[i]);
            }
        }
    }

    /** Probabilities: finite, in [0, 1], rows summing to 1 within {@link #SUM_TOLERANCE}. */
    static Matrix probabilities(String where, INDArray probs, int[] labels) {
        requireLabels(where, labels);
        Matrix m = matrix(where, "probabilities", probs, labels);
        for (int i = 0; i < m.rows(); i++) {
            double sum = 0;
            for (int k = 0; k < m.cols(); k++) {
                double p = m.get(i, k);
                if (!(p >= 0 && p <= 1 + SUM_TOLERANCE)) {
                    throw new IllegalArgumentException(where + ": probabilities[" + i + ", " + k
                            + "] must be a number in [0, 1], got " + p);
                }
                sum += p;
            }
            if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                throw new IllegalArgumentException(where + ": row " + i + " of probabilities must sum to 1 (within "
                        + SUM_TOLERANCE + "), got " + sum + " (logits? apply softmax first)");
            }
        }
        return m;
    }

    /**
     * Logits: finite or -inf, never NaN or +inf, at least one finite entry per row. With
     * {@code trueClassFinite}, the logit of each row's label must be finite too.
     */
    static Matrix logits(String where, INDArray logits, int[] labels, boolean trueClassFinite) {
        requireLabels(where, labels);
        return checkedLogits(where, logits, labels, trueClassFinite);
    }

    /** Logits without labels (a model's output), checked as in {@link #logits}. */
    static Matrix logits(String where, INDArray logits) {
        return checkedLogits(where, logits, null, false);
    }

    private static void requireLabels(String where, int[] labels) {
        if (labels == null) {
            throw new IllegalArgumentException(where + ": labels must be an int[] with one label per row, got null");
        }
    }

    private static Matrix checkedLogits(String where, INDArray logits, int[] labels, boolean trueClassFinite) {
        Matrix m = matrix(where, "logits", logits, labels);
        for (int i = 0; i < m.rows(); i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < m.cols(); k++) {
                double z = m.get(i, k);
                if (Double.isNaN(z) || z == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException(where + ": logits[" + i + ", " + k
                            + "] must be finite or -inf, got " + z);
                }
                max = Math.max(max, z);
            }
            if (max == Double.NEGATIVE_INFINITY) {
                throw new IllegalArgumentException(where + ": row " + i
                        + " of logits is -inf everywhere; at least one class needs a finite logit");
            }
            if (trueClassFinite && labels != null && m.get(i, labels[i]) == Double.NEGATIVE_INFINITY) {
                throw new IllegalArgumentException(where + ": the logit of the true class, logits[" + i + ", " + labels[i]
                        + "], is -inf: its probability is 0 at every temperature");
            }
        }
        return m;
    }

    /** Number of bins: 1 or more. */
    static void checkBins(String where, int numBins) {
        if (numBins < 1) {
            throw new IllegalArgumentException(where + ": numBins must be >= 1, got " + numBins);
        }
    }

    /** Index of the first maximal entry of row i (the prediction; ties go to the lowest class). */
    static int argmax(Matrix m, int i) {
        return Argmax.index(k -> m.values()[k], i * m.cols(), m.cols());
    }
}
