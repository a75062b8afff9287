package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise soft-target-gradient (notebook soft-targets).
 * {@code ./softgrad check soft-target-gradient} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution soft-target-gradient} shows a solution.
 */
public final class SoftTargetGradient implements Tasks.SoftTargetGradient {

    /** d/dz of -sum_k q_k ln softmax(z)_k, for a distribution q (q_k >= 0, sum 1). */
    @Override
    public double[] gradient(double[] z, double[] q) {
        // TODO: ln softmax(z)_k = z_k - LSE(z); differentiate -sum_k q_k (z_k - LSE(z)) in z_j, using sum_k q_k = 1.
        throw new UnsupportedOperationException("TODO: implement SoftTargetGradient.gradient (derive it; q sums to 1)");
    }
}
