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
 * every row is ignored, MEAN gives 0 with a zero gradient (PyTorch gives NaN).
 *
 * <p>Gradient: {@code d l_i / d z_ij = (p_ij C_i - c_ij) / tau} with c_ij the weighted target mass and
 * C_i its row sum: for unweighted labels, exactly (p - onehot(y)) / tau, scaled by the reduction
 * (1/N for the mean). Per-sample Hessian: {@code C_i (diag(p) - p p^T) / tau^2}
 * ({@link #hessian}, {@link #hessianVectorProduct}).
 *
 * <p>Stability: computed from logits with the row maximum subtracted, in double inside the kernel,
 * so any finite logits (float32 up to +-3.4e38, any temperature that keeps z / tau finite in double)
 * give a finite loss and gradient, unless the loss itself exceeds the output type's range. NaN and
 * +inf logits are errors; -inf marks a masked class, and a target on a masked class is an error.
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

    /** Labels of length N in [0, K) or equal to the ignore label; returns sum of w_{y_i} over kept rows. */
    static double checkLabels(String op, int[] labels, long n, int k, Options o) {
        if (labels == null || labels.length != n) {
            throw new ShapeMismatchException(op + ": labels must have length N = " + n + " (the rows of logits), got "
                    + (labels == null ? "null" : labels.length));
        }
        double wsum = 0.0;
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            if (y == o.ignoreIndex()) {
                continue;
            }
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException(op + ": labels[" + i + "] = " + y + " is out of range [0, " + k + ")"
                        + (o.ignoreIndex() == -100 ? "" : " and is not the ignore label " + o.ignoreIndex()));
            }
            wsum += o.weight(y);
        }
        return wsum;
    }

    static double meanScale(Options o, double normalizer) {
        return switch (o.reduction()) {
            case MEAN -> normalizer == 0 ? 0.0 : 1.0 / normalizer;
            case SUM, NONE -> 1.0;
        };
    }

    /** Cross-entropy against integer labels. */
    public static Tensor apply(Tensor logits, int[] labels, Options options) {
        long[] s = Rows.requireLogits(OP, logits);
        int k = (int) s[1];
        options.checkWeights(OP, k);
        double wsum = checkLabels(OP, labels, s[0], k, options);
        SoftTargetKernel.Target target = new SoftTargetKernel.Labels(labels, 1.0, options);
        double scale = meanScale(options, wsum);
        SoftTargetKernel.Result r = SoftTargetKernel.run(OP, logits, target, options.temperature(), scale);
        return SoftTargetKernel.record(OP, logits, r, wsum == 0 ? 1.0 : wsum, options.reduction());
    }

    /** Cross-entropy against probability rows (a constant [N, K] array of the logits' type). */
    public static Tensor apply(Tensor logits, INDArray targets, Options options) {
        long[] s = Rows.requireLogits(OP, logits);
        int n = (int) s[0];
        int k = (int) s[1];
        options.checkWeights(OP, k);
        Rows.requireCompanion(OP, "targets", targets, logits);
        INDArray q = Dense.densify(targets);
        checkDistributions(OP, "targets", q, n, k);
        Dense dq = Dense.view(q);
        SoftTargetKernel.Target target = new SoftTargetKernel.Target() {
            @Override
            public int label(int i) {
                return -1;
            }

            @Override
            public double hard(int i) {
                return 0.0;
            }

            @Override
            public boolean dense() {
                return true;
            }

            @Override
            public void dense(int i, double[] d, Rows.Scratch sc) {
                Rows.read(dq, i, k, d, sc);
                if (options.classWeights() != null) {
                    for (int j = 0; j < k; j++) {
                        d[j] *= options.weight(j);
                    }
                }
            }
        };
        double scale = meanScale(options, n);
        SoftTargetKernel.Result r = SoftTargetKernel.run(OP, logits, target, options.temperature(), scale);
        return SoftTargetKernel.record(OP, logits, r, n, options.reduction());
    }

    /** Rows of q must be finite, >= 0 and sum to 1 within 1e-6 relative. */
    static void checkDistributions(String op, String arg, INDArray q, int n, int k) {
        Dense d = Dense.view(q);
        for (int i = 0; i < n; i++) {
            double sum = 0.0;
            for (int j = 0; j < k; j++) {
                double v = d.get(i * k + j);
                if (!(v >= 0) || !Double.isFinite(v)) {
                    throw new IllegalArgumentException(Rows.where(op, arg, i, j) + " = " + v
                            + "; a probability must be finite and >= 0");
                }
                sum += v;
            }
            if (Math.abs(sum - 1.0) > 1e-6) {
                throw new IllegalArgumentException(op + ": " + arg + " row " + i + " sums to " + sum
                        + "; each row must be a distribution summing to 1 (within 1e-6)");
            }
        }
    }

    /** softmax(z / tau) of one row, computed stably (-inf entries give 0). */
    static double[] probabilities(double[] z, double tau) {
        int k = z.length;
        double[] u = z.clone();
        Rows.scale(u, k, tau);
        double m = Rows.checkedMax("probabilities", "z", u, k, 0);
        if (m == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("probabilities: every entry of z is -inf");
        }
        double[] e = new double[k];
        double s = 1.0 + Rows.expShifted(u, m, k, e);
        for (int j = 0; j < k; j++) {
            e[j] /= s;
        }
        return e;
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
        Rows.requirePositive("hessian", "tau", tau);
        return softmaxHessian(probabilities(z, tau), 1.0 / (tau * tau));
    }

    /** The Hessian-vector product of {@link #hessian} with v, in O(K) without forming the matrix. */
    public static double[] hessianVectorProduct(double[] z, double tau, double[] v) {
        Rows.requirePositive("hessianVectorProduct", "tau", tau);
        if (v.length != z.length) {
            throw new ShapeMismatchException("hessianVectorProduct: v has length " + v.length + ", z has " + z.length);
        }
        return softmaxHvp(probabilities(z, tau), v, 1.0 / (tau * tau));
    }
}
