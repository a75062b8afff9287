package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise smoothed-targets (notebook label-smoothing).
 * {@code ./softgrad check smoothed-targets} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution smoothed-targets} shows a solution.
 */
public final class SmoothedTargets implements Tasks.SmoothedTargets {

    /**
     * Label smoothing's target row q = (1 - eps) onehot(c) + eps / K: the true class gets 1 - eps + eps / K, every
     * other class eps / K.
     */
    @Override
    public double[] targets(int c, int k, double eps) {
        // TODO: fill eps / K everywhere, then add 1 - eps at the true class c.
        throw new UnsupportedOperationException("TODO: implement SmoothedTargets.targets (q = (1 - eps) onehot(c) + eps / K)");
    }
}
