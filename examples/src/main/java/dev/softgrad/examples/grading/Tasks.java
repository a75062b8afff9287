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

    /** softmax(z / tau). */
    public interface TemperedSoftmax {
        /** The probabilities softmax(z / tau) for tau > 0; finite for every finite z and tau. */
        double[] softmax(double[] z, double tau);
    }

    /** The gradient of the cross-entropy against a soft target. */
    public interface SoftTargetGradient {
        /** d/dz of -sum_k q_k ln softmax(z)_k, for a distribution q. */
        double[] gradient(double[] z, double[] q);
    }

    /** The score function of a softmax policy. */
    public interface PolicyScore {
        /** grad_h ln pi(a) for the policy pi = softmax(h). */
        double[] score(double[] h, int a);
    }

    /** The gradient of distillation's loss in the student's logits. */
    public interface DistillationGradient {
        /** d/ds of T^2 KL(softmax(t / T) || softmax(s / T)). */
        double[] gradient(double[] s, double[] t, double temperature);
    }

    /** The gradient of cross-entropy plus logit L2 in the logits. */
    public interface RegularisedGradient {
        /** d/dz of -ln softmax(z)_c + (lambda / 2) ||z||^2. */
        double[] gradient(double[] z, int c, double lambda);
    }

    /** The gradient of softmax regression's mean cross-entropy in its weights. */
    public interface WeightGradient {
        /** dL/dW for L = mean_i -ln softmax(x_i W)_{y_i}, x: N x D, W: D x K; the result is D x K. */
        double[][] gradient(double[][] x, int[] y, double[][] w);
    }

    /** Causal attention weights. */
    public interface CausalWeights {
        /** Row-wise softmax of the T x T scores with every j > i masked out: exact zeros above the diagonal. */
        double[][] weights(double[][] scores);
    }

    /** The InfoNCE loss of a similarity matrix. */
    public interface InfoNce {
        /** mean_i -ln softmax(s_i / tau)_i, the positive pair on the diagonal. */
        double loss(double[][] s, double tau);
    }

    /** Shannon entropy. */
    public interface Entropy {
        /** H(p) = -sum_k p_k ln p_k in nats, with 0 ln 0 = 0. */
        double entropy(double[] p);
    }

    /** Expected calibration error. */
    public interface CalibrationError {
        /** Top-label ECE with equal-width bins (lo, hi] over [0, 1]: sum_b |B_b| / N |acc(B_b) - conf(B_b)|. */
        double ece(double[][] probabilities, int[] labels, int bins);
    }

    /** One step of full-batch gradient descent for softmax regression. */
    public interface SgdStep {
        /** W - lr X^T (P - Y) / N for logits x_i W (x: N x D, W: D x K); a new array. */
        double[][] step(double[][] w, double[][] x, int[] y, double lr);
    }
}
