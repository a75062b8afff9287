package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise soft-target-loss (notebook soft-targets).
 * {@code ./softgrad check soft-target-loss} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution soft-target-loss} shows a solution.
 */
public final class SoftTargetLoss implements Tasks.SoftTargetLoss {

    /**
     * -sum_k q_k ln softmax(z)_k for a target distribution q. A class with q_k = 0 contributes exactly 0, even where
     * softmax(z)_k underflows to 0 (0 * ln 0 would be NaN).
     */
    @Override
    public double loss(double[] z, double[] q) {
        // TODO: use ln p_k = z_k - LSE(z) (finite), and skip the terms with q_k = 0.
        throw new UnsupportedOperationException("TODO: implement SoftTargetLoss.loss (-sum_k q_k (z_k - LSE(z)))");
    }
}
