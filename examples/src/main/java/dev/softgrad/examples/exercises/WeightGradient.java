package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise weight-gradient (notebook softmax-regression).
 * {@code ./softgrad check weight-gradient} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution weight-gradient} shows a solution.
 */
public final class WeightGradient implements Tasks.WeightGradient {

    /** dL/dW for L = mean_i -ln softmax(x_i W)_{y_i}; x is N x D, W is D x K, the result D x K. */
    @Override
    public double[][] gradient(double[][] x, int[] y, double[][] w) {
        // TODO: the logits are z_i = x_i W; dL/dz_i = (p_i - y_i) / N; the chain rule through z_i = x_i W gives X^T (P
        //      - Y) / N.
        throw new UnsupportedOperationException("TODO: implement WeightGradient.gradient (X^T (P - Y) / N)");
    }
}
