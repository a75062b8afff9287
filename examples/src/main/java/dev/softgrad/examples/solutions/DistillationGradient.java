package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise distillation-gradient (notebook distillation). */
public final class DistillationGradient implements Tasks.DistillationGradient {

    @Override
    public double[] gradient(double[] s, double[] t, double temperature) {
        TemperedSoftmax softmax = new TemperedSoftmax();
        double[] p = softmax.softmax(s, temperature);
        double[] q = softmax.softmax(t, temperature);
        double[] g = new double[s.length];
        for (int k = 0; k < s.length; k++) {
            g[k] = temperature * (p[k] - q[k]); // T^2 * (1 / T) (p - q)
        }
        return g;
    }
}
