package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise second-moment (notebook logit-l2). */
public final class SecondMoment implements Tasks.SecondMoment {

    @Override
    public double[][] moment(double[][] x) {
        int n = x.length;
        int d = x[0].length;
        double[][] m = new double[d][d];
        for (double[] row : x) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    m[a][b] += row[a] * row[b] / n;
                }
            }
        }
        return m;
    }
}
