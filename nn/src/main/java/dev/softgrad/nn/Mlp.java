package dev.softgrad.nn;

import dev.softgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A multi-layer perceptron classifier: hidden layers {@code h = act(h W_i + b_i)} with a choice of
 * {@link Activation}, then linear logits. Parameters are named {@code layer0.weight},
 * {@code layer0.bias}, ..., the last layer being the output layer.
 *
 * <p>Layer i draws its weight with {@code init.withSeed(init.seed() + i)}, so one seed fixes the
 * whole network.
 *
 * <p>Vanishing gradients, as measured here (five hidden layers of 32, first-layer over last-layer
 * weight-gradient norm at the start, {@link GradientDynamics}): sigmoid units with N(0, 1) weights
 * (5.7x Xavier's scale, pre-activations of std ~4, far into the flat tails) give ~0.06, and at
 * Xavier's scale ~0.002 (sigma' &lt;= 1/4 at every layer); tanh at Xavier's scale gives ~1 and ReLU at
 * He's ~0.3-0.5. Raising the weights' scale further does <i>not</i> shrink the ratio: the larger
 * weights multiply the gradient by as much as the saturated derivatives take away, so the measure
 * of saturation is the fraction of units in the tails, not the gradient norm alone.
 */
public final class Mlp extends Classifier {
    private final List<Linear> layers = new ArrayList<>();
    private final int[] hidden;
    private final Activation activation;
    private final Init init;

    /**
     * @param numFeatures D
     * @param hidden      widths of the hidden layers (may be empty: then this is a softmax classifier)
     * @param numClasses  K, >= 2
     * @param activation  the hidden non-linearity
     * @param init        how each weight starts (biases start at zero)
     * @param type        float32 or float64
     */
    public Mlp(int numFeatures, int[] hidden, int numClasses, Activation activation, Init init, DataType type) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("Mlp: numClasses must be >= 2, got " + numClasses);
        }
        if (activation == null || init == null) {
            throw new IllegalArgumentException("Mlp: activation and init must not be null, got activation=" + activation
                    + ", init=" + init);
        }
        this.hidden = hidden.clone();
        this.activation = activation;
        this.init = init;
        int in = numFeatures;
        for (int i = 0; i <= hidden.length; i++) {
            int out = i < hidden.length ? hidden[i] : numClasses;
            if (out < 1) {
                throw new IllegalArgumentException("Mlp: hidden[" + i + "] must be >= 1, got " + out);
            }
            layers.add(registerModule("layer" + i, new Linear(in, out, init.withSeed(init.seed() + i), type)));
            in = out;
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        int last = layers.size() - 1;
        for (int i = 0; i < last; i++) {
            h = activation.apply(layers.get(i).forward(h));
        }
        return layers.get(last).forward(h);
    }

    @Override
    public int numFeatures() {
        return layers.get(0).inputs();
    }

    @Override
    public int numClasses() {
        return layers.get(layers.size() - 1).outputs();
    }

    /** The widths of the hidden layers (a copy). */
    public int[] hidden() {
        return hidden.clone();
    }

    /** The hidden non-linearity. */
    public Activation activation() {
        return activation;
    }

    /** How the weights were initialised: layer i with {@code init().withSeed(init().seed() + i)}. */
    public Init init() {
        return init;
    }

    /** The layers, input side first, the output layer last. */
    public List<Linear> layers() {
        return Collections.unmodifiableList(layers);
    }
}
