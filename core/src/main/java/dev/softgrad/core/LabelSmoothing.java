package dev.softgrad.core;

/**
 * Cross-entropy against smoothed labels. With eps in [0, 1), K classes and label y, the target is
 * <ul>
 *   <li>{@link Mode#UNIFORM} (PyTorch's {@code cross_entropy(..., label_smoothing=eps)}):
 *       q = (1 - eps) onehot(y) + eps / K;</li>
 *   <li>{@link Mode#OTHER_CLASSES}: q = (1 - eps) on y and eps / (K - 1) on every other class
 *       (Szegedy et al.'s variant as often re-implemented; needs K >= 2);</li>
 *   <li>{@link Mode#KL_UNIFORM}: PyTorch's target, with the target's entropy subtracted, so that the
 *       loss is KL(q || p): 0 at the optimum p = q, same gradient as UNIFORM.</li>
 * </ul>
 * Class weights and the ignore label compose as in PyTorch: per sample
 * {@code l = (1 - eps) w_y (lse - u_y) + (eps / K) sum_j w_j (lse - u_j)} (UNIFORM), and the MEAN
 * reduction divides by sum_i w_{y_i} over non-ignored rows. Gradient: (p - q) / tau per sample
 * without weights, in every mode (with weights: (p C - c) / tau, see {@link SoftmaxCrossEntropy}).
 * Per-sample Hessian: C (diag(p) - p p^T) / tau^2, the same as cross-entropy's.
 *
 * <p>eps = 0 gives exactly plain cross-entropy. A class masked with a -inf logit is an error under
 * UNIFORM, OTHER_CLASSES and KL_UNIFORM, since their target puts mass on every class (PyTorch returns
 * an infinite loss there). {@link Mode#UNIFORM_UNMASKED} is the option for a masked vocabulary: the
 * smoothing mass eps is spread over the classes of the row that are not masked,
 * q = (1 - eps) onehot(y) + eps / K_i on each of the row's K_i unmasked classes (0 on masked ones);
 * without masked classes it equals UNIFORM.
 *
 * <pre>{@code
 * Tensor loss = Losses.labelSmoothing(logits, labels, 0.1);   // == F.cross_entropy(z, y, label_smoothing=0.1)
 * }</pre>
 */
public final class LabelSmoothing {
    private LabelSmoothing() {
    }

    static final String OP = "labelSmoothing";

    /** Which smoothed target; see the class comment. */
    public enum Mode {
        /** (1 - eps) onehot + eps / K, PyTorch's convention. */
        UNIFORM,
        /** (1 - eps) on the label, eps / (K - 1) on every other class. */
        OTHER_CLASSES,
        /** UNIFORM's target with its entropy subtracted: KL(q || p). */
        KL_UNIFORM,
        /** (1 - eps) onehot + eps / K_i on each of the row's K_i classes whose logit is not -inf. */
        UNIFORM_UNMASKED
    }

    /** Smoothed cross-entropy: the target row c, then {@link SoftmaxCrossEntropy}'s fused node. */
    public static Tensor apply(Tensor logits, int[] labels, double eps, Mode mode, SoftmaxCrossEntropy.Options options) {
        long[] s = Rows.requireLogits(OP, logits);
        int k = (int) s[1];
        if (!(eps >= 0 && eps < 1)) {
            throw new IllegalArgumentException(OP + ": eps must be in [0, 1), got " + eps);
        }
        if (mode == null) {
            throw new IllegalArgumentException(OP + ": mode must be UNIFORM, OTHER_CLASSES, KL_UNIFORM or"
                    + " UNIFORM_UNMASKED, got null");
        }
        if (mode == Mode.OTHER_CLASSES && k < 2 && eps > 0) {
            throw new IllegalArgumentException(OP + ": OTHER_CLASSES needs K >= 2 classes, got K = " + k);
        }
        options.checkWeights(OP, k);
        int counted = SoftmaxCrossEntropy.checkLabels(OP, labels, s[0], k, options.ignoreIndex());
        int[] y = labels.clone();
        int ignore = options.ignoreIndex();
        double[] w = options.lossWeights(true);
        double normaliser = SoftmaxCrossEntropy.labelMass(y, w, ignore, counted);
        // the smoothing mass on each class j: spread * w_j (every class, or every unmasked class)
        double spread = mode == Mode.OTHER_CLASSES ? (k > 1 ? eps / (k - 1) : 0.0) : eps / k;
        // OTHER_CLASSES: c = (1 - eps) w_y on y and spread w_j elsewhere = ((1 - eps) - spread) w_y onehot + spread w
        double onLabel = mode == Mode.OTHER_CLASSES ? (1 - eps) - spread : 1 - eps;
        double logOn = Math.log(1 - eps + eps / k);
        double logOff = eps > 0 ? Math.log(eps / k) : 0.0; // 0 log 0 = 0: the off-class mass is 0 when eps = 0
        Object sameRow = new Object(); // marks a target row filled by this call (the same for every row but in UNIFORM_UNMASKED)
        SoftmaxCrossEntropy.Target target = (i, row, t) -> {
            if (y[i] == ignore) {
                return false;
            }
            double wy = w == null ? 1.0 : w[y[i]];
            t.label(y[i], onLabel * wy);
            if (eps == 0) {
                return true;
            }
            double rowSpread = spread;
            if (mode == Mode.UNIFORM_UNMASKED) {
                int unmasked = 0;
                for (int j = 0; j < k; j++) {
                    unmasked += row.masked(j) ? 0 : 1;
                }
                rowSpread = unmasked == 0 ? 0.0 : eps / unmasked;
            }
            t.dense = true;
            if (t.filledBy != sameRow) { // else c already holds spread * w_j, filled at an earlier row of this chunk
                for (int j = 0; j < k; j++) {
                    boolean masked = mode == Mode.UNIFORM_UNMASKED && row.masked(j);
                    t.c[j] = masked ? 0.0 : rowSpread * (w == null ? 1.0 : w[j]);
                }
                t.filledBy = mode == Mode.UNIFORM_UNMASKED ? null : sameRow;
                t.cwhFor = null; // the float gradient's factors of c are stale
            }
            if (mode == Mode.KL_UNIFORM) {
                // + sum_j c_j log q_j: the negative (weighted) target entropy, so that the loss is KL(q || p)
                double entropyTerm = (1 - eps) * wy * logOn;
                for (int j = 0; j < k; j++) {
                    entropyTerm += t.c[j] * (j == y[i] ? logOn : logOff);
                }
                t.constant = entropyTerm;
            }
            return true;
        };
        return SoftmaxCrossEntropy.crossEntropy(OP, logits, options.temperature(), target, normaliser,
                options.reduction(), eps > 0);
    }

    /** Per-sample Hessian (unweighted): (diag(p) - p p^T) / tau^2, as for cross-entropy. */
    public static double[][] hessian(double[] z, double tau) {
        return SoftmaxCrossEntropy.hessian(z, tau);
    }

    /** Hessian-vector product without forming the matrix. */
    public static double[] hessianVectorProduct(double[] z, double tau, double[] v) {
        return SoftmaxCrossEntropy.hessianVectorProduct(z, tau, v);
    }
}
