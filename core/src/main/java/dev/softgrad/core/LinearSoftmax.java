package dev.softgrad.core;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The linear softmax classifier's training gradient in one call, without a graph
 * ({@link Functional#linearCrossEntropyGrad}):
 * <pre>
 *   z  = x W + b                       [N, K]   (MatMulOps.affine: the skinny kernels or BLAS)
 *   l  = CE(z / tau, y)                         (SoftmaxCrossEntropy's kernels: ShortRows for K &lt; 16, SoftmaxRow rows)
 *   g  = dl/dz = (p C - c) s / tau     [N, K]   (for plain labels and the mean: (p - onehot(y)) / N)
 *   dW = x^T g                         [D, K]   (MatMulOps.transposedTimes)
 *   db = sum_i g_i                     [K]      (MatMulOps.columnSums)
 * </pre>
 * Every line is the call that {@code Functional.linear} + {@code Losses.crossEntropy} + backward make,
 * on the same arguments in the same order, so the loss and the gradients are the same bits as the
 * autograd path for any type and worker count; what is saved is the graph (nodes, closures, the
 * backward engine's sort and gradient exchange), the arena and the per-step arrays: z, g and the row
 * losses live in per-thread buffers kept between calls (the two most recent shapes, so an epoch's
 * shorter last batch does not evict the full one; their views are {@link Dense#view}'s, which keeps them).
 *
 * <p>The gradients accumulate as autograd's do: a parameter whose gradient was zeroed
 * ({@link Tensor#zeroGrad()}) or that has none yet gets x^T g (and sum_i g_i) written straight into
 * its gradient buffer (autograd would copy the same values there); otherwise they are added to it
 * with the engine's own addition. Parameters that do not require a gradient get none.
 */
final class LinearSoftmax {
    private LinearSoftmax() {
    }

    static final String OP = SoftmaxCrossEntropy.OP;

    /** {@link Functional#linearCrossEntropyGrad}: the loss, rounded to x's type; gradients into W.grad and b.grad. */
    static double lossAndGrad(Tensor x, Tensor w, Tensor b, int[] y, SoftmaxCrossEntropy.Options options,
            INDArray logits) {
        Functional.checkLinear(x, w, b);
        checkLeaves(x, w, b);
        int n = (int) x.size(0);
        int d = (int) x.size(1);
        int k = (int) w.size(1);
        Rows.requireClasses(OP, new long[] {n, k});
        options.checkWeights(OP, k);
        int counted = SoftmaxCrossEntropy.checkLabels(OP, y, n, k, options.ignoreIndex());
        if (options.reduction() == SoftmaxCrossEntropy.Reduction.NONE) {
            throw new IllegalArgumentException("linearCrossEntropyGrad: reduction must be MEAN or SUM (a scalar loss), got"
                    + " NONE; use Functional.linear and Losses.crossEntropy for per-row losses");
        }
        DataType type = x.dataType();
        Buffers buf = Buffers.ofThread();
        INDArray z = logits != null ? checkLogits(logits, type, n, k) : buf.array(Buffers.Z, type, n, k);
        INDArray g = buf.array(Buffers.G, type, n, k);
        INDArray xv = x.value();
        // forward: z = x W + b
        MatMulOps.affine(xv, w.value(), b == null ? null : b.value(), z);
        // the loss and g = dl/dz, scaled by the reduction
        double[] cw = options.lossWeights(true);
        double normaliser = SoftmaxCrossEntropy.labelMass(y, cw, options.ignoreIndex(), counted);
        double total = SoftmaxCrossEntropy.labelLossInto(Dense.view(z), k, y, cw, options, normaliser, Dense.view(g),
                buf.rowLoss(n));
        // backward: dW = x^T g, db = sum_i g_i
        if (w.requiresGrad()) {
            INDArray dw = gradTarget(w, buf, Buffers.DW, d, k);
            MatMulOps.transposedTimes(xv, g, dw);
            accumulate(w, dw);
        }
        if (b != null && b.requiresGrad()) {
            INDArray db = gradTarget(b, buf, Buffers.DB, 1, k);
            MatMulOps.columnSums(g, db);
            accumulate(b, db);
        }
        double loss = Rows.scalarLoss(n, total, normaliser, options.reduction());
        return type == DataType.FLOAT ? (double) (float) loss : loss;
    }

    /** Where a parameter's gradient is written: its own buffer when it was zeroed or is new, else a scratch array to add. */
    private static INDArray gradTarget(Tensor p, Buffers buf, int slot, int rows, int cols) {
        if (p.grad == null) {
            p.grad = Nd4j.createUninitialized(p.dataType(), p.shape(), 'c'); // outlives the step, as autograd's
            p.gradZeroed = true;
        }
        return p.gradZeroed ? p.grad : buf.array(slot, p.dataType(), rows, cols);
    }

    /** grad += written, unless written is the gradient buffer itself (then it was overwritten). */
    private static void accumulate(Tensor p, INDArray written) {
        if (written != p.grad) {
            Kernels.addInPlace(p.grad, written);
        }
        p.gradZeroed = false;
        p.gradStale = false;
    }

    /** x must be data and W, b leaves: nothing flows further back than W and b. */
    private static void checkLeaves(Tensor x, Tensor w, Tensor b) {
        if (x.requiresGrad()) {
            throw new IllegalArgumentException("linearCrossEntropyGrad: x must not require grad (it computes dL/dW and dL/db"
                    + " only), got " + x + "; use Functional.linear and Losses.crossEntropy");
        }
        for (Tensor p : b == null ? new Tensor[] {w} : new Tensor[] {w, b}) {
            if (!p.isLeaf()) {
                throw new IllegalArgumentException("linearCrossEntropyGrad: weight and bias must be parameters or constants"
                        + " (leaves), got " + p + "; use Functional.linear and Losses.crossEntropy");
            }
        }
        if (!w.requiresGrad() && (b == null || !b.requiresGrad()) || !Autograd.isGradEnabled()) {
            throw new IllegalArgumentException("linearCrossEntropyGrad: no gradient to compute: neither weight nor bias"
                    + " requires grad, or recording is off (Autograd.noGrad)");
        }
    }

    private static INDArray checkLogits(INDArray logits, DataType type, int n, int k) {
        if (logits.dataType() != type || !Dense.isDense(logits) || !Arrays.equals(logits.shape(), new long[] {n, k})) {
            throw new IllegalArgumentException("linearCrossEntropyGrad: logits must be a dense " + Check.dtype(type)
                    + " [" + n + ", " + k + "] array, got " + Check.dtype(logits.dataType()) + Check.shape(logits.shape())
                    + (Dense.isDense(logits) ? "" : " (not dense)"));
        }
        return logits;
    }

    /**
     * A thread's arrays for z, g and scratch gradients, by slot, each slot remembering its two most
     * recent shapes; and the row losses.
     */
    private static final class Buffers {
        static final int Z = 0;
        static final int G = 1;
        static final int DW = 2;
        static final int DB = 3;
        private static final ThreadLocal<Buffers> OF_THREAD = ThreadLocal.withInitial(Buffers::new);

        private final INDArray[][] arrays = new INDArray[4][2];
        private final long[][][] shapes = new long[4][2][];
        private double[] rowLoss = new double[0];
        private double[] previousRowLoss = new double[0];

        static Buffers ofThread() {
            return OF_THREAD.get();
        }

        INDArray array(int slot, DataType type, int rows, int cols) {
            INDArray[] a = arrays[slot];
            long[][] s = shapes[slot];
            for (int i = 0; i < 2; i++) {
                if (a[i] != null && a[i].dataType() == type && s[i][0] == rows && s[i][1] == cols) {
                    return a[i];
                }
            }
            a[1] = a[0];
            s[1] = s[0];
            s[0] = new long[] {rows, cols};
            a[0] = Nd4j.createUninitialized(type, slot == DB ? new long[] {cols} : s[0], 'c');
            return a[0];
        }


        double[] rowLoss(int n) {
            if (rowLoss.length != n) {
                double[] t = previousRowLoss;
                previousRowLoss = rowLoss;
                rowLoss = t.length == n ? t : new double[n];
            }
            return rowLoss;
        }
    }
}
