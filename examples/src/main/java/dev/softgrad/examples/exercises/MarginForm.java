package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise margin-form (notebook margin).
 * {@code ./softgrad check margin-form} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution margin-form} shows a solution.
 */
public final class MarginForm implements Tasks.MarginLoss {

    /**
     * -ln p_c written through the margins m_j = z_c - z_j: ln(1 + sum_{j != c} e^{-m_j}). It must be
     * exact both when every margin is large (the loss is then about (K - 1) e^-m, far below 1e-16)
     * and when the true class is far behind (the loss is about ln(K - 1) - m).
     */
    @Override
    public double loss(double[] z, int c) {
        // TODO: compute s = sum_{j != c} e^{-(z_c - z_j)} without overflow, and ln(1 + s) without losing a tiny s
        //       (hint: Math.log1p, and when s is huge work with its logarithm: ln(1 + s) = ln s + ln(1 + 1/s)).
        throw new UnsupportedOperationException(
                "TODO: implement MarginForm.loss (ln(1 + sum of e^-margin), exact at both ends)");
    }
}
