package dev.softgrad.nn;

import dev.softgrad.core.Functional;
import dev.softgrad.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The affine layer {@code y = x W + b} with weight W [D, K] and bias b [K], one fused node
 * ({@link Functional#linear}). The weight is stored [D, K], the orientation of the formula (PyTorch's
 * {@code nn.Linear} stores the transpose, [K, D]). The weight starts as {@link Init} says; the bias
 * starts at zero (PyTorch draws it uniformly).
 */
public final class Linear extends Module {
    private final int inputs;
    private final int outputs;
    private final Init init;
    private final Tensor weight;
    private final Tensor bias;

    /**
     * @param inputs  D, the number of input features, >= 1
     * @param outputs K, the number of outputs, >= 1
     * @param init    how the weight starts
     * @param type    float32 or float64
     */
    public Linear(int inputs, int outputs, Init init, DataType type) {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("Linear: inputs and outputs must be >= 1, got inputs=" + inputs
                    + ", outputs=" + outputs);
        }
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("Linear: type must be FLOAT or DOUBLE, got " + type);
        }
        if (init == null) {
            throw new IllegalArgumentException("Linear: init must not be null");
        }
        this.inputs = inputs;
        this.outputs = outputs;
        this.init = init;
        this.weight = registerParameter("weight", init.weight(inputs, outputs, type));
        this.bias = registerParameter("bias", Nd4j.zeros(type, outputs));
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.linear(x, weight, bias);
    }

    /** W [D, K]. */
    public Tensor weight() {
        return weight;
    }

    /** b [K]. */
    public Tensor bias() {
        return bias;
    }

    /** How the weight was initialised. */
    public Init init() {
        return init;
    }

    /** D. */
    public int inputs() {
        return inputs;
    }

    /** K. */
    public int outputs() {
        return outputs;
    }
}
