package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise margin-form (notebook margin). */
public final class MarginForm implements Tasks.MarginLoss {

    @Override
    public double loss(double[] z, int c) {
        double worst = Double.NEGATIVE_INFINITY; // the largest -margin, z_j - z_c
        for (int j = 0; j < z.length; j++) {
            if (j != c) {
                worst = Math.max(worst, z[j] - z[c]);
            }
        }
        if (worst <= 0) {
            double s = 0; // every term <= 1: no overflow, and log1p keeps a tiny s exact
            for (int j = 0; j < z.length; j++) {
                s += j == c ? 0 : Math.exp(z[j] - z[c]);
            }
            return Math.log1p(s);
        }
        double scaled = 0; // s = e^worst * scaled with 1 <= scaled <= K - 1
        for (int j = 0; j < z.length; j++) {
            scaled += j == c ? 0 : Math.exp(z[j] - z[c] - worst);
        }
        return worst + Math.log(scaled) + Math.log1p(Math.exp(-worst) / scaled);
    }
}
