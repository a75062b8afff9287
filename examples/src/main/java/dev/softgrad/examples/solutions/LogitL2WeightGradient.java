package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise logit-l2-weight-gradient (notebook logit-l2). */
public final class LogitL2WeightGradient implements Tasks.LogitL2WeightGradient {

    @Override
    public double[][] gradient(double[][] x, double[][] w, double lambda) {
        int n = x.length;
        int d = w.length;
        int k = w[0].length;
        double[][] z = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                for (int j = 0; j < k; j++) {
                    z[i][j] += x[i][f] * w[f][j];
                }
            }
        }
        double[][] g = new double[d][k];
        for (int f = 0; f < d; f++) {
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < n; i++) {
                    g[f][j] += lambda * x[i][f] * z[i][j] / n;
                }
            }
        }
        return g;
    }
}
