package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise soft-target-gradient (notebook soft-targets). */
public final class SoftTargetGradient implements Tasks.SoftTargetGradient {

    @Override
    public double[] gradient(double[] z, double[] q) {
        double[] g = new StableSoftmax().softmax(z); // d LSE / dz = p, times sum q = 1
        for (int k = 0; k < z.length; k++) {
            g[k] -= q[k];                             // d (-sum q_k z_k) / dz = -q
        }
        return g;
    }
}
