package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise distillation-loss (notebook distillation). */
public final class DistillationLoss implements Tasks.DistillationLoss {

    @Override
    public double loss(double[] s, double[] t, double temperature) {
        double[] logP = logSoftmax(s, temperature);
        double[] logQ = logSoftmax(t, temperature);
        double kl = 0;
        for (int k = 0; k < s.length; k++) {
            double q = Math.exp(logQ[k]);
            if (q > 0) {
                kl += q * (logQ[k] - logP[k]);
            }
        }
        return temperature * temperature * kl;
    }

    private static double[] logSoftmax(double[] z, double temperature) {
        double[] u = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            u[k] = z[k] / temperature;
        }
        return new LogSoftmax().logSoftmax(u);
    }
}
