package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise entropy (notebook temperature).
 * {@code ./softgrad check entropy} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution entropy} shows a solution.
 */
public final class ShannonEntropy implements Tasks.Entropy {

    /** H(p) = -sum_k p_k ln p_k in nats. */
    @Override
    public double entropy(double[] p) {
        // TODO: sum -p_k ln p_k, taking 0 ln 0 = 0 (its limit): Math.log(0) is -infinity and 0 * -infinity is NaN.
        throw new UnsupportedOperationException("TODO: implement ShannonEntropy.entropy (with 0 ln 0 = 0)");
    }
}
