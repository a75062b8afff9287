package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise label-smoothing-gradient (notebook label-smoothing). */
public final class LabelSmoothingGradient implements Tasks.SmoothedGradient {

    @Override
    public double[] gradient(double[] z, int c, double eps) {
        double[] g = new StableSoftmax().softmax(z); // -sum_k q_k (z_k - LSE) differentiates to p - q, as sum q = 1
        for (int k = 0; k < z.length; k++) {
            g[k] -= (k == c ? 1 - eps : 0) + eps / z.length;
        }
        return g;
    }
}
