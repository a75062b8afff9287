package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise expected-calibration-error (notebook calibration).
 * {@code ./softgrad check expected-calibration-error} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution expected-calibration-error} shows a solution.
 */
public final class CalibrationError implements Tasks.CalibrationError {

    /** Top-label ECE with equal-width bins (lo, hi] over [0, 1] (a confidence of 0 goes to the first bin). */
    @Override
    public double ece(double[][] probabilities, int[] labels, int bins) {
        // TODO: for each row, its confidence is max_k p_k and it is correct when that arg-max is the label;
        //       bin b holds confidences in ((b - 1) / B, b / B]; sum over bins of |B_b| / N |accuracy - mean confidence|.
        throw new UnsupportedOperationException("TODO: implement CalibrationError.ece (bin the top-label confidences)");
    }
}
