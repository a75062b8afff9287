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

    /** The gradient of the log-partition function ln Z(z) = ln sum_k e^{z_k}. */
    public interface LogPartitionGradient {
        /** d ln Z / dz for one row of logits; finite for every finite z. */
        double[] gradient(double[] z);
    }

    /** The slope of the cross-entropy in the margin. */
    public interface MarginSlope {
        /** dL/dm of L(m) = ln(1 + (K - 1) e^{-m}) (the true logit m above K - 1 equal others); finite, exact at both ends. */
        double slope(double m, int k);
    }

    /** log softmax of one row. */
    public interface LogSoftmax {
        /** ln softmax(z)_k = z_k - LSE(z); finite for every finite z (never ln 0 = -inf). */
        double[] logSoftmax(double[] z);
    }

    /** The cross-entropy against a soft target. */
    public interface SoftTargetLoss {
        /** -sum_k q_k ln softmax(z)_k for a distribution q; a q_k = 0 contributes 0 even where p_k underflows. */
        double loss(double[] z, double[] q);
    }

    /** The gradient of the z-loss. */
    public interface ZLossGradient {
        /** d/dz of lambda LSE(z)^2 for one row of logits. */
        double[] gradient(double[] z, double lambda);
    }

    /** A Hessian-vector product of cross-entropy in the logits. */
    public interface HessianVectorProduct {
        /** H v with H = diag(p) - p p^T, p = softmax(z), without forming H. */
        double[] product(double[] z, double[] v);
    }

    /** Label smoothing's target row. */
    public interface SmoothedTargets {
        /** q = (1 - eps) onehot(c) + eps / K over K classes. */
        double[] targets(int c, int k, double eps);
    }

    /** Distillation's loss. */
    public interface DistillationLoss {
        /** T^2 KL(softmax(t / T) || softmax(s / T)) for student logits s and teacher logits t. */
        double loss(double[] s, double[] t, double temperature);
    }

    /** Scaled dot-product attention. */
    public interface AttentionOutput {
        /** softmax(Q K^T / sqrt(d)) V, row by row; Q: T x d, K: T x d, V: T x e; the result is T x e. */
        double[][] output(double[][] q, double[][] k, double[][] v);
    }

    /** One REINFORCE update with a baseline. */
    public interface ReinforceStep {
        /** h + lr (r - b)(e_a - pi) for pi = softmax(h), after pulling arm a and seeing reward r; a new array. */
        double[] step(double[] h, int a, double r, double b, double lr);
    }

    /** The gradient of InfoNCE in the similarities. */
    public interface InfoNceGradient {
        /** dL/dS for L = mean_i -ln softmax(S_i / tau)_i; N x N. */
        double[][] gradient(double[][] s, double tau);
    }

    /** An epoch's loss from its mini-batches. */
    public interface EpochLoss {
        /** The mean loss over all samples, from each batch's mean loss and size. */
        double epochLoss(double[] batchMeans, int[] batchSizes);
    }

    /** The gradient of logit L2 in the weights. */
    public interface LogitL2WeightGradient {
        /** d/dW of (lambda / 2) mean_i ||x_i W||^2 (x: N x D, W: D x K); D x K. */
        double[][] gradient(double[][] x, double[][] w, double lambda);
    }

    /** The second-moment matrix that makes logit L2 a data-dependent weight decay. */
    public interface SecondMoment {
        /** M = X^T X / N (x: N x D); D x D. Logit L2's weight gradient is then lambda M W. */
        double[][] moment(double[][] x);
    }
}
