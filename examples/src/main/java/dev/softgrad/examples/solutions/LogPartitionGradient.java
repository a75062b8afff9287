package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise log-partition-gradient (notebook softmax-regression). */
public final class LogPartitionGradient implements Tasks.LogPartitionGradient {

    @Override
    public double[] gradient(double[] z) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            m = Math.max(m, v);
        }
        double[] g = new double[z.length];
        double sum = 0;
        for (int j = 0; j < z.length; j++) {
            g[j] = Math.exp(z[j] - m); // e^{z_j} / Z with Z's common factor e^m cancelled
            sum += g[j];
        }
        for (int j = 0; j < z.length; j++) {
            g[j] /= sum;
        }
        return g;
    }
}
