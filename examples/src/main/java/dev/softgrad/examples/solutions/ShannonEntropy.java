package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise entropy (notebook temperature). */
public final class ShannonEntropy implements Tasks.Entropy {

    @Override
    public double entropy(double[] p) {
        double h = 0;
        for (double v : p) {
            h -= v > 0 ? v * Math.log(v) : 0.0; // 0 ln 0 = 0, the limit of v ln v
        }
        return h;
    }
}
