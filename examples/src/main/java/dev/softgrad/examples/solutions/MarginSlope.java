package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise margin-slope (notebook margin). */
public final class MarginSlope implements Tasks.MarginSlope {

    @Override
    public double slope(double m, int k) {
        if (m >= 0) {
            double r = (k - 1) * Math.exp(-m); // <= K - 1: no overflow, and no 1 - p_c cancellation
            return -r / (1 + r);
        }
        return -(k - 1) / ((k - 1) + Math.exp(m)); // multiplied through by e^m: e^m <= 1
    }
}
