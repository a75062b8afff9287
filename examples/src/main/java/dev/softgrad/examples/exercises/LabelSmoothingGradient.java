package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise label-smoothing-gradient (notebook label-smoothing).
 * {@code ./softgrad check label-smoothing-gradient} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution label-smoothing-gradient} shows a solution.
 */
public final class LabelSmoothingGradient implements Tasks.SmoothedGradient {

    /** d/dz of the cross-entropy against the smoothed target q = (1 - eps) onehot(c) + eps / K. */
    @Override
    public double[] gradient(double[] z, int c, double eps) {
        // TODO: the loss is -sum_k q_k ln p_k; use sum_k q_k = 1 to simplify its derivative in z_j.
        throw new UnsupportedOperationException("TODO: implement LabelSmoothingGradient.gradient (derive it; q sums to 1)");
    }
}
