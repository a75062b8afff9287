package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise policy-gradient (notebook bandit). */
public final class PolicyScore implements Tasks.PolicyScore {

    @Override
    public double[] score(double[] h, int a) {
        double[] pi = new StableSoftmax().softmax(h);
        double[] g = new double[h.length];
        for (int k = 0; k < h.length; k++) {
            g[k] = (k == a ? 1 : 0) - pi[k]; // e_a - pi
        }
        return g;
    }
}
