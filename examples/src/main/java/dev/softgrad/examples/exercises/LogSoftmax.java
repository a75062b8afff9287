package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise log-softmax (notebook gradient).
 * {@code ./softgrad check log-softmax} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution log-softmax} shows a solution.
 */
public final class LogSoftmax implements Tasks.LogSoftmax {

    /**
     * ln softmax(z)_k = z_k - LSE(z), finite for every finite z: ln(softmax(z)) in two steps gives -inf where p_k
     * underflows to 0 (z = [0, -800]), and the gradient p - y needs the log-probabilities to stay finite.
     */
    @Override
    public double[] logSoftmax(double[] z) {
        // TODO: compute LSE(z) = m + ln sum_j e^{z_j - m} with m = max z, then return z_k - LSE(z) for every k
        //       (do NOT take the log of a softmax: e^-800 is 0 in float64).
        throw new UnsupportedOperationException("TODO: implement LogSoftmax.logSoftmax (z_k - LSE(z), not ln(softmax(z)))");
    }
}
