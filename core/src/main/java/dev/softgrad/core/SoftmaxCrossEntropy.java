package dev.softgrad.core;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax cross-entropy from logits, with PyTorch's semantics ({@code F.cross_entropy}).
 *
 * <p>Logits z [N, K], temperature tau > 0, u = z / tau, p = softmax(u) row-wise, optional class
 * weights w [K]. Per sample:
 * <ul>
 *   <li>integer labels y_i: {@code l_i = w_{y_i} (logsumexp(u_i) - u_{i,y_i})}; a row whose label is
 *       the ignore label contributes nothing;</li>
 *   <li>probability rows q_i (non-negative, summing to 1): {@code l_i = sum_j w_j q_ij (logsumexp(u_i) - u_ij)},
 *       where a zero target against a -inf logit contributes 0 (0 log 0 = 0, as optax; PyTorch gives NaN).</li>
 * </ul>
 * Reductions: {@code NONE} gives l [N]; {@code SUM} gives sum_i l_i; {@code MEAN} (the default) gives
 * sum_i l_i / sum_i w_{y_i} over non-ignored rows for labels (PyTorch's weighted mean) and
 * sum_i l_i / N for probability targets (PyTorch does not normalise those by the weights). Where
 * every row is ignored, MEAN gives 0 with a zero gradient (PyTorch gives NaN); with no rows at all
 * (N = 0) MEAN is NaN as in PyTorch, SUM 0 and NONE an empty [0]. The weighted mean is
 * computed with the weights divided by the largest, so any common scale (1e-310 or 1e308) gives the
 * same value and gradient, with no overflow or underflow in sum_i w_{y_i}.
 *
 * <p>Gradient: {@code d l_i / d z_ij = (p_ij C_i - c_ij) / tau} with c_ij the weighted target mass and
 * C_i its row sum: for unweighted labels, exactly (p - onehot(y)) / tau, scaled by the reduction
 * (1/N for the mean). Per-sample Hessian: {@code C_i (diag(p) - p p^T) / tau^2}
 * ({@link #hessian}, {@link #hessianVectorProduct}).
 *
 * <p>Stability: computed from logits with the row maximum subtracted ({@link SoftmaxRow}; against
 * labels with fewer than 16 classes, {@code ShortRows}, the same math sixteen rows at a time), in double
 * inside the kernel, except that float32 logits at a temperature that is a float take its float
 * path (exponentials in float from an exact argument, their sum and log p in double; p and a label
 * gradient within ~2 float ulps, a dense target's gradient element within 4 float ulps of the larger
 * of p_j C h and c_j h), so any finite logits (float32 up to +-3.4e38, any temperature that keeps z / tau finite in double)
 * give a finite loss and gradient, unless the loss itself exceeds the output type's range. NaN and
 * +inf logits are errors, in ignored rows too; -inf marks a masked class, and a target on a masked
 * class is an error.
 *
 * <pre>{@code
 * Tensor loss = Losses.crossEntropy(logits, labels);                       // mean
 * Tensor perSample = Losses.crossEntropy(logits, labels,
 *         SoftmaxCrossEntropy.Options.DEFAULT.withReduction(SoftmaxCrossEntropy.Reduction.NONE));
 * }</pre>
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    static final String OP = "softmaxCrossEntropy";

    /** How per-sample losses are combined, as PyTorch's {@code reduction}. */
    public enum Reduction {
        /** The (weighted) mean over the batch. */
        MEAN,
        /** The sum over the batch. */
        SUM,
        /** The per-sample losses, shape [N]. */
        NONE
    }

    /**
     * Options shared by the softmax losses.
     *
     * @param reduction    MEAN, SUM or NONE
     * @param classWeights per-class weights (finite, >= 0; length K), or null for none
     * @param ignoreIndex  a label whose rows contribute nothing (PyTorch's default -100: none in [0, K))
     * @param temperature  tau > 0: the loss uses softmax(z / tau)
     */
    public record Options(Reduction reduction, double[] classWeights, int ignoreIndex, double temperature) {
        /** PyTorch's defaults: MEAN, no weights, ignore -100, tau = 1. */
        public static final Options DEFAULT = new Options(Reduction.MEAN, null, -100, 1.0);

        /** Validates. */
        public Options {
            if (reduction == null) {
                throw new IllegalArgumentException(OP + ": reduction must be MEAN, SUM or NONE, got null");
            }
            Rows.requirePositive(OP, "temperature", temperature);
            if (classWeights != null) {
                classWeights = classWeights.clone();
                for (int j = 0; j < classWeights.length; j++) {
                    double w = classWeights[j];
                    if (!(w >= 0) || !Double.isFinite(w)) {
                        throw new IllegalArgumentException(OP + ": classWeights[" + j + "] must be finite and >= 0, got " + w);
                    }
                }
            }
        }

        @Override
        public double[] classWeights() {
            return classWeights == null ? null : classWeights.clone();
        }

        /** A copy with another reduction. */
        public Options withReduction(Reduction r) {
            return new Options(r, classWeights, ignoreIndex, temperature);
        }

        /** A copy with class weights (null for none). */
        public Options withClassWeights(double... w) {
            return new Options(reduction, w, ignoreIndex, temperature);
        }

        /** A copy with another ignore label. */
        public Options withIgnoreIndex(int label) {
            return new Options(reduction, classWeights, label, temperature);
        }

        /** A copy with another temperature. */
        public Options withTemperature(double tau) {
            return new Options(reduction, classWeights, ignoreIndex, tau);
        }

        double weight(int j) {
            return classWeights == null ? 1.0 : classWeights[j];
        }

        /**
         * The class weights a loss multiplies by: null for none; for the MEAN over labels, the weights
         * divided by the largest, so that the weighted mean sum_i w_yi l_i / sum_i w_yi neither
         * overflows nor underflows in its normaliser (it is unchanged by any common factor).
         */
        double[] lossWeights(boolean labelMean) {
            if (classWeights == null) {
                return null;
            }
            double[] w = classWeights.clone();
            if (labelMean && reduction == Reduction.MEAN) {
                double max = 0.0;
                for (double v : w) {
                    max = Math.max(max, v);
                }
                if (max > 0) {
                    for (int j = 0; j < w.length; j++) {
                        w[j] = w[j] / max;
                    }
                }
            }
            return w;
        }

        void checkWeights(String op, int k) {
            if (classWeights != null && classWeights.length != k) {
                throw new ShapeMismatchException(op + ": classWeights must have length K = " + k + ", got "
                        + classWeights.length);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Options x && x.reduction == reduction && Arrays.equals(x.classWeights, classWeights)
                    && x.ignoreIndex == ignoreIndex && Double.compare(x.temperature, temperature) == 0;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(classWeights) * 31 + reduction.hashCode() + ignoreIndex * 7
                    + Double.hashCode(temperature);
        }

        @Override
        public String toString() {
            return "Options[reduction=" + reduction + ", classWeights=" + Arrays.toString(classWeights) + ", ignoreIndex="
                    + ignoreIndex + ", temperature=" + temperature + "]";
        }
    }

    /**
     * Labels of length N in [0, K) or equal to the ignore label, else an exception naming the first bad
     * one; returns the number of labels that are not the ignore label. One pass without a branch per
     * label (at [819200, 10] the check and the count were 0.6 ms of a 29 ms call), a second one only
     * to name a bad label.
     */
    static int checkLabels(String op, int[] labels, long n, int k, int ignoreIndex) {
        if (labels == null || labels.length != n) {
            throw new ShapeMismatchException(op + ": labels must have length N = " + n + " (the rows of logits), got "
                    + (labels == null ? "null" : labels.length));
        }
        int counted = 0;
        boolean bad = false;
        for (int y : labels) {
            boolean kept = y != ignoreIndex;
            counted += kept ? 1 : 0;
            bad |= kept & (y < 0 | y >= k);
        }
        if (!bad) {
            return counted;
        }
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            if (y != ignoreIndex && (y < 0 || y >= k)) {
                throw new IllegalArgumentException(op + ": labels[" + i + "] = " + y + " is out of range [0, " + k + ")"
                        + (ignoreIndex == -100 ? "" : " and is not the ignore label " + ignoreIndex));
            }
        }
        throw new AssertionError("a bad label was seen and not found again: labels changed during the call");
    }

    /**
     * sum_i w_{y_i} over the rows whose label is not the ignore label; without weights (w null) that
     * sum of ones is {@code counted}, the count {@link #checkLabels} returned (exact, and no second
     * pass over the labels).
     */
    static double labelMass(int[] labels, double[] w, int ignoreIndex, int counted) {
        if (w == null) {
            return counted;
        }
        double mass = 0.0;
        for (int y : labels) {
            if (y != ignoreIndex) {
                mass += w[y];
            }
        }
        return mass;
    }

    /** The factor the reduction puts on each row's gradient: 1 / normaliser for MEAN (0 if nothing counts), else 1. */
    static double reductionScale(Reduction reduction, double normaliser) {
        return reduction == Reduction.MEAN ? (normaliser == 0 ? 0.0 : 1.0 / normaliser) : 1.0;
    }

    /** Cross-entropy against integer labels: the target row is mass w_y on class y. */
    public static Tensor apply(Tensor logits, int[] labels, Options options) {
        long[] s = Rows.requireLogits(OP, logits);
        int k = (int) s[1];
        options.checkWeights(OP, k);
        int counted = checkLabels(OP, labels, s[0], k, options.ignoreIndex());
        // the labels are read during this call only (the backward keeps no reference to them), so they
        // are not copied: a copy cost 0.7 ms of a 26 ms call at N = 819,200
        int[] y = labels;
        double[] w = options.lossWeights(true);
        double normaliser = labelMass(y, w, options.ignoreIndex(), counted);
        if (ShortRows.takes(logits.dense(), k)) { // K < 16: vectorised across rows
            return ShortRows.crossEntropy(OP, logits, y, w, options.ignoreIndex(), options.temperature(), normaliser,
                    options.reduction());
        }
        return crossEntropy(OP, logits, options.temperature(), labelTarget(y, w, options.ignoreIndex()), normaliser,
                options.reduction(), false);
    }

    /**
     * What {@link #apply(Tensor, int[], Options)} computes, without a node, into the caller's buffers:
     * the row losses of z [N, k] (N = rowLoss.length; labels y and options already checked, w =
     * {@code options.lossWeights(true)}, normaliser = {@link #labelMass}) into rowLoss and the
     * gradient, scaled by the reduction, into grad; returns the sum of the row losses. The same
     * kernels as the node, so the same bits ({@link LinearSoftmax} keeps its buffers between steps).
     */
    static double labelLossInto(Dense z, int k, int[] y, double[] w, Options options, double normaliser, Dense grad,
            double[] rowLoss) {
        if (ShortRows.takes(z, k)) {
            return ShortRows.crossEntropyInto(OP, z, k, y, w, options.ignoreIndex(), options.temperature(), normaliser,
                    options.reduction(), grad, rowLoss.length, rowLoss);
        }
        return rowsInto(OP, z, k, options.temperature(), labelTarget(y, w, options.ignoreIndex()), normaliser,
                options.reduction(), false, grad, rowLoss);
    }

    /** The target of labels y: mass w_y (1 without weights) on class y; rows labelled {@code ignore} count nothing. */
    private static Target labelTarget(int[] y, double[] w, int ignore) {
        return (i, row, t) -> {
            if (y[i] == ignore) {
                return false;
            }
            t.label(y[i], w == null ? 1.0 : w[y[i]]);
            return true;
        };
    }

    /** Cross-entropy against probability rows (a constant [N, K] array of the logits' type): c_j = w_j q_j. */
    public static Tensor apply(Tensor logits, INDArray targets, Options options) {
        long[] s = Rows.requireLogits(OP, logits);
        int n = (int) s[0];
        int k = (int) s[1];
        options.checkWeights(OP, k);
        Rows.requireCompanion(OP, "targets", targets, logits);
        Dense q = Dense.view(Dense.densify(targets));
        double[] w = options.lossWeights(false);
        double[] wPadded = w == null ? null : Arrays.copyOf(w, SoftmaxRow.paddedLengthF(k)); // the float path's cw
        Target target = (i, row, t) -> {
            t.dense = true;
            if (row.single) { // the float row as read, times the weights: c_j = q_j w_j
                float[] qRow = row.readOther(q, i); // valid until the next row's load
                if (wPadded != null) {
                    checkDistribution(OP, "targets", i, qRow, k, t.c);
                    t.floatTarget(qRow, wPadded);
                } else { // c = q: checked from the loss's own sum of c_j (rowsInto)
                    t.floatTarget(qRow, t.onesD);
                    t.checkAsDistribution = true;
                }
                return true;
            }
            row.readOther(q, i, t.c);
            checkDistribution(OP, "targets", i, t.c, k); // checked as each row is read
            if (w != null) {
                for (int j = 0; j < k; j++) {
                    t.c[j] *= w[j];
                }
            }
            return true;
        };
        return crossEntropy(OP, logits, options.temperature(), target, n, options.reduction(), true);
    }

    /**
     * The target of one row, c_j >= 0 (the weighted target mass on class j): mass {@code a} on
     * label {@code y} (y = -1: none) plus, when {@code dense}, the mass c_j on every class, held as
     * the row {@link #c} or, on the float path, as c_j = q_j cw_j ({@link #floatTarget});
     * {@code constant} is added to the row's loss (e.g. the target's negative entropy, for a KL).
     */
    static final class TargetRow {
        int y;
        double a;
        boolean dense;
        /** The dense target row (zero past k), unless {@link #q} is set. */
        final double[] c;
        /** Float path: c_j = q_j cw_j (null: c holds the target). */
        float[] q;
        double[] cw;
        /** Rows of ones (zero past k). */
        final float[] onesF;
        final double[] onesD;
        /** The float gradient's factors (float) (cw_j h), valid for the row {@link #cwhFor} (else stale). */
        final float[] cwh;
        double[] cwhFor;
        /** The float target q (with cw = 1) is a probability row still to check ({@link #checkDistribution}). */
        boolean checkAsDistribution;
        double constant;
        /**
         * Set by a target whose c is the same on every row, after it filled c, so that later rows of
         * the chunk skip the fill; null at each chunk's start ({@link Work#of}). A target that writes
         * c per row leaves it alone (and sets {@link #cwhFor} to null).
         */
        Object filledBy;

        TargetRow(int k, int padded) {
            c = new double[padded];
            onesF = new float[padded];
            onesD = new double[padded];
            java.util.Arrays.fill(onesF, 0, Math.min(k, padded), 1f);
            java.util.Arrays.fill(onesD, 0, Math.min(k, padded), 1.0);
            cwh = new float[padded];
        }

        void label(int label, double mass) {
            y = label;
            a = mass;
        }

        /** The dense target is c_j = q_j cw_j (both zero or ones past k as their product is 0). */
        void floatTarget(float[] q, double[] cw) {
            this.q = q;
            this.cw = cw;
        }

        /** c_j, as either form holds it. */
        double c(int j) {
            return q != null ? q[j] * cw[j] : c[j];
        }

        void clear() {
            y = -1;
            a = 0.0;
            dense = false;
            constant = 0.0;
            q = null;
            checkAsDistribution = false;
        }
    }

    /**
     * A thread's buffers for {@link #crossEntropy}'s rows: kept per thread and reused while K and the
     * kind of target stay the same (a training loop calls the node with the same shape every step;
     * allocating them for every chunk of rows cost ~12 kB of zeroed heap per chunk at K = 1000).
     */
    static final class Work {
        private static final ThreadLocal<Work> CACHE = new ThreadLocal<>();

        final int k;
        final boolean dense;
        final SoftmaxRow row;
        final TargetRow target;
        /** The double path's gradient row, and a second one (the streamed double path writes a row behind the next). */
        final double[] g;
        final double[] gSpare;
        /** The float path's dense gradient row. */
        final float[] gf;

        private Work(int k, boolean dense) {
            this.k = k;
            this.dense = dense;
            row = new SoftmaxRow(k, true);
            target = new TargetRow(k, dense ? SoftmaxRow.paddedLengthF(k) : 0); // labels need no dense row
            g = new double[k];
            gSpare = new double[k];
            gf = new float[SoftmaxRow.paddedLengthF(k)];
        }

        /** This thread's buffers for rows of k (a chunk's body runs on one thread from start to end). */
        static Work of(int k, boolean dense) {
            Work w = CACHE.get();
            if (w == null || w.k != k || w.dense != dense) {
                w = new Work(k, dense);
                CACHE.set(w);
            } else {
                w.row.reset(); // an earlier call that threw may have left a row copied in or a gradient pending
            }
            w.target.filledBy = null;
            w.target.cwhFor = null; // h changes between calls
            return w;
        }
    }

    /** Fills row i's target, given the row's softmax; returns false for an ignored row (no loss, zero gradient). */
    interface Target {
        boolean fill(int i, SoftmaxRow row, TargetRow t);
    }

    /**
     * The fused node: per row, the softmax at tau ({@link SoftmaxRow}), the target c, the loss
     * l_i = -sum_j c_j log p_j + constant_i and its gradient (p C - c) / tau, already scaled by the
     * reduction. {@code normaliser} is what MEAN divides by. {@code dense}: targets may be dense
     * rows. Float32 rows may take {@link SoftmaxRow}'s float path.
     */
    static Tensor crossEntropy(String op, Tensor logits, double tau, Target target, double normaliser,
            Reduction reduction, boolean dense) {
        long[] shape = logits.shape();
        INDArray grad = Dense.alloc(logits.dataType(), shape);
        double[] rowLoss = new double[(int) shape[0]];
        double total = rowsInto(op, logits.dense(), (int) shape[1], tau, target, normaliser, reduction, dense,
                Dense.view(grad), rowLoss);
        return Rows.recordLoss(op, logits, rowLoss, total, grad, normaliser, reduction);
    }

    /** The node's rows without the node: row losses of z [N, k] (N = rowLoss.length) into rowLoss, the gradient into gradView; returns their sum. */
    private static double rowsInto(String op, Dense z, int k, double tau, Target target, double normaliser,
            Reduction reduction, boolean dense, Dense gradView, double[] rowLoss) {
        int n = rowLoss.length;
        double scale = reductionScale(reduction, normaliser);
        return Rows.totalOverRows(n, k, (from, to) -> {
            Work work = Work.of(k, dense);
            SoftmaxRow row = work.row;
            TargetRow c = work.target;
            double[] g = work.g;
            double[] gSpare = work.gSpare;
            boolean streamed = row.streamsDouble(z) && gradView.d != null;
            float[] gf = work.gf;
            double sum = 0.0;
            for (int i = from; i < to; i++) {
                row.load(z, i, i + 1 < to ? i + 1 : -1, tau, op, "logits"); // the kernel reads row i + 1 as it goes
                c.clear();
                if (!target.fill(i, row, c)) {
                    java.util.Arrays.fill(g, 0.0);
                    row.store(gradView, i, g);
                    continue;
                }
                double logLikelihood = 0.0;
                if (c.dense) {
                    if (row.single && c.q == null) { // a target held as a double row: c_j = 1 * c_j
                        c.floatTarget(c.onesF, c.c);
                    }
                    logLikelihood = row.single ? row.targetLogLikelihood(c.q, c.cw) : row.targetLogLikelihood(c.c);
                    if (c.checkAsDistribution) {
                        checkDistribution(op, "targets", i, c.q, k, c.c, row.targetMass, row.targetSigns);
                    }
                }
                if (row.allMasked()) {
                    throw allMasked(op, i);
                }
                // l_i = -sum_j c_j log p_j + constant, C = sum_j c_j
                double loss = c.constant;
                double mass = 0.0;
                if (c.y >= 0 && c.a != 0.0) {
                    loss -= c.a * logPOfTarget(op, row, i, c.y, c.a);
                    mass += c.a;
                }
                if (c.dense) {
                    if (logLikelihood == Double.NEGATIVE_INFINITY) {
                        for (int j = 0; j < k; j++) { // a target on a masked class: name it
                            if (c.c(j) != 0.0) {
                                logPOfTarget(op, row, i, j, c.c(j));
                            }
                        }
                    }
                    loss -= logLikelihood;
                    mass += row.targetMass;
                }
                rowLoss[i] = loss;
                sum += loss;
                // d l_i / d z_j = (p_j C - c_j) / tau, times the reduction's scale
                double h = scale / tau;
                double pFactor = mass * h;
                if (row.single) { // written behind the next row's exponentials, or by flush
                    gradientRow(row, c, pFactor, h, gradView, i, gf);
                    continue;
                }
                for (int j = 0; j < k; j++) {
                    g[j] = row.p[j] * pFactor;
                }
                if (c.dense) {
                    for (int j = 0; j < k; j++) {
                        g[j] -= c.c[j] * h;
                    }
                }
                if (c.y >= 0) {
                    g[c.y] -= c.a * h;
                }
                if (streamed) { // written behind the next row's exponentials, or by flush
                    row.gradientLaterD(gradView, i, g);
                    double[] t = g;
                    g = gSpare;
                    gSpare = t;
                    continue;
                }
                row.store(gradView, i, g);
            }
            row.flush();
            row.reset(); // the thread keeps these buffers: let go of this call's arrays
            return sum;
        });
    }

    /**
     * The float path's gradient row i, g_j = p_j C h - c_j h with p_j = e_j r, handed to the row to
     * write ({@link SoftmaxRow#gradientLater}): against a label, e_j times one float factor off the
     * label and in double (one rounding) on it; against a dense target c_j = q_j cw_j, in float
     * through {@code g}, fma(e_j, r C h, -(q_j cwh_j)) with cwh_j = (float) (cw_j h)
     * ({@link SoftmaxRow#denseGradient}), the label's element in double.
     */
    private static void gradientRow(SoftmaxRow row, TargetRow c, double pFactor, double h, Dense out, int i,
            float[] g) {
        float[] e = row.ef;
        double rp = row.r * pFactor;
        float gy = 0f;
        if (c.y >= 0) {
            double cy = c.dense ? c.c(c.y) : 0.0;
            gy = (float) (e[c.y] * rp - cy * h - c.a * h);
        }
        if (c.dense) {
            if (c.cwhFor != c.cw) { // once per chunk where cw is the same on every row
                for (int j = 0; j < row.k; j++) {
                    c.cwh[j] = (float) (c.cw[j] * h);
                }
                c.cwhFor = c.cw;
            }
            row.denseGradient((float) rp, c.q, c.cwh, g);
            row.gradientLater(out, i, g, 1f, c.y, gy); // g_j * 1 is g_j
        } else {
            row.gradientLater(out, i, e, (float) rp, c.y, gy);
        }
    }

    /** log p_j for a class that carries target mass, which must not be masked. */
    static double logPOfTarget(String op, SoftmaxRow row, int i, int j, double mass) {
        double logP = row.logP(j);
        if (logP == Double.NEGATIVE_INFINITY && row.masked(j)) {
            throw maskedTarget(op, i, j, mass);
        }
        return logP;
    }

    /** The error for a row with a target whose every logit is -inf. */
    static IllegalArgumentException allMasked(String op, int i) {
        return new IllegalArgumentException(op + ": every logit of row " + i
                + " is -inf, so no class has probability; the row's target cannot be met");
    }

    /** The error for target mass on class j of row i, whose logit is -inf. */
    static IllegalArgumentException maskedTarget(String op, int i, int j, double mass) {
        return new IllegalArgumentException(Rows.where(op, "logits", i, j)
                + " = -inf is the target class of mass " + mass + ": the target is masked out");
    }

    /**
     * Row i of q (q[0, k)) must be finite, >= 0 and sum to 1 within 1e-6. One pass of comparisons and
     * four interleaved partial sums (element j into partial j mod 4, off the latency of one long chain
     * of additions); only a row that fails is scanned again, to name the first bad element. With the
     * vector kernels, a row whose sixteen-partial vector sum is within 0.99e-6 of 1 is accepted first
     * (four chains of additions took 15 % of a probability-target node): the decision and the message
     * are the same, as the comment below shows.
     */
    static void checkDistribution(String op, String arg, int i, double[] q, int k) {
        // quick accept, with the vector sum of sixteen partials: its rounding differs from the sum below by
        // at most 2 (k - 1) 2^-53 relative (both sums of the same k terms >= 0), under 4e-9 for k < 2^24,
        // so within 0.99e-6 of 1 it is within 1e-6 there too; everything else takes the exact check below
        if (SoftmaxRow.simd && k < 1 << 24 && Math.abs(VectorKernels.distributionSum(q, k) - 1.0) <= 0.99e-6) {
            return;
        }
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        boolean bad = false; // a NaN or a negative entry (+inf makes the sum infinite)
        int j = 0;
        for (; j + 3 < k; j += 4) {
            bad |= !(q[j] >= 0) | !(q[j + 1] >= 0) | !(q[j + 2] >= 0) | !(q[j + 3] >= 0);
            s0 += q[j];
            s1 += q[j + 1];
            s2 += q[j + 2];
            s3 += q[j + 3];
        }
        for (; j < k; j++) {
            bad |= !(q[j] >= 0);
            s0 += q[j];
        }
        double sum = (s0 + s1) + (s2 + s3);
        if (!bad && Math.abs(sum - 1.0) <= 1e-6) {
            return;
        }
        for (j = 0; j < k; j++) {
            if (!(q[j] >= 0) || !Double.isFinite(q[j])) {
                throw new IllegalArgumentException(Rows.where(op, arg, i, j) + " = " + q[j]
                        + "; a probability must be finite and >= 0");
            }
        }
        throw new IllegalArgumentException(op + ": " + arg + " row " + i + " sums to " + sum
                + "; each row must be a distribution summing to 1 (within 1e-6)");
    }

    /**
     * {@link #checkDistribution(String, String, int, double[], int)} for a float row: the vector quick
     * accept on the floats widened to double (the same sum of the same values), else the row widened
     * into {@code scratch} and checked there: the same decision and message.
     */
    static void checkDistribution(String op, String arg, int i, float[] q, int k, double[] scratch) {
        if (SoftmaxRow.simd && k < 1 << 24 && Math.abs(VectorKernels.distributionSum(q, k) - 1.0) <= 0.99e-6) {
            return;
        }
        for (int j = 0; j < k; j++) {
            scratch[j] = q[j];
        }
        checkDistribution(op, arg, i, scratch, k);
    }

    /**
     * {@link #checkDistribution(String, String, int, float[], int, double[])} given the row's sum in
     * double (any order of the same terms) and the OR of its elements' bit patterns, as the loss's
     * target terms computed them: accepted at once where no element has its sign bit set and the sum
     * is within 0.99e-6 of 1 (for the reason given at the double check), else the full check.
     */
    static void checkDistribution(String op, String arg, int i, float[] q, int k, double[] scratch, double sum,
            int signs) {
        if (signs >= 0 && k < 1 << 24 && Math.abs(sum - 1.0) <= 0.99e-6) {
            return;
        }
        checkDistribution(op, arg, i, q, k, scratch);
    }

    /** softmax(z / tau) of one row (-inf entries give 0; an all -inf row is an error). */
    static double[] probabilities(String op, double[] z, double tau) {
        Rows.requirePositive(op, "tau", tau);
        SoftmaxRow row = SoftmaxRow.of(op, "z", z, tau);
        if (row.allMasked()) {
            throw new IllegalArgumentException(op + ": every entry of z is -inf");
        }
        return row.p;
    }

    /** diag(p) - p p^T, scaled by c. */
    static double[][] softmaxHessian(double[] p, double c) {
        int k = p.length;
        double[][] h = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                h[a][b] = c * ((a == b ? p[a] : 0.0) - p[a] * p[b]);
            }
        }
        return h;
    }

    /** (diag(p) - p p^T) v, scaled by c, without forming the matrix: c (p * v - p (p . v)). */
    static double[] softmaxHvp(double[] p, double[] v, double c) {
        if (v == null || v.length != p.length) {
            throw new ShapeMismatchException("hessianVectorProduct: v must have length " + p.length + " (that of z), got "
                    + (v == null ? "null" : v.length));
        }
        double pv = 0.0;
        for (int j = 0; j < p.length; j++) {
            pv += p[j] * v[j];
        }
        double[] r = new double[p.length];
        for (int j = 0; j < p.length; j++) {
            r[j] = c * p[j] * (v[j] - pv);
        }
        return r;
    }

    /**
     * The Hessian of one sample's unweighted loss with respect to its logits z [K]:
     * (diag(p) - p p^T) / tau^2, p = softmax(z / tau). It does not depend on the label. For class
     * weights multiply by the row's target mass C (w_y for a label).
     */
    public static double[][] hessian(double[] z, double tau) {
        return softmaxHessian(probabilities("hessian", z, tau), 1.0 / (tau * tau));
    }

    /** The Hessian-vector product of {@link #hessian} with v, in O(K) without forming the matrix. */
    public static double[] hessianVectorProduct(double[] z, double tau, double[] v) {
        return softmaxHvp(probabilities("hessianVectorProduct", z, tau), v, 1.0 / (tau * tau));
    }
}
