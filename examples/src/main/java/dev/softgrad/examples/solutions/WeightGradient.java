package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise weight-gradient (notebook softmax-regression). */
public final class WeightGradient implements Tasks.WeightGradient {

    @Override
    public double[][] gradient(double[][] x, int[] y, double[][] w) {
        int n = x.length;
        int d = w.length;
        int k = w[0].length;
        double[][] g = new double[d][k];
        CrossEntropyGradient ce = new CrossEntropyGradient();
        for (int i = 0; i < n; i++) {
            double[] z = new double[k];
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < k; b++) {
                    z[b] += x[i][a] * w[a][b];
                }
            }
            double[] pMinusY = ce.gradient(z, y[i]);
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < k; b++) {
                    g[a][b] += x[i][a] * pMinusY[b] / n; // x_i^T (p_i - y_i) / N
                }
            }
        }
        return g;
    }
}
