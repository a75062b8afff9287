package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise logit-l2-weight-gradient (notebook logit-l2).
 * {@code ./softgrad check logit-l2-weight-gradient} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution logit-l2-weight-gradient} shows a solution.
 */
public final class LogitL2WeightGradient implements Tasks.LogitL2WeightGradient {

    /**
     * d/dW of logit L2, (lambda / 2) mean_i ||x_i W||^2, for inputs x (N x D) and weights W (D x K): lambda X^T Z / N
     * with Z = X W. It depends on the data, unlike weight decay's lambda W.
     */
    @Override
    public double[][] gradient(double[][] x, double[][] w, double lambda) {
        // TODO: Z = X W; the penalty's gradient in Z is lambda Z / N; the chain rule through Z = X W gives X^T times it.
        throw new UnsupportedOperationException("TODO: implement LogitL2WeightGradient.gradient (lambda X^T (X W) / N)");
    }
}
