package dev.softgrad.nn;

import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training objective a {@link Trainer} minimises: a data term, plus optionally the LogitL2
 * penalty {@code (lambda / 2) * mean_i ||z_i||^2} on the logits. The data terms are core's fused
 * loss nodes ({@link Losses}):
 * <ul>
 *   <li>{@link #crossEntropy()}: mean softmax cross-entropy ({@link Losses#crossEntropy(Tensor, int[])});</li>
 *   <li>{@link #labelSmoothing(double)}: cross-entropy against (1 - eps) onehot(y) + eps / K,
 *       PyTorch's {@code label_smoothing=eps} ({@link Losses#labelSmoothing(Tensor, int[], double)});</li>
 *   <li>{@link #distillation(Classifier, double, double)}: (1 - alpha) CE(s, y) + alpha T^2
 *       KL(softmax(t / T) || softmax(s / T)), batch mean, with the teacher's logits t computed on the
 *       same batch without a graph ({@link Losses#distill(Tensor, INDArray, double, int[], double)}).</li>
 * </ul>
 *
 * <p>On separable data plain cross-entropy keeps falling as the logits grow, so gradient descent
 * drives their norm up without bound while the gradient vanishes; the LogitL2 term
 * ({@link Losses#logitL2}) makes large logits cost something and gives the problem a finite
 * minimiser (see {@link GradientDynamics}).
 *
 * <pre>{@code
 * Loss plain = Loss.crossEntropy();
 * Loss bounded = Loss.crossEntropy().withLogitL2(0.01);
 * Loss student = Loss.distillation(teacher, 4.0, 0.9).withLogitL2(1e-3);
 * }</pre>
 */
public final class Loss {
    /** The data terms. */
    public enum Kind {
        /** Mean softmax cross-entropy against integer labels. */
        CROSS_ENTROPY,
        /** Cross-entropy against smoothed labels (PyTorch's convention). */
        LABEL_SMOOTHING,
        /** Knowledge distillation from a teacher classifier, with the hard labels weighted 1 - alpha. */
        DISTILLATION
    }

    private final Kind kind;
    private final double smoothing;
    private final Classifier teacher;
    private final double temperature;
    private final double alpha;
    private final double logitL2;

    private Loss(Kind kind, double smoothing, Classifier teacher, double temperature, double alpha, double logitL2) {
        this.kind = kind;
        this.smoothing = smoothing;
        this.teacher = teacher;
        this.temperature = temperature;
        this.alpha = alpha;
        this.logitL2 = logitL2;
    }

    /** Mean softmax cross-entropy, no penalty. */
    public static Loss crossEntropy() {
        return new Loss(Kind.CROSS_ENTROPY, 0, null, 1, 0, 0);
    }

    /**
     * Label smoothing with PyTorch's convention.
     *
     * @param eps in [0, 1); 0 gives plain cross-entropy
     */
    public static Loss labelSmoothing(double eps) {
        if (!(eps >= 0 && eps < 1)) {
            throw new IllegalArgumentException("Loss.labelSmoothing: eps must be in [0, 1), got " + eps);
        }
        return new Loss(Kind.LABEL_SMOOTHING, eps, null, 1, 0, 0);
    }

    /**
     * Distillation from {@code teacher} (used in evaluation mode, never updated).
     *
     * @param temperature T, a finite number > 0
     * @param alpha       weight of the distillation term, in [0, 1] (1: the labels are ignored)
     */
    public static Loss distillation(Classifier teacher, double temperature, double alpha) {
        Objects.requireNonNull(teacher, "Loss.distillation: teacher must not be null");
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("Loss.distillation: temperature must be a finite number > 0, got " + temperature);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("Loss.distillation: alpha must be in [0, 1], got " + alpha);
        }
        return new Loss(Kind.DISTILLATION, 0, teacher, temperature, alpha, 0);
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
        return new Loss(kind, smoothing, teacher, temperature, alpha, lambda);
    }

    /** The data term. */
    public Kind kind() {
        return kind;
    }

    /** The LogitL2 coefficient lambda (0 when off). */
    public double logitL2() {
        return logitL2;
    }

    /** The teacher of a distillation loss, or null. */
    public Classifier teacher() {
        return teacher;
    }

    /**
     * The loss of a batch, a rank-0 tensor to call {@code backward()} on.
     *
     * @param logits   [N, K]
     * @param labels   [N]
     * @param features the batch's features [N, D] (the teacher's input under distillation; unused otherwise)
     */
    public Tensor apply(Tensor logits, int[] labels, INDArray features) {
        Tensor loss;
        switch (kind) {
            case LABEL_SMOOTHING:
                loss = Losses.labelSmoothing(logits, labels, smoothing);
                break;
            case DISTILLATION:
                Objects.requireNonNull(features, "Loss.apply: distillation needs the batch's features");
                INDArray t = teacher.logits(features);
                if (t.size(1) != logits.size(1)) {
                    throw new IllegalArgumentException("Loss.apply: the teacher has " + t.size(1) + " classes, the student "
                            + logits.size(1));
                }
                loss = Losses.distill(logits, t, temperature, alpha < 1 ? labels : null, alpha);
                break;
            default:
                loss = Losses.crossEntropy(logits, labels);
                break;
        }
        if (logitL2 > 0) {
            loss = loss.add(Losses.logitL2(logits, logitL2));
        }
        return loss;
    }

    /** The settings as a flat map of plain values, for checkpoints and logs. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.name());
        if (kind == Kind.LABEL_SMOOTHING) {
            m.put("eps", smoothing);
        }
        if (kind == Kind.DISTILLATION) {
            m.put("temperature", temperature);
            m.put("alpha", alpha);
            m.put("teacher", teacher.getClass().getSimpleName() + "(" + teacher.numFeatures() + " -> "
                    + teacher.numClasses() + ", " + teacher.parameterCount() + " parameters)");
        }
        m.put("logitL2", logitL2);
        return m;
    }

    @Override
    public String toString() {
        return "Loss" + describe();
    }
}
