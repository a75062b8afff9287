package dev.softgrad.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The softmax family as static factories, in the spirit of {@code torch.nn.functional}: each call
 * builds one fused graph node whose forward and backward are single passes over the logits. The
 * formulas, gradients, reductions and differences from PyTorch are documented on the node classes:
 * {@link SoftmaxCrossEntropy}, {@link LabelSmoothing}, {@link KLDistill}, {@link LogitL2}, {@link ZLoss}.
 *
 * <pre>{@code
 * Tensor z = Functional.linear(x, w, b);
 * Tensor loss = Losses.crossEntropy(z, labels).add(Losses.logitL2(z, 1e-3));
 * loss.backward();
 * }</pre>
 */
public final class Losses {
    private Losses() {
    }

    /**
     * Whether the softmax row kernel runs on SIMD lanes: when the JVM runs with
     * {@code --add-modules jdk.incubator.vector}, unless {@code -Dsoftgrad.simd=false}. It serves every
     * softmax-family node, float32 and float64, rows of 8 classes or more, and gives the same bits as
     * the scalar kernel (see README, "The SIMD kernel").
     */
    public static boolean simdEnabled() {
        return SoftmaxRow.simd;
    }

    /**
     * softmax(z / tau) of one row into p (length K = z.length; p may be z), computed stably by
     * the same row kernel as every softmax-family node: -inf entries get probability 0; NaN and +inf
     * entries and a row that is all -inf are errors. Returns logsumexp(z / tau).
     */
    public static double softmaxRow(double[] z, double tau, double[] p) {
        String op = "softmaxRow";
        Rows.requirePositive(op, "tau", tau);
        if (z == null || p == null || p.length != z.length || z.length == 0) {
            throw new IllegalArgumentException(op + ": z must be a non-empty row and p an array of the same length, got "
                    + (z == null ? "null" : z.length) + " and " + (p == null ? "null" : p.length));
        }
        SoftmaxRow row = SoftmaxRow.of(op, "z", z, tau);
        if (row.allMasked()) {
            throw new IllegalArgumentException(op + ": every entry of z is -inf, so no class has probability");
        }
        System.arraycopy(row.p, 0, p, 0, p.length);
        return row.lse();
    }

    /** Mean softmax cross-entropy against integer labels. */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        return SoftmaxCrossEntropy.apply(logits, labels, SoftmaxCrossEntropy.Options.DEFAULT);
    }

    /** Softmax cross-entropy against integer labels, with options (reduction, class weights, ignore label, temperature). */
    public static Tensor crossEntropy(Tensor logits, int[] labels, SoftmaxCrossEntropy.Options options) {
        return SoftmaxCrossEntropy.apply(logits, labels, options);
    }

    /** Softmax cross-entropy against probability rows [N, K] (a constant of the logits' type). */
    public static Tensor crossEntropy(Tensor logits, INDArray targetProbabilities, SoftmaxCrossEntropy.Options options) {
        return SoftmaxCrossEntropy.apply(logits, targetProbabilities, options);
    }

    /** Label smoothing with PyTorch's convention (UNIFORM), mean reduction. */
    public static Tensor labelSmoothing(Tensor logits, int[] labels, double eps) {
        return LabelSmoothing.apply(logits, labels, eps, LabelSmoothing.Mode.UNIFORM, SoftmaxCrossEntropy.Options.DEFAULT);
    }

    /** Label smoothing in a named mode, with options. */
    public static Tensor labelSmoothing(Tensor logits, int[] labels, double eps, LabelSmoothing.Mode mode,
            SoftmaxCrossEntropy.Options options) {
        return LabelSmoothing.apply(logits, labels, eps, mode, options);
    }

    /** Distillation without labels: T^2 KL(softmax(t/T) || softmax(s/T)), batch mean. */
    public static Tensor distill(Tensor studentLogits, INDArray teacherLogits, double temperature) {
        return KLDistill.apply(studentLogits, teacherLogits, temperature, null, 1.0);
    }

    /** Distillation with hard labels: (1 - alpha) CE(s, y) + alpha T^2 KL, batch mean; labels may be null only with alpha = 1. */
    public static Tensor distill(Tensor studentLogits, INDArray teacherLogits, double temperature, int[] labels,
            double alpha) {
        return KLDistill.apply(studentLogits, teacherLogits, temperature, labels, alpha);
    }

    /** (lambda / 2) * mean_i ||z_i||^2. */
    public static Tensor logitL2(Tensor logits, double lambda) {
        return LogitL2.apply(logits, lambda);
    }

    /** lambda * mean_i logsumexp(z_i)^2. */
    public static Tensor zLoss(Tensor logits, double lambda) {
        return ZLoss.apply(logits, lambda);
    }

    /** softmax(z / tau) along the last axis; -inf entries get probability 0, an all -inf row gives zeros. */
    public static Tensor softmax(Tensor logits, double tau) {
        return SoftmaxOps.softmax("softmax", logits, null, tau);
    }

    /**
     * softmax(z / tau) of [N, K] scores with entries where {@code keep[i][j]} is false masked out:
     * they get probability exactly 0 and gradient exactly 0, as do -inf scores. A row in which
     * everything is masked gives a row of zeros and zero gradient, never NaN (PyTorch's softmax gives
     * NaN for such a row).
     */
    public static Tensor maskedSoftmax(Tensor scores, boolean[][] keep, double tau) {
        return SoftmaxOps.softmax("maskedSoftmax", scores, keep, tau);
    }

    /** log softmax(z / tau) along the last axis (-inf where a class is masked). */
    public static Tensor logSoftmax(Tensor logits, double tau) {
        return SoftmaxOps.logSoftmax(logits, tau);
    }

    /** logsumexp(z / tau) along the last axis, which is dropped (an all -inf row gives -inf). */
    public static Tensor logSumExp(Tensor logits, double tau) {
        return SoftmaxOps.logSumExp(logits, tau);
    }
}
