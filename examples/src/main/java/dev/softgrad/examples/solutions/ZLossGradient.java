package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise z-loss-gradient (notebook saturation). */
public final class ZLossGradient implements Tasks.ZLossGradient {

    @Override
    public double[] gradient(double[] z, double lambda) {
        double[] p = new StableSoftmax().softmax(z);
        double lse = new LogSumExp().logSumExp(z);
        double[] g = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            g[k] = 2 * lambda * lse * p[k];
        }
        return g;
    }
}
