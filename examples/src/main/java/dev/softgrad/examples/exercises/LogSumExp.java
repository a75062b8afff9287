package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise log-sum-exp (notebook shift-invariance).
 * {@code ./softgrad check log-sum-exp} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution log-sum-exp} shows a solution.
 */
public final class LogSumExp implements Tasks.LogSumExp {

    /** LSE(z) = ln sum_k e^{z_k}, finite for every finite z (try z = [1000, 999, -1000]). */
    @Override
    public double logSumExp(double[] z) {
        // TODO: with m = max_k z_k, LSE(z) = m + ln sum_k e^{z_k - m}; the sum is then between 1 and K.
        throw new UnsupportedOperationException("TODO: implement LogSumExp.logSumExp (m + ln sum e^(z - m))");
    }
}
