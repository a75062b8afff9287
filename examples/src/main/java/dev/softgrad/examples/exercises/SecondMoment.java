package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise second-moment (notebook logit-l2).
 * {@code ./softgrad check second-moment} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution second-moment} shows a solution.
 */
public final class SecondMoment implements Tasks.SecondMoment {

    /**
     * M = X^T X / N, the inputs' second-moment matrix (x: N x D). Logit L2's weight gradient is lambda M W: a weight
     * decay whose strength per direction is the data's second moment there (0 along a feature that is always 0).
     */
    @Override
    public double[][] moment(double[][] x) {
        // TODO: M_ab = (1 / N) sum_i x_ia x_ib.
        throw new UnsupportedOperationException("TODO: implement SecondMoment.moment (M = X^T X / N)");
    }
}
