package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise soft-target-loss (notebook soft-targets). */
public final class SoftTargetLoss implements Tasks.SoftTargetLoss {

    @Override
    public double loss(double[] z, double[] q) {
        double lse = new LogSumExp().logSumExp(z);
        double loss = 0;
        for (int k = 0; k < z.length; k++) {
            if (q[k] != 0) { // 0 ln 0 = 0: never multiply 0 by a log-probability that may be -inf elsewhere
                loss -= q[k] * (z[k] - lse);
            }
        }
        return loss;
    }
}
