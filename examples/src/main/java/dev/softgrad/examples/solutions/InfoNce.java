package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise info-nce (notebook contrastive). */
public final class InfoNce implements Tasks.InfoNce {

    @Override
    public double loss(double[][] s, double tau) {
        LogSumExp lse = new LogSumExp();
        double total = 0;
        for (int i = 0; i < s.length; i++) {
            double[] scaled = new double[s[i].length];
            for (int j = 0; j < scaled.length; j++) {
                scaled[j] = s[i][j] / tau;
            }
            total += lse.logSumExp(scaled) - scaled[i]; // -ln softmax(s_i / tau)_i
        }
        return total / s.length;
    }
}
