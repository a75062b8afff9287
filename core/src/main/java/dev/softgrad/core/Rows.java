package dev.softgrad.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the softmax-family nodes share besides {@link SoftmaxRow}: row reads and writes of dense
 * [N, K] arrays as doubles (so a float32 logit of 3e38 divided by a small temperature stays
 * representable), deterministic loops over chunks of rows ({@link Parallel}), argument checks, and
 * the recording of a loss node with its reduction.
 */
final class Rows {
    private Rows() {
    }

    /** Elements per chunk of rows: a chunk's size depends on the shape alone, never on the cores. */
    static final int CHUNK_ELEMENTS = 1 << 16;

    /** Row {@code row} of the [N, k] array src into out, with one bulk read (through io for float32). */
    static void read(Dense src, int row, int k, double[] out, float[] io) {
        int off = row * k;
        if (src.f != null) {
            src.f.get(off, io, 0, k);
            for (int j = 0; j < k; j++) {
                out[j] = io[j];
            }
        } else {
            src.d.get(off, out, 0, k);
        }
    }

    /** in as row {@code row} of the [N, k] array dst, with one bulk write (rounded to float32 through io). */
    static void write(Dense dst, int row, int k, double[] in, float[] io) {
        int off = row * k;
        if (dst.f != null) {
            for (int j = 0; j < k; j++) {
                io[j] = (float) in[j];
            }
            dst.f.put(off, io, 0, k);
        } else {
            dst.d.put(off, in, 0, k);
        }
    }

    /** A body run over a contiguous range of rows [from, to). */
    interface Range {
        void run(int from, int to);
    }

    /** A body run over a contiguous range of rows [from, to), returning the range's partial sum. */
    interface RangeTotal {
        double run(int from, int to);
    }

    /** Rows per chunk for rows of k elements: about {@link #CHUNK_ELEMENTS} elements, at least one row. */
    static int chunkRows(int k) {
        return Math.max(1, CHUNK_ELEMENTS / Math.max(1, k));
    }

    /** Runs body over [0, n) rows in chunks fixed by the shape (see {@link Parallel}). */
    static void eachRow(int n, int k, Range body) {
        Parallel.forChunks(n, chunkRows(k), body::run);
    }

    /** The sum of body's partial sums over [0, n) rows, added in chunk order: the same bits on any core count. */
    static double totalOverRows(int n, int k, RangeTotal body) {
        return Parallel.sum(n, chunkRows(k), body::run);
    }

    static String where(String op, String arg, int i, int j) {
        return op + ": " + arg + "[" + i + ", " + j + "]";
    }

    /**
     * [N, K] with K >= 1, or a ShapeMismatchException naming the op. N = 0 is allowed, as in PyTorch:
     * a mean over no rows is NaN (0 / 0), a sum 0, the per-row losses [0]. K = 0 stays an error: a
     * loss over no classes has no value (PyTorch's cross-entropy of [N, 0] fails too).
     */
    static long[] requireLogits(String op, Tensor logits) {
        if (logits.rank() != 2) {
            throw new ShapeMismatchException(op + ": logits must be [N, K], got shape " + Check.shape(logits.shape()));
        }
        return requireClasses(op, logits.shape());
    }

    /** Logits of shape s = [N, K] (rank 2) must have K >= 1: the message of {@link #requireLogits}. */
    static long[] requireClasses(String op, long[] s) {
        if (s[1] < 1) {
            throw new IllegalArgumentException(op + ": logits must have at least one class, got shape "
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

    /** dz_ij = a_ij * up_i / divisor for [N, K] a and [N] up (the backward of a per-row output). */
    static INDArray scaleRows(INDArray a, INDArray up, double divisor) {
        long[] shape = a.shape();
        int k = (int) shape[shape.length - 1];
        int n = (int) (a.length() / k);
        INDArray gz = Dense.alloc(up.dataType(), shape);
        Dense dup = Dense.view(up);
        Dense da = Dense.view(a);
        Dense dz = Dense.view(gz);
        for (int i = 0; i < n; i++) {
            double gi = dup.get(i) / divisor;
            for (int j = i * k; j < (i + 1) * k; j++) {
                dz.set(j, da.get(j) * gi);
            }
        }
        return gz;
    }

    /**
     * Records a loss node from its row losses and its gradient (already scaled by the reduction):
     * NONE gives the row losses [N], whose backward scales gradient row i by upstream_i; MEAN
     * (total / normaliser, or 0 when nothing counts) and SUM give a scalar whose backward scales the
     * gradient by the upstream scalar.
     */
    static Tensor recordLoss(String op, Tensor logits, double[] rowLoss, double total, INDArray grad, double normaliser,
            SoftmaxCrossEntropy.Reduction reduction) {
        return recordLoss(op, logits, rowLoss.length, rowLoss, total, grad, normaliser, reduction);
    }

    /** {@link #recordLoss} for n rows whose row losses (rowLoss) are needed only for NONE (null otherwise). */
    static Tensor recordLoss(String op, Tensor logits, int n, double[] rowLoss, double total, INDArray grad,
            double normaliser, SoftmaxCrossEntropy.Reduction reduction) {
        if (reduction == SoftmaxCrossEntropy.Reduction.NONE) {
            INDArray out = Dense.alloc(logits.dataType(), new long[] {n});
            Dense o = Dense.view(out);
            for (int i = 0; i < n; i++) {
                o.set(i, rowLoss[i]);
            }
            // d loss_i / d z_ij = grad_ij, times upstream_i
            return Tensor.record(op, out, up -> new INDArray[] {scaleRows(grad, up, 1.0)}, logits);
        }
        INDArray out = Dense.alloc(logits.dataType(), new long[0]);
        Dense.view(out).set(0, scalarLoss(n, total, normaliser, reduction));
        return Tensor.record(op, out, scalarLossBackward(grad), logits);
    }

    /** The value of a MEAN or SUM loss over n rows whose losses sum to total (before rounding to the logits' type). */
    static double scalarLoss(int n, double total, double normaliser, SoftmaxCrossEntropy.Reduction reduction) {
        // no rows at all: PyTorch's 0 / 0 = NaN; rows that are all ignored: 0 (see SoftmaxCrossEntropy)
        double mean = n == 0 ? Double.NaN : normaliser == 0 ? 0.0 : total / normaliser;
        return reduction == SoftmaxCrossEntropy.Reduction.MEAN ? mean : total;
    }
}
