package dev.softgrad.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The softmax family as static factories, in the spirit of {@code torch.nn.functional}: each call
 * builds one fused graph node whose forward and backward are single passes over the logits. The
 * formulas, gradients, reductions and differences from PyTorch are documented on the node classes:
 * {@link SoftmaxCrossEntropy}, {@link LabelSmoothing}, {@link KLDistill}, {@link LogitL2}.
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
     * Whether the SIMD float32 cross-entropy kernel is in use: when the JVM runs with
     * {@code --add-modules jdk.incubator.vector}, unless {@code -Dsoftgrad.simd=false}. It serves rows
     * of 64 classes or more and is deterministic (see README, "The SIMD kernel").
     */
    public static boolean simdEnabled() {
        return SoftmaxKernels.simdEnabled();
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
        return LogitL2.zLoss(logits, lambda);
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
