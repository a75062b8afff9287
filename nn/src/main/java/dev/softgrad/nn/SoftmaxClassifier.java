package dev.softgrad.nn;

import dev.softgrad.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Multinomial logistic regression: one {@link Linear} layer, logits {@code z = x W + b} (W [D, K], b [K]),
 * class probabilities softmax(z). Its parameters keep the layer's names, {@code weight} and {@code bias}. Trained with cross-entropy it is a convex problem, so zero
 * initialisation is the usual start.
 *
 * <pre>{@code
 * SoftmaxClassifier model = new SoftmaxClassifier(64, 10, Init.zeros(), DataType.FLOAT);
 * new Trainer(Trainer.Config.of(20, 32, 0.1, 7)).fit(model, train, test);
 * int[] classes = model.predict(test.features());
 * }</pre>
 */
public final class SoftmaxClassifier extends Classifier {
    private final Linear linear;

    /**
     * @param numFeatures D
     * @param numClasses  K, >= 2
     * @param init        how W starts (b starts at zero)
     * @param type        float32 or float64
     */
    public SoftmaxClassifier(int numFeatures, int numClasses, Init init, DataType type) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("SoftmaxClassifier: numClasses must be >= 2, got " + numClasses);
        }
        if (numFeatures < 1) {
            throw new IllegalArgumentException("SoftmaxClassifier: numFeatures must be >= 1, got " + numFeatures);
        }
        this.linear = registerModule(new Linear(numFeatures, numClasses, init, type));
    }

    @Override
    public Tensor forward(Tensor x) {
        return linear.forward(x);
    }

    @Override
    public int numFeatures() {
        return linear.inputs();
    }

    @Override
    public int numClasses() {
        return linear.outputs();
    }

    /** How W was initialised. */
    public Init init() {
        return linear.init();
    }

    /** W [D, K]. */
    public Tensor weight() {
        return linear.weight();
    }

    /** b [K]. */
    public Tensor bias() {
        return linear.bias();
    }
}
