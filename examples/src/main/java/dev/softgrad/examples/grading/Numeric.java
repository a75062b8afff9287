package dev.softgrad.examples.grading;

import dev.softgrad.core.Losses;
import dev.softgrad.core.SoftmaxCrossEntropy;
import dev.softgrad.core.Tensor;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The graders' references: the library's own float64 softmax, cross-entropy and label smoothing
 * (what the notebooks teach and test), central differences, and the comparisons a claim reports.
 */
public final class Numeric {
    private Numeric() {
    }

    /** Central-difference step for float64 losses of order 1. */
    public static final double STEP = 1e-5;

    /** The library's softmax of one row, in float64. */
    public static double[] softmax(double[] z) {
        return Losses.softmax(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE), 1.0).value().toDoubleVector();
    }

    /** The library's cross-entropy -ln softmax(z)_c of one row, in float64. */
    public static double crossEntropy(double[] z, int c) {
        return Losses.crossEntropy(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE), new int[] {c}).item();
    }

    /** The library's label-smoothed cross-entropy (uniform mode) of one row, in float64. */
    public static double labelSmoothing(double[] z, int c, double eps) {
        return Losses.labelSmoothing(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE), new int[] {c}, eps).item();
    }

    /** The library's log-sum-exp of one row, in float64. */
    public static double logSumExp(double[] z) {
        return Losses.logSumExp(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE), 1.0).item();
    }

    /** The library's log softmax(z / tau) of one row, in float64. */
    public static double[] logSoftmax(double[] z, double tau) {
        return Losses.logSoftmax(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE), tau).value().toDoubleVector();
    }

    /** The library's softmax(z / tau) of one row, in float64. */
    public static double[] softmax(double[] z, double tau) {
        return Losses.softmax(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE), tau).value().toDoubleVector();
    }

    /** The library's T^2 KL(softmax(t / T) || softmax(s / T)) of one row, in float64. */
    public static double distill(double[] s, double[] t, double temperature) {
        return Losses.distill(Tensor.fromRows(new double[][] {s}, DataType.DOUBLE),
                Tensor.fromRows(new double[][] {t}, DataType.DOUBLE).value(), temperature).item();
    }

    /** The library's logit L2 (lambda / 2) ||z||^2 of one row, in float64. */
    public static double logitL2(double[] z, double lambda) {
        return Losses.logitL2(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE), lambda).item();
    }

    /** The library's z-loss lambda LSE(z)^2 of one row, in float64. */
    public static double zLoss(double[] z, double lambda) {
        return Losses.zLoss(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE), lambda).item();
    }

    /** The library's logit L2 (lambda / 2) mean_i ||z_i||^2 of rows of logits, in float64. */
    public static double logitL2(double[][] z, double lambda) {
        return Losses.logitL2(Tensor.fromRows(z, DataType.DOUBLE), lambda).item();
    }

    /** The library's cross-entropy -sum_k q_k ln softmax(z)_k against a soft target, one row, in float64. */
    public static double softCrossEntropy(double[] z, double[] q) {
        return Losses.crossEntropy(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE),
                Tensor.fromRows(new double[][] {q}, DataType.DOUBLE).value(), SoftmaxCrossEntropy.Options.DEFAULT).item();
    }

    /** The library's mean cross-entropy of rows of logits, in float64. */
    public static double meanCrossEntropy(double[][] logits, int[] labels) {
        return Losses.crossEntropy(Tensor.fromRows(logits, DataType.DOUBLE), labels).item();
    }

    /** The matrix product a b of plain arrays. */
    public static double[][] times(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int l = 0; l < b.length; l++) {
                for (int j = 0; j < b[0].length; j++) {
                    c[i][j] += a[i][l] * b[l][j];
                }
            }
        }
        return c;
    }

    /** Central differences of f at z, one coordinate at a time. */
    public static double[] centralDifference(ToDoubleFunction<double[]> f, double[] z) {
        double[] g = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            double[] plus = z.clone();
            double[] minus = z.clone();
            plus[k] += STEP;
            minus[k] -= STEP;
            g[k] = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * STEP);
        }
        return g;
    }

    /** The largest |a_i - b_i|; infinity when the lengths differ or an entry is not finite. */
    public static double maxAbsDiff(double[] a, double[] b) {
        if (a == null || b == null || a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            m = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(m, d);
        }
        return m;
    }

    /** Whether every entry is finite. */
    public static boolean finite(double[] a) {
        return a != null && Arrays.stream(a).allMatch(Double::isFinite);
    }

    /** A short rendering of a vector for evidence. */
    public static String show(double[] a) {
        if (a == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", a[i]));
        }
        return b.append(']').toString();
    }
}
