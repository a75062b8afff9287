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
        MatMulOps.requireMatrix("linear", "x", x);
        MatMulOps.requireMatrix("linear", "weight", weight);
        Check.sameType("linear", x, weight);
        long[] sx = x.shape();
        long[] sw = weight.shape();
        if (sx[1] != sw[0]) {
            throw new ShapeMismatchException("linear: x " + Check.shape(sx) + " and weight " + Check.shape(sw)
                    + " do not chain (x's columns must equal weight's rows)");
        }
        int k = (int) sw[1];
        INDArray out = Dense.alloc(x.dataType(), new long[] {sx[0], k});
        if (bias != null) {
            Check.sameType("linear", x, bias);
            long[] sb = bias.shape();
            if (bias.value().length() != k || sb.length > 2 || (sb.length == 2 && sb[0] != 1)) {
                throw new ShapeMismatchException("linear: bias must have shape [" + k + "] or [1, " + k + "], got "
                        + Check.shape(sb));
            }
        }
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
     * Mean softmax cross-entropy of logits [N, K] against integer labels; the same as
     * {@link Losses#crossEntropy(Tensor, int[])}, where the whole family is.
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, int[] labels) {
        return Losses.crossEntropy(logits, labels);
    }
}
