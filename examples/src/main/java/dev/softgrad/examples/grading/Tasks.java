package dev.softgrad.examples.grading;

/**
 * What each exercise asks for: one interface per task, one method each, all on plain {@code double}
 * arrays so that a solution is a few loops a student can read and write. A stub in
 * {@code dev.softgrad.examples.exercises} implements one of them with a TODO; its solution in
 * {@code dev.softgrad.examples.solutions} has the same simple name.
 */
public final class Tasks {
    private Tasks() {
    }

    /** {@code softmax(z)} of one row of logits. */
    public interface Softmax {
        /** The probabilities p_k = e^{z_k} / sum_j e^{z_j}; finite for every finite z. */
        double[] softmax(double[] z);
    }

    /** {@code LSE(z) = ln sum_k e^{z_k}} of one row of logits. */
    public interface LogSumExp {
        /** The log-sum-exp; finite for every finite z. */
        double logSumExp(double[] z);
    }

    /** The gradient of a loss of one row of logits with respect to the logits. */
    public interface LogitGradient {
        /** d loss / d z for logits z and true class c. */
        double[] gradient(double[] z, int c);
    }

    /** The gradient of label smoothing with respect to the logits. */
    public interface SmoothedGradient {
        /** d/dz of the cross-entropy against q = (1 - eps) onehot(c) + eps / K. */
        double[] gradient(double[] z, int c, double eps);
    }

    /** The cross-entropy of one row written through its margins. */
    public interface MarginLoss {
        /** -ln p_c computed as ln(1 + sum_{j != c} e^{-(z_c - z_j)}), finite at every margin. */
        double loss(double[] z, int c);
    }

    /** Temperature scaling: the T that minimises the validation NLL of softmax(z / T). */
    public interface TemperatureFit {
        /** The fitted temperature (> 0) for these logits (rows) and labels. */
        double fit(double[][] logits, int[] labels);
    }

    /** The Jacobian of softmax. */
    public interface SoftmaxJacobian {
        /** J_ij = d p_i / d z_j at z. */
        double[][] jacobian(double[] z);
    }
}
