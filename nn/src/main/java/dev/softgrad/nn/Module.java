package dev.softgrad.nn;

import dev.softgrad.core.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A differentiable function with named parameters, in the shape of PyTorch's {@code nn.Module}: it
 * owns its parameters (leaves that require gradients), lists them by name in registration order
 * ({@code "weight"}, {@code "bias"}, {@code "layer0.weight"}, ...) and zeroes their gradients.
 *
 * <p>There is no training / evaluation mode: no module here behaves differently in the two (none has
 * dropout or batch statistics), so a flag would be one nothing reads. Add it with the first module
 * that needs it.
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();

    /** An empty module. */
    protected Module() {
    }

    /** Registers a parameter made from {@code value} (used as it is) under {@code name}, and returns it. */
    protected final Tensor registerParameter(String name, INDArray value) {
        if (parameters.containsKey(name)) {
            throw new IllegalArgumentException("registerParameter: name '" + name + "' is already used in " + getClass().getSimpleName());
        }
        Tensor p = Tensor.parameter(value);
        parameters.put(name, p);
        return p;
    }

    /** Registers the parameters of a child module under {@code prefix + "."}, and returns the child. */
    protected final <M extends Module> M registerModule(String prefix, M child) {
        return adopt(prefix + ".", child);
    }

    /**
     * Registers the parameters of a child module under their own names (a module that is one child
     * and nothing else, e.g. a {@link SoftmaxClassifier} around its {@link Linear}), and returns the child.
     */
    protected final <M extends Module> M registerModule(M child) {
        return adopt("", child);
    }

    private <M extends Module> M adopt(String prefix, M child) {
        for (Map.Entry<String, Tensor> e : child.namedParameters().entrySet()) {
            String name = prefix + e.getKey();
            if (parameters.containsKey(name)) {
                throw new IllegalArgumentException("registerModule: name '" + name + "' is already used in " + getClass().getSimpleName());
            }
            parameters.put(name, e.getValue());
        }
        return child;
    }

    /** The output for input {@code x}; recorded for backward unless inside {@code Autograd.noGrad()}. */
    public abstract Tensor forward(Tensor x);

    /** The parameters by name, in registration order (unmodifiable; the tensors are the live ones). */
    public final Map<String, Tensor> namedParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** The parameters in registration order. */
    public final List<Tensor> parameters() {
        return List.copyOf(parameters.values());
    }

    /** The number of scalar parameters. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : parameters.values()) {
            n += p.value().length();
        }
        return n;
    }

    /** The data type of the parameters (float32 or float64). */
    public DataType dataType() {
        return parameters.values().iterator().next().dataType();
    }

    /** Sets every parameter's gradient to zero (keeping the buffers). */
    public final void zeroGrad() {
        for (Tensor p : parameters.values()) {
            p.zeroGrad();
        }
    }
}
