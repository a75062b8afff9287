package dev.softgrad.nn;

import dev.softgrad.core.Tensor;

/**
 * Hidden-unit non-linearities of an {@link Mlp}. Tanh and sigmoid saturate: for large |x| their
 * derivative (1 - tanh^2, sigma (1 - sigma) &lt;= 1/4) goes to zero, which is what makes gradients
 * vanish on their way down a network. ReLU does not saturate for x > 0.
 */
public enum Activation {
    /** tanh(x). */
    TANH,
    /** 1 / (1 + e^-x). */
    SIGMOID,
    /** max(x, 0). */
    RELU;

    /** The activation applied element-wise. */
    public Tensor apply(Tensor x) {
        switch (this) {
            case TANH:
                return x.tanh();
            case SIGMOID:
                return x.sigmoid();
            default:
                return x.relu();
        }
    }
}
