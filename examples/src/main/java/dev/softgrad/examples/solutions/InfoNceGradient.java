package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise info-nce-gradient (notebook contrastive). */
public final class InfoNceGradient implements Tasks.InfoNceGradient {

    @Override
    public double[][] gradient(double[][] s, double tau) {
        int n = s.length;
        TemperedSoftmax softmax = new TemperedSoftmax();
        double[][] g = new double[n][];
        for (int i = 0; i < n; i++) {
            g[i] = softmax.softmax(s[i], tau);
            g[i][i] -= 1;
            for (int j = 0; j < g[i].length; j++) {
                g[i][j] /= n * tau;
            }
        }
        return g;
    }
}
