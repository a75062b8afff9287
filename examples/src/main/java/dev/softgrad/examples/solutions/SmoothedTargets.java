package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise smoothed-targets (notebook label-smoothing). */
public final class SmoothedTargets implements Tasks.SmoothedTargets {

    @Override
    public double[] targets(int c, int k, double eps) {
        double[] q = new double[k];
        for (int j = 0; j < k; j++) {
            q[j] = eps / k;
        }
        q[c] += 1 - eps;
        return q;
    }
}
