package dev.softgrad.nn;

import dev.softgrad.core.Functional;
import dev.softgrad.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multinomial logistic regression: logits {@code z = x W + b} (W [D, K], b [K], as in {@link Linear}), class
 * probabilities softmax(z). Trained with cross-entropy it is a convex problem, so zero
 * initialisation is the usual start.
 *
 * <pre>{@code
 * SoftmaxClassifier model = new SoftmaxClassifier(64, 10, Init.zeros(), DataType.FLOAT);
 * new Trainer(Trainer.Config.of(20, 32, 0.1, 7)).fit(model, train, test);
 * int[] classes = model.predict(test.features());
 * }</pre>
 */
public final class SoftmaxClassifier extends Classifier {
    private final int numFeatures;
    private final int numClasses;
    private final Tensor weight;
    private final Tensor bias;

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
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("SoftmaxClassifier: type must be FLOAT or DOUBLE, got " + type);
        }
        this.numFeatures = numFeatures;
        this.numClasses = numClasses;
        this.weight = registerParameter("weight", init.weight(numFeatures, numClasses, type));
        this.bias = registerParameter("bias", Nd4j.zeros(type, numClasses));
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.linear(x, weight, bias);
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** W [D, K]. */
    public Tensor weight() {
        return weight;
    }

    /** b [K]. */
    public Tensor bias() {
        return bias;
    }
}
