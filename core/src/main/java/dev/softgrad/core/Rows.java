package dev.softgrad.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Row access to a dense [rows, k] array as doubles, and a parallel loop over rows for the fused
 * softmax-family kernels. A row is copied into a double[] scratch with one bulk read, computed in
 * double (so a float32 logit of 3e38 divided by a small temperature stays representable), and
 * written back with one bulk write.
 */
final class Rows {
    private Rows() {
    }

    /** Elements per chunk of rows: a chunk's size depends on the shape alone, never on the cores. */
    static final int CHUNK_ELEMENTS = 1 << 16;

    /** Per-thread scratch rows of length k. */
    static final class Scratch {
        final double[] a;
        final double[] b;
        final double[] c;
        final double[] d;
        final float[] f;

        Scratch(int k) {
            a = new double[k];
            b = new double[k];
            c = new double[k];
            d = new double[k];
            f = new float[k];
        }
    }

    static void read(Dense src, int row, int k, double[] out, Scratch s) {
        int off = row * k;
        if (src.f != null) {
            src.f.get(off, s.f, 0, k);
            for (int j = 0; j < k; j++) {
                out[j] = s.f[j];
            }
        } else {
            src.d.get(off, out, 0, k);
        }
    }

    static void write(Dense dst, int row, int k, double[] in, Scratch s) {
        int off = row * k;
        if (dst.f != null) {
            for (int j = 0; j < k; j++) {
                s.f[j] = (float) in[j];
            }
            dst.f.put(off, s.f, 0, k);
        } else {
            dst.d.put(off, in, 0, k);
        }
    }

    /** A body run over a contiguous range of rows with its own scratch. */
    interface RangeBody {
        void run(int from, int to, Scratch scratch);
    }

    /** A body run over a contiguous range of rows with its own scratch, returning the range's partial sum. */
    interface RangeSum {
        double run(int from, int to, Scratch scratch);
    }

    /** Rows per chunk for rows of k elements: about {@link #CHUNK_ELEMENTS} elements, at least one row. */
    static int chunkRows(int k) {
        return Math.max(1, CHUNK_ELEMENTS / Math.max(1, k));
    }

    /** Runs body over [0, n) rows in chunks fixed by the shape (see {@link Parallel}). */
    static void forRows(int n, int k, RangeBody body) {
        Parallel.forChunks(n, chunkRows(k), (from, to) -> body.run(from, to, new Scratch(k)));
    }

    /** The sum of body's partial sums over [0, n) rows, added in chunk order: the same bits on any core count. */
    static double sumRows(int n, int k, RangeSum body) {
        return Parallel.sum(n, chunkRows(k), (from, to) -> body.run(from, to, new Scratch(k)));
    }

    static String where(String op, String arg, int i, int j) {
        return op + ": " + arg + "[" + i + ", " + j + "]";
    }

    /** [N, K] with N >= 1 and K >= 1, or a ShapeMismatchException naming the op. */
    static long[] requireLogits(String op, Tensor logits) {
        if (logits.rank() != 2) {
            throw new ShapeMismatchException(op + ": logits must be [N, K], got shape " + Check.shape(logits.shape()));
        }
        long[] s = logits.shape();
        if (s[0] < 1 || s[1] < 1) {
            throw new IllegalArgumentException(op + ": logits must have at least one row and one class, got shape "
                    + Check.shape(s));
        }
        return s;
    }

    /** A constant [N, K] array of the logits' type, e.g. targets or a teacher's logits. */
    static void requireCompanion(String op, String arg, INDArray a, Tensor logits) {
        Check.floating(op, arg, a);
        Check.sameShape(op + " (" + arg + " vs logits)", a.shape(), logits.shape());
        if (a.dataType() != logits.dataType()) {
            throw new DataTypeMismatchException(op + ": " + arg + " is " + Check.dtype(a.dataType()) + " but logits are "
                    + Check.dtype(logits.dataType()));
        }
    }

    static void requirePositive(String op, String arg, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(op + ": " + arg + " must be a finite number > 0, got " + v);
        }
    }

    /**
     * Max of a row, after checking it holds no NaN and no +inf (which no softmax can use). -inf is
     * allowed: a masked class. Returns -inf for a row that is all -inf.
     */
    static double checkedMax(String op, String arg, double[] z, int k, int row) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double v = z[j];
            if (v != v || v == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(where(op, arg, row, j) + " = " + v
                        + "; expected a finite value or -inf (a masked class)");
            }
            if (v > m) {
                m = v;
            }
        }
        return m;
    }

    /**
     * e[j] = exp(z[j] - m) for a row with max m > -inf; returns the sum of the terms other than the
     * (first) maximal one, so that the row's sum is 1 + others and its log is log1p(others): exact
     * even when the other terms are far below the double epsilon (a confident row's loss of 1e-39
     * stays 1e-39 instead of becoming 0).
     */
    static double expShifted(double[] z, double m, int k, double[] e) {
        double others = 0.0;
        boolean seenMax = false;
        for (int j = 0; j < k; j++) {
            double zj = z[j]; // read before writing: e may be z itself
            double v = Math.exp(zj - m);
            e[j] = v;
            if (!seenMax && zj == m) {
                seenMax = true;
            } else {
                others += v;
            }
        }
        return others;
    }

    /** z[j] = z[j] / tau unless tau is 1. */
    static void scale(double[] z, int k, double tau) {
        if (tau != 1.0) {
            for (int j = 0; j < k; j++) {
                z[j] = z[j] / tau;
            }
        }
    }

    /**
     * The backward of a scalar loss whose gradient the forward already computed (for upstream 1):
     * returns that gradient itself when upstream is 1, the usual case, or a scaled copy.
     */
    static Tensor.Backward scalarLossBackward(INDArray grad) {
        return up -> {
            double gu = Dense.view(up).get(0);
            if (gu == 1.0) {
                return new INDArray[] {grad};
            }
            INDArray gz = Dense.alloc(up.dataType(), grad.shape());
            Kernels.scale(grad, gu, gz);
            return new INDArray[] {gz};
        };
    }
}
