package dev.softgrad.core;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * softmax, logSoftmax and logSumExp along the last (class) axis, each with a temperature tau > 0
 * (they act on u = z / tau), computed with the row maximum subtracted. A -inf entry is a masked
 * class: probability exactly 0 and gradient exactly 0 through softmax. Each forward is one pass per
 * row (the max, one exponential per element, the normalisation), and so is each backward.
 */
final class SoftmaxOps {
    private SoftmaxOps() {
    }

    /** The length of the class axis (0 allowed: see {@link #noClasses}). */
    static int classes(String op, Tensor z) {
        if (z.rank() < 1) {
            throw new ShapeMismatchException(op + ": a tensor with a class axis is needed, got a scalar");
        }
        return (int) z.shape()[z.rank() - 1];
    }

    /**
     * An op over an empty class axis, as PyTorch: softmax and log-softmax of [N, 0] are [N, 0], the
     * log-sum-exp of each row is -inf (the log of an empty sum); the gradient is empty.
     */
    static Tensor noClasses(String op, Tensor z, boolean dropAxis) {
        long[] shape = z.shape();
        long[] outShape = dropAxis ? Arrays.copyOf(shape, shape.length - 1) : shape;
        INDArray out = Dense.alloc(z.dataType(), outShape);
        Dense o = Dense.view(out);
        for (int i = 0; i < o.n; i++) {
            o.set(i, Double.NEGATIVE_INFINITY);
        }
        return Tensor.record(op, out, g -> new INDArray[] {Dense.alloc(g.dataType(), shape)}, z);
    }

    /**
     * probs = softmax(z / tau) row by row through {@link SoftmaxRow}, with masked entries (keep
     * false, or -inf) at exactly 0 and an all-masked row all 0; logProbs (if not null) gets
     * log p_j = (u_j - m) - log1p(s) (-inf where masked); returns each row's logsumexp(z / tau)
     * (-inf for an all-masked row).
     */
    static double[] softmaxRows(String op, Dense dz, int rows, int k, double tau, boolean[][] keep, Dense probs,
            Dense logProbs) {
        double[] lse = new double[rows];
        Rows.eachRow(rows, k, (from, to) -> {
            SoftmaxRow row = new SoftmaxRow(k);
            double[] logP = logProbs == null ? null : new double[k];
            for (int i = from; i < to; i++) {
                row.read(dz, i);
                if (keep != null) {
                    for (int j = 0; j < k; j++) {
                        if (!keep[i][j]) {
                            row.z[j] = Double.NEGATIVE_INFINITY;
                        }
                    }
                }
                row.compute(tau, op, "logits", i);
                lse[i] = row.lse();
                row.store(probs, i, row.p);
                if (logP != null) {
                    for (int j = 0; j < k; j++) {
                        logP[j] = row.logP(j); // log 0 = -inf for masked entries, never -inf - -inf = NaN
                    }
                    row.store(logProbs, i, logP);
                }
            }
        });
        return lse;
    }

    // p = softmax(u), u = z / tau with masked entries at -inf; dz = p * (g - sum(g p)) / tau
    static Tensor softmax(String op, Tensor z, boolean[][] keep, double tau) {
        Rows.requirePositive(op, "tau", tau);
        int k = classes(op, z);
        if (k == 0) {
            return noClasses(op, z, false);
        }
        long[] shape = z.shape();
        int rows = (int) (z.value().length() / k);
        if (keep != null) {
            if (z.rank() != 2 || keep.length != rows) {
                throw new ShapeMismatchException(op + ": mask must be [" + rows + "][" + k + "] for scores "
                        + Check.shape(shape) + ", got " + keep.length + " rows");
            }
            for (int i = 0; i < rows; i++) {
                if (keep[i] == null || keep[i].length != k) {
                    throw new ShapeMismatchException(op + ": mask row " + i + " must have length " + k + ", got "
                            + (keep[i] == null ? "null" : keep[i].length));
                }
            }
        }
        INDArray out = Dense.alloc(z.dataType(), shape);
        Dense o = Dense.view(out);
        softmaxRows(op, z.dense(), rows, k, tau, keep, o, null);
        // dz_j = p_j (g_j - sum(g p)) / tau
        return Tensor.record(op, out, g -> rowVjp(g, o, rows, k, shape, (p, up) -> {
            double dot = 0.0;
            for (int j = 0; j < k; j++) {
                dot += p[j] * up[j];
            }
            for (int j = 0; j < k; j++) {
                up[j] = p[j] * (up[j] - dot) / tau;
            }
        }), z);
    }

    // out = u - logsumexp(u); dz = (g - p sum(g)) / tau
    static Tensor logSoftmax(Tensor z, double tau) {
        String op = "logSoftmax";
        Rows.requirePositive(op, "tau", tau);
        int k = classes(op, z);
        if (k == 0) {
            return noClasses(op, z, false);
        }
        long[] shape = z.shape();
        int rows = (int) (z.value().length() / k);
        Dense dz = z.dense();
        INDArray out = Dense.alloc(z.dataType(), shape);
        INDArray probs = Dense.alloc(z.dataType(), shape);
        Dense o = Dense.view(out);
        Dense pr = Dense.view(probs);
        softmaxRows(op, dz, rows, k, tau, null, pr, o);
        // dz_j = (g_j - p_j sum(g)) / tau
        return Tensor.record(op, out, g -> rowVjp(g, pr, rows, k, shape, (p, up) -> {
            double sum = 0.0;
            for (int j = 0; j < k; j++) {
                sum += up[j];
            }
            for (int j = 0; j < k; j++) {
                up[j] = (up[j] - p[j] * sum) / tau;
            }
        }), z);
    }

    /** One row's vector-Jacobian product: replaces the upstream row {@code up} by dz, given the row's p. */
    interface RowVjp {
        void apply(double[] p, double[] up);
    }

    /** dz of shape {@code shape}, row by row: p and the upstream g read as doubles, f applied, dz written. */
    static INDArray[] rowVjp(INDArray g, Dense probs, int rows, int k, long[] shape, RowVjp f) {
        INDArray gz = Dense.alloc(g.dataType(), shape);
        Dense dg = Dense.view(g);
        Dense dgz = Dense.view(gz);
        Rows.eachRow(rows, k, (from, to) -> {
            double[] p = new double[k];
            double[] up = new double[k];
            float[] io = new float[k];
            for (int i = from; i < to; i++) {
                Rows.read(probs, i, k, p, io);
                Rows.read(dg, i, k, up, io);
                f.apply(p, up);
                Rows.write(dgz, i, k, up, io);
            }
        });
        return new INDArray[] {gz};
    }

    // out_i = logsumexp(u_i) (the class axis dropped); dz = g_i p_i / tau
    static Tensor logSumExp(Tensor z, double tau) {
        String op = "logSumExp";
        Rows.requirePositive(op, "tau", tau);
        int k = classes(op, z);
        if (k == 0) {
            return noClasses(op, z, true);
        }
        long[] shape = z.shape();
        int rows = (int) (z.value().length() / k);
        long[] outShape = Arrays.copyOf(shape, shape.length - 1);
        INDArray out = Dense.alloc(z.dataType(), outShape);
        INDArray probs = Dense.alloc(z.dataType(), shape);
        Dense o = Dense.view(out);
        Dense pr = Dense.view(probs);
        double[] lse = softmaxRows(op, z.dense(), rows, k, tau, null, pr, null);
        for (int i = 0; i < rows; i++) {
            o.set(i, lse[i]);
        }
        // dz_ij = g_i p_ij / tau
        return Tensor.record(op, out, g -> new INDArray[] {Rows.scaleRows(probs, g, tau)}, z);
    }
}
