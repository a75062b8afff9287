package dev.softgrad.core;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Cross-entropy against integer labels for short rows (fewer than 16 classes, the classifier case K = 10):
 * the same math as {@link SoftmaxCrossEntropy} on {@link SoftmaxRow}, vectorised across rows
 * instead of along them. A row of ten logits fills ten of sixteen lanes of one vector, and the
 * per-row work (the maximum, log1p of the sum, the division, the loss and gradient factors) costs
 * more than its exponentials; sixteen rows side by side, transposed so that lane r holds row r's
 * logit j, keep every lane busy and do the per-row work sixteen rows at a time
 * ({@link ShortRowKernels}).
 *
 * <p>Per row, with d_j = (z_j - max z) / tau, s = sum of exp(d_j) over every j but the first
 * maximal one (as {@link SoftmaxRow}):
 * <pre>
 *   l   = w_y (log1p(s) - d_y)                   (0 for an ignored row)
 *   g_j = (p_j w_y - [j = y] w_y) scale / tau     p_j = exp(d_j) / (1 + s)
 * </pre>
 *
 * <p>Bits. This class's row methods are the scalar definition ({@link #rowFloat}, {@link #rowDouble});
 * the vector kernels compute the same operations lane by lane, so the results are the same bits
 * with or without the Vector API, on any worker count. The exponentials and their sums are
 * {@link SoftmaxRow}'s (float path for float32 logits at a float temperature, double path
 * otherwise), and log1p(s) is the row kernel's own {@link SoftmaxRow#log1p} (built from adds,
 * multiplies and divisions, so that it vectorises with the same bits): p, the gradient and the loss
 * are the bits of the row path.
 *
 * <p>Validation is the row path's, with its messages: a NaN or +inf logit (ignored rows included),
 * a row that is all -inf, a target class whose logit is -inf. A block of sixteen rows with any of
 * these (or with a maximum so large that z - max z could overflow a float) is done row by row by
 * the scalar definition, which throws for the first bad row as the row path does.
 */
final class ShortRows {
    private ShortRows() {
    }

    /** Rows side by side in one vector block: one per float lane of a 512-bit vector. */
    static final int BLOCK = 16;

    /** Rows shorter than this take this kernel. */
    static final int MAX_K = 15;

    /** Whether this kernel is used at all (tests compare it with the row path). */
    static volatile boolean enabled = true;

    /** Whether cross-entropy against labels on these logits (K classes, any temperature) takes this kernel. */
    static boolean takes(Dense z, int k) {
        return enabled && k <= MAX_K && (z.d != null || z.f != null);
    }

    /** Whether the vector kernels run (the Vector API is present with sixteen float lanes, and SIMD is on). */
    static boolean vectors() {
        return SoftmaxRow.simd && VectorKernels.FLOAT_LANES;
    }

    /**
     * The node: mean / sum / per-row cross-entropy of logits [N, K] (K at most 15) against labels y
     * (already checked), class weights w (as {@link SoftmaxCrossEntropy.Options#lossWeights}, or
     * null), the ignore label, at tau; {@code normaliser} is what MEAN divides by.
     */
    static Tensor crossEntropy(String op, Tensor logits, int[] y, double[] w, int ignore, double tau,
            double normaliser, SoftmaxCrossEntropy.Reduction reduction) {
        long[] shape = logits.shape();
        INDArray grad = Dense.alloc(logits.dataType(), shape);
        int n = (int) shape[0];
        // the row losses themselves only for NONE; MEAN and SUM need their sum (a chunk's in the thread's buffer)
        double[] rowLoss = reduction == SoftmaxCrossEntropy.Reduction.NONE ? new double[n] : null;
        double total = crossEntropyInto(op, logits.dense(), (int) shape[1], y, w, ignore, tau, normaliser, reduction,
                Dense.view(grad), n, rowLoss);
        return Rows.recordLoss(op, logits, n, rowLoss, total, grad, normaliser, reduction);
    }

    /**
     * The node's computation without the node: the row losses of z [n, k] into rowLoss (if not null),
     * the gradient (scaled by the reduction) into g [n, K]; returns the sum of the row losses of rows
     * that count. Also serves {@link LinearSoftmax}, which keeps its buffers between steps.
     */
    static double crossEntropyInto(String op, Dense z, int k, int[] y, double[] w, int ignore, double tau,
            double normaliser, SoftmaxCrossEntropy.Reduction reduction, Dense g, int n, double[] rowLoss) {
        double scale = SoftmaxCrossEntropy.reductionScale(reduction, normaliser);
        Labels labels = new Labels(op, y, w, ignore, tau, scale);
        return Rows.totalOverRows(n, k, (from, to) -> {
            Scratch s = Scratch.of(k);
            s.lossInto(rowLoss, from, to);
            int i = from;
            if (vectors()) {
                for (; i + BLOCK <= to; i += BLOCK) {
                    boolean done = z.f != null && labels.floatPath()
                            ? ShortRowKernels.blockFloat(z, g, i, k, labels, s)
                            : ShortRowKernels.blockDouble(z, g, i, k, labels, s);
                    if (!done) { // a block with a bad or extreme row: row by row, as the row path
                        for (int r = i; r < i + BLOCK; r++) {
                            row(z, g, r, k, labels, s);
                        }
                    }
                }
            }
            for (; i < to; i++) {
                row(z, g, i, k, labels, s);
            }
            double[] loss = s.loss;
            int base = s.lossBase;
            double sum = 0.0;
            for (int r = from; r < to; r++) {
                if (y[r] != ignore) {
                    sum += loss[r - base];
                }
            }
            return sum;
        });
    }

    /** The labels, weights and factors every row reads. */
    static final class Labels {
        final String op;
        final int[] y;
        final double[] w;
        final int ignore;
        final double tau;
        /** h = scale / tau: the gradient's factor on the target. */
        final double h;

        Labels(String op, int[] y, double[] w, int ignore, double tau, double scale) {
            this.op = op;
            this.y = y;
            this.w = w;
            this.ignore = ignore;
            this.tau = tau;
            this.h = scale / tau;
        }

        boolean floatPath() {
            return (double) (float) tau == tau;
        }

        /** The target mass a = w_y of a row that is not ignored (1 without weights). */
        double mass(int label) {
            return w == null ? 1.0 : w[label];
        }
    }

    /**
     * A thread's buffers: one row, or one block of sixteen rows transposed (element j of row r at
     * j * 16 + r). Kept per thread and reused while K stays the same (a training loop calls the node
     * with the same K every step; allocating them cost a third of a [32, 10] call).
     */
    static final class Scratch {
        private static final ThreadLocal<Scratch> CACHE = new ThreadLocal<>();

        /** This thread's buffers for rows of k (a chunk's body runs on one thread from start to end). */
        static Scratch of(int k) {
            Scratch s = CACHE.get();
            if (s == null || s.k != k) {
                s = new Scratch(k);
                CACHE.set(s);
            }
            return s;
        }

        final int k;
        final float[] zf;
        final float[] ef;
        final double[] z;
        final double[] d;
        final double[] e;
        final double[] partial = new double[SoftmaxRow.PARTIALS_F];
        final float[] blockF;
        final float[] tF;
        final float[] eBlockF;
        final double[] blockD;
        final double[] tD;
        final double[] eBlockD;
        final double[] dBlockD;
        final double[] rowSum = new double[BLOCK];
        final float[] rowLabel = new float[BLOCK];
        /** Per lane of a block (float path): z_y, e_y and max z, then eight lanes of room for a load at lane 8. */
        final float[] rowZy = new float[BLOCK + 8];
        final float[] rowEy = new float[BLOCK + 8];
        final float[] rowMax = new float[BLOCK + 8];
        /** The float path's e_j counted in s (the first maximal one 0), transposed, with room for a load at lane 8 of the last. */
        final float[] countedF;
        final double[] rowMass = new double[BLOCK];
        final double[] rowRp = new double[BLOCK];
        final double[] rowTargetD = new double[BLOCK];
        final double[] rowFactorD = new double[BLOCK];
        final double[] rowR = new double[BLOCK];
        final double[] rowLog1pS = new double[BLOCK];
        final float[] rowFactor = new float[BLOCK];
        final double[] rowFirstD = new double[BLOCK];
        final double[] partialD = new double[8 * 8];
        /** Where the chunk's row losses go: row i's into loss[i - lossBase] ({@link #lossInto}). */
        double[] loss;
        int lossBase;
        private double[] chunkLoss = new double[0];
        /** The float block's transposing index maps (gathers): row r starts at r k; element x of the block (row x / k, element x mod k) is at (x mod k) 16 + x / k when transposed. */
        final int[] rowStart = new int[BLOCK];
        final int[] transposedAt;

        /**
         * Row losses of rows from .. to - 1 go into rowLoss at their row index, or, where rowLoss is
         * null, into this thread's buffer (the caller needs only their sum).
         */
        void lossInto(double[] rowLoss, int from, int to) {
            if (rowLoss != null) {
                loss = rowLoss;
                lossBase = 0;
                return;
            }
            if (chunkLoss.length < to - from) {
                chunkLoss = new double[to - from];
            }
            loss = chunkLoss;
            lossBase = from;
        }

        Scratch(int k) {
            this.k = k;
            zf = new float[k];
            ef = new float[k];
            z = new double[k];
            d = new double[k];
            e = new double[k];
            blockF = new float[k * BLOCK];
            tF = new float[k * BLOCK];
            eBlockF = new float[k * BLOCK];
            countedF = new float[k * BLOCK + 8];
            blockD = new double[k * BLOCK];
            tD = new double[k * BLOCK];
            eBlockD = new double[k * BLOCK];
            dBlockD = new double[k * BLOCK];
            transposedAt = new int[k * BLOCK];
            for (int r = 0; r < BLOCK; r++) {
                rowStart[r] = r * k;
            }
            for (int x = 0; x < k * BLOCK; x++) {
                transposedAt[x] = x % k * BLOCK + x / k;
            }
        }
    }

    /** Row i by the scalar definition: float path for float32 logits at a float tau, else double. */
    static void row(Dense z, Dense g, int i, int k, Labels t, Scratch s) {
        if (z.f != null && t.floatPath()) {
            rowFloat(z, g, i, k, t, s);
        } else {
            Rows.read(z, i, k, s.z, s.zf);
            rowDouble(g, i, k, t, s);
        }
    }

    /** Whether row i is ignored; if not, and it has no class left (all -inf), the row path's error. */
    static boolean ignored(Labels t, int i, boolean allMasked) {
        if (t.y[i] == t.ignore) {
            return true;
        }
        if (allMasked) {
            throw SoftmaxCrossEntropy.allMasked(t.op, i);
        }
        return false;
    }

    /**
     * Row i on the float path: e_j = exp(d_j) in float ({@link SoftmaxRow#expShiftedF}), s in double,
     * l = 0 - a (d_y - log1p(s)), g_j = e_j (float) (r a h) and g_y = e_y r a h - a h in double,
     * with r = 1 / (1 + s). A row whose z - max z could overflow a float takes {@link #rowDouble}, as
     * in the row path.
     */
    static void rowFloat(Dense z, Dense g, int i, int k, Labels t, Scratch s) {
        float[] zf = s.zf;
        float[] e = s.ef;
        z.f.get(i * k, zf, 0, k);
        int first = SoftmaxRow.firstMaxScalarF(zf, k, t.op, "logits", i);
        if (ignored(t, i, first < 0)) {
            Arrays.fill(e, 0f);
            g.f.put(i * k, e, 0, k);
            return;
        }
        float zm = zf[first];
        float lo = SoftmaxRow.floorArg(zm, t.tau);
        if (lo != lo) {
            for (int j = 0; j < k; j++) {
                s.z[j] = zf[j];
            }
            rowDouble(g, i, k, t, s);
            return;
        }
        zf[first] = Float.NEGATIVE_INFINITY; // the first maximal term is exactly 1 and left out of s
        SoftmaxRow.expShiftedF(zf, zm, (float) t.tau, lo, k, e, s.partial);
        zf[first] = zm;
        e[first] = 1f;
        double sum = SoftmaxRow.sumPartialsF(s.partial, k);
        double log1pS = SoftmaxRow.log1p(sum);
        double r = 1.0 / (1.0 + sum);
        int y = t.y[i];
        double a = t.mass(y);
        double mass = labelLoss(t, i, y, a, zf[y] == Float.NEGATIVE_INFINITY,
                a != 0.0 ? SoftmaxRow.shifted(zf[y], zm, t.tau) : 0.0, log1pS, s);
        double rp = r * (mass * t.h);
        float f = (float) rp;
        float ey = e[y];
        for (int j = 0; j < k; j++) {
            e[j] = e[j] * f;
        }
        e[y] = (float) (ey * rp - a * t.h);
        g.f.put(i * k, e, 0, k);
    }

    /**
     * Row i on the double path, from {@code s.z}: d_j and e_j = exp(d_j) ({@link SoftmaxRow#expShifted}),
     * s in eight partials, p_j = e_j r, l = 0 - a (d_y - log1p(s)), g_j = p_j a h, g_y -= a h.
     */
    static void rowDouble(Dense g, int i, int k, Labels t, Scratch s) {
        double[] z = s.z;
        double[] d = s.d;
        double[] e = s.e;
        int first = SoftmaxRow.firstMaxScalar(z, k, t.op, "logits", i);
        if (ignored(t, i, first < 0)) {
            Arrays.fill(e, 0.0);
            Rows.write(g, i, k, e, s.zf);
            return;
        }
        double zm = z[first];
        z[first] = Double.NEGATIVE_INFINITY;
        SoftmaxRow.expShifted(z, zm, t.tau, k, d, e, s.partial);
        z[first] = zm;
        d[first] = 0.0;
        e[first] = 1.0;
        double sum = SoftmaxRow.sumPartials(s.partial);
        double log1pS = SoftmaxRow.log1p(sum);
        double r = 1.0 / (1.0 + sum);
        int y = t.y[i];
        double a = t.mass(y);
        double mass = labelLoss(t, i, y, a, z[y] == Double.NEGATIVE_INFINITY, d[y], log1pS, s);
        double pFactor = mass * t.h;
        for (int j = 0; j < k; j++) {
            e[j] = (e[j] * r) * pFactor;
        }
        e[y] -= a * t.h;
        Rows.write(g, i, k, e, s.zf);
    }

    /**
     * Row i's loss against its label y of mass a, l = 0 - a (d_y - log1p(s)) (0 where a = 0), into
     * the chunk's losses ({@link Scratch#lossInto}); returns the target mass C that scales the row's gradient (a, or 0 where a = 0). A
     * label on a masked class (its logit -inf) is an error. Shared by {@link #rowFloat} and
     * {@link #rowDouble}, which differ only in how d_y is formed.
     */
    private static double labelLoss(Labels t, int i, int y, double a, boolean masked, double dy, double log1pS,
            Scratch s) {
        double loss = 0.0;
        double mass = 0.0;
        if (a != 0.0) {
            if (masked) {
                throw SoftmaxCrossEntropy.maskedTarget(t.op, i, y, a);
            }
            loss -= a * (dy - log1pS);
            mass += a;
        }
        s.loss[i - s.lossBase] = loss;
        return mass;
    }
}
