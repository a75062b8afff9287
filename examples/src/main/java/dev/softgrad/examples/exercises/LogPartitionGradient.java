package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise log-partition-gradient (notebook softmax-regression).
 * {@code ./softgrad check log-partition-gradient} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution log-partition-gradient} shows a solution.
 */
public final class LogPartitionGradient implements Tasks.LogPartitionGradient {

    /**
     * d ln Z / dz for ln Z(z) = ln sum_k e^{z_k}: in the exponential-family view of softmax regression, the gradient of the
     * log-partition function is the mean of the sufficient statistic (the one-hot class) under the model.
     */
    @Override
    public double[] gradient(double[] z) {
        // TODO: differentiate ln sum_k e^{z_k} in z_j; the answer is a familiar distribution. Keep it finite for z = [900, 0].
        throw new UnsupportedOperationException("TODO: implement LogPartitionGradient.gradient (differentiate ln Z(z) = LSE(z) in every z_j)");
    }
}
