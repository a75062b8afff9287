package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise sgd-step (notebook train). */
public final class SgdStep implements Tasks.SgdStep {

    @Override
    public double[][] step(double[][] w, double[][] x, int[] y, double lr) {
        double[][] g = new WeightGradient().gradient(x, y, w);
        double[][] next = new double[w.length][];
        for (int a = 0; a < w.length; a++) {
            next[a] = w[a].clone();
            for (int b = 0; b < w[a].length; b++) {
                next[a][b] -= lr * g[a][b];
            }
        }
        return next;
    }
}
