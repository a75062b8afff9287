package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise regularised-gradient (notebook saturation). */
public final class RegularisedGradient implements Tasks.RegularisedGradient {

    @Override
    public double[] gradient(double[] z, int c, double lambda) {
        double[] g = new CrossEntropyGradient().gradient(z, c); // p - y
        for (int k = 0; k < z.length; k++) {
            g[k] += lambda * z[k];                                // d (lambda / 2) z_k^2 / dz_k
        }
        return g;
    }
}
