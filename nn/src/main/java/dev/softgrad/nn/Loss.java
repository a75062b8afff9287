package dev.softgrad.nn;

import dev.softgrad.core.Functional;
import dev.softgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training objective a {@link Trainer} minimises: a data term, plus optionally the LogitL2
 * penalty {@code (lambda / 2) * mean_i ||z_i||^2} on the logits.
 *
 * <p>The data term is the mean softmax cross-entropy of the logits against the labels
 * ({@link Functional#softmaxCrossEntropy}). On separable data plain cross-entropy keeps falling as
 * the logits grow, so gradient descent drives their norm up without bound while the gradient
 * vanishes; the LogitL2 term makes large logits cost something and gives the problem a finite
 * minimiser (see {@link GradientDynamics}).
 *
 * <pre>{@code
 * Loss plain = Loss.crossEntropy();
 * Loss bounded = Loss.crossEntropy().withLogitL2(0.01);
 * }</pre>
 */
public final class Loss {
    /** The data terms. */
    public enum Kind {
        /** Mean softmax cross-entropy against integer labels. */
        CROSS_ENTROPY
    }

    private final Kind kind;
    private final double logitL2;

    private Loss(Kind kind, double logitL2) {
        this.kind = kind;
        this.logitL2 = logitL2;
    }

    /** Mean softmax cross-entropy, no penalty. */
    public static Loss crossEntropy() {
        return new Loss(Kind.CROSS_ENTROPY, 0);
    }

    /**
     * This data term plus {@code (lambda / 2) * mean_i ||z_i||^2}.
     *
     * @param lambda a finite number >= 0 (0: no penalty)
     */
    public Loss withLogitL2(double lambda) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("Loss.withLogitL2: lambda must be a finite number >= 0, got " + lambda);
        }
        return new Loss(kind, lambda);
    }

    /** The data term. */
    public Kind kind() {
        return kind;
    }

    /** The LogitL2 coefficient lambda (0 when off). */
    public double logitL2() {
        return logitL2;
    }

    /**
     * The loss of a batch, a rank-0 tensor to call {@code backward()} on.
     *
     * @param logits   [N, K]
     * @param labels   [N]
     * @param features the batch's features [N, D] (read by data terms that need them; may be null otherwise)
     */
    public Tensor apply(Tensor logits, int[] labels, INDArray features) {
        Tensor loss = Functional.softmaxCrossEntropy(logits, labels);
        if (logitL2 > 0) {
            double n = logits.size(0);
            loss = loss.add(logits.mul(logits).sum().mul(logitL2 / (2.0 * n)));
        }
        return loss;
    }

    /** The settings as a flat map, for checkpoints and logs. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.name());
        m.put("logitL2", logitL2);
        return m;
    }

    @Override
    public String toString() {
        return "Loss" + describe();
    }
}
