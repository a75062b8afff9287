package dev.softgrad.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fused operations as static factories, in the spirit of {@code torch.nn.functional}: each is one
 * graph node whose forward and backward are single passes (plus at most one BLAS call per matrix
 * product), so a training step issues few native calls.
 */
public final class Functional {
    private Functional() {
    }

    /**
     * The affine map {@code x W + b}.
     *
     * <p>Shapes: x [N, D], W [D, K], b [K] or [1, K]; result [N, K]. (PyTorch's {@code F.linear}
     * stores its weight as [K, D] and computes x W^T + b; softgrad keeps [D, K], the orientation of
     * the formula.) Gradients: dx = G W^T, dW = x^T G, db = column sums of G.
     *
     * @param bias may be null (no bias)
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        checkLinear(x, weight, bias);
        long[] sx = x.shape();
        long[] sw = weight.shape();
        int k = (int) sw[1];
        INDArray out = Dense.alloc(x.dataType(), new long[] {sx[0], k});
        MatMulOps.affine(x.value(), weight.value(), bias == null ? null : bias.value(), out);
        INDArray xv = x.value();
        INDArray wv = weight.value();
        Tensor.Backward backward = g -> {
            INDArray gx = null;
            INDArray gw = null;
            INDArray gb = null;
            if (x.requiresGrad()) {
                gx = Dense.alloc(g.dataType(), sx);
                MatMulOps.timesTransposed(g, wv, gx);
            }
            if (weight.requiresGrad()) {
                gw = Dense.alloc(g.dataType(), sw);
                MatMulOps.transposedTimes(xv, g, gw);
            }
            if (bias != null && bias.requiresGrad()) {
                gb = Dense.alloc(g.dataType(), bias.shape());
                MatMulOps.columnSums(g, gb);
            }
            return bias == null ? new INDArray[] {gx, gw} : new INDArray[] {gx, gw, gb};
        };
        return bias == null ? Tensor.record("linear", out, backward, x, weight)
                : Tensor.record("linear", out, backward, x, weight, bias);
    }

    /**
     * The training gradient of the linear softmax classifier in one call: the mean cross-entropy of
     * the logits {@code z = x W + b} against integer labels, with dL/dW and dL/db left in
     * {@code weight.grad()} and {@code bias.grad()}, and no graph:
     * <pre>
     *   z  = x W + b,   p_i = softmax(z_i),   L = -(1/N) sum_i log p_{i, y_i}
     *   g  = dL/dz = (p - onehot(y)) / N
     *   dL/dW = x^T g,   dL/db = sum_i g_i
     * </pre>
     * It returns what {@code Losses.crossEntropy(Functional.linear(x, w, b), labels).item()} returns
     * and leaves in the gradients what {@code backward()} on that loss leaves: the same bits, float32
     * and float64, on any worker count (it calls the same kernels in the same order; it saves the
     * graph, the arena and the per-step arrays). The gradients accumulate as backward's do: call
     * {@code zeroGrad()} (or the optimiser's) before it, as before backward.
     *
     * <pre>{@code
     * sgd.zeroGrad();
     * double loss = Functional.linearCrossEntropyGrad(x, w, b, labels);   // = the autograd form:
     * // Tensor l = Functional.softmaxCrossEntropy(Functional.linear(x, w, b), labels);
     * // l.backward(); double loss = l.item();
     * sgd.step();
     * }</pre>
     *
     * @param x      the batch [N, D], data (must not require grad)
     * @param weight W [D, K], a parameter (or a constant: then it gets no gradient)
     * @param bias   b [K] or [1, K], a parameter or a constant, or null (no bias)
     * @param labels [N], each in [0, K)
     * @return the loss, rounded to x's type as {@code item()} gives it
     * @throws IllegalArgumentException for the inputs that {@link #linear} and
     *                                  {@link Losses#crossEntropy(Tensor, int[])} refuse (with their
     *                                  messages: shapes, labels out of range, NaN or infinite logits), or
     *                                  when x requires grad, W or b is not a leaf, or neither needs a gradient
     */
    public static double linearCrossEntropyGrad(Tensor x, Tensor weight, Tensor bias, int[] labels) {
        return LinearSoftmax.lossAndGrad(x, weight, bias, labels, SoftmaxCrossEntropy.Options.DEFAULT, null);
    }

    /**
     * {@link #linearCrossEntropyGrad(Tensor, Tensor, Tensor, int[])} with the options of
     * {@link Losses#crossEntropy(Tensor, int[], SoftmaxCrossEntropy.Options)} (class weights, ignore
     * label, temperature, reduction MEAN or SUM: the gradient is then that of the weighted mean or
     * the sum, g = (p C - c) s / tau as {@link SoftmaxCrossEntropy} gives it), and optionally the
     * logits: when {@code logits} is not null (a dense [N, K] array of x's type) z = x W + b is
     * written there, e.g. to count the batch's correct predictions.
     *
     * @throws IllegalArgumentException also for reduction NONE (not a scalar loss) and a logits array of
     *                                  the wrong shape or type
     */
    public static double linearCrossEntropyGrad(Tensor x, Tensor weight, Tensor bias, int[] labels,
            SoftmaxCrossEntropy.Options options, INDArray logits) {
        return LinearSoftmax.lossAndGrad(x, weight, bias, labels, options, logits);
    }

    /** x [N, D], W [D, K] and b [K] or [1, K] (or null) of one type, or the exception {@link #linear} gives. */
    static void checkLinear(Tensor x, Tensor weight, Tensor bias) {
        MatMulOps.requireMatrix("linear", "x", x);
        MatMulOps.requireMatrix("linear", "weight", weight);
        Check.sameType("linear", x, weight);
        long[] sx = x.shape();
        long[] sw = weight.shape();
        if (sx[1] != sw[0]) {
            throw new ShapeMismatchException("linear: x " + Check.shape(sx) + " and weight " + Check.shape(sw)
                    + " do not chain (x's columns must equal weight's rows)");
        }
        if (bias != null) {
            Check.sameType("linear", x, bias);
            long[] sb = bias.shape();
            long k = sw[1];
            if (bias.value().length() != k || sb.length > 2 || (sb.length == 2 && sb[0] != 1)) {
                throw new ShapeMismatchException("linear: bias must have shape [" + k + "] or [1, " + k + "], got "
                        + Check.shape(sb));
            }
        }
    }

    /**
     * Mean softmax cross-entropy of logits [N, K] against integer labels; the same as
     * {@link Losses#crossEntropy(Tensor, int[])}, where the whole family is.
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, int[] labels) {
        return Losses.crossEntropy(logits, labels);
    }
}
