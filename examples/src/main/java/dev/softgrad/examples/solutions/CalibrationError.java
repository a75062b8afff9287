package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise expected-calibration-error (notebook calibration). */
public final class CalibrationError implements Tasks.CalibrationError {

    @Override
    public double ece(double[][] probabilities, int[] labels, int bins) {
        double[] count = new double[bins];
        double[] correct = new double[bins];
        double[] confidence = new double[bins];
        for (int i = 0; i < probabilities.length; i++) {
            int top = 0;
            for (int k = 1; k < probabilities[i].length; k++) {
                top = probabilities[i][k] > probabilities[i][top] ? k : top;
            }
            double c = probabilities[i][top];
            int b = Math.min(bins - 1, Math.max(0, (int) Math.ceil(c * bins) - 1)); // (lo, hi]
            count[b]++;
            correct[b] += top == labels[i] ? 1 : 0;
            confidence[b] += c;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += Math.abs(correct[b] - confidence[b]) / probabilities.length; // |B| / N |acc - conf|
            }
        }
        return ece;
    }
}
