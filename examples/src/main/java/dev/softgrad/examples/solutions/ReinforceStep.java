package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise reinforce-baseline (notebook bandit). */
public final class ReinforceStep implements Tasks.ReinforceStep {

    @Override
    public double[] step(double[] h, int a, double r, double b, double lr) {
        double[] pi = new StableSoftmax().softmax(h);
        double[] next = h.clone();
        for (int k = 0; k < h.length; k++) {
            next[k] += lr * (r - b) * ((k == a ? 1 : 0) - pi[k]);
        }
        return next;
    }
}
