package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise cross-entropy-gradient (notebook gradient). */
public final class CrossEntropyGradient implements Tasks.LogitGradient {

    @Override
    public double[] gradient(double[] z, int c) {
        double[] g = new StableSoftmax().softmax(z); // d/dz_k ln sum_j e^{z_j} = p_k
        g[c] -= 1;                                   // d/dz_k (-z_c) = -1 on the true class
        return g;
    }
}
