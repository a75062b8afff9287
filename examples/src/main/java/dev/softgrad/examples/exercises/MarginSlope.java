package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise margin-slope (notebook margin).
 * {@code ./softgrad check margin-slope} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution margin-slope} shows a solution.
 */
public final class MarginSlope implements Tasks.MarginSlope {

    /**
     * dL/dm of L(m) = ln(1 + (K - 1) e^{-m}), the cross-entropy when the true logit is m above K - 1 equal others.
     * It tends to -1 as m -> -infinity and to -(K - 1) e^{-m} (tiny, not 0) as m -> +infinity.
     */
    @Override
    public double slope(double m, int k) {
        // TODO: dL/dm = -(K - 1) e^{-m} / (1 + (K - 1) e^{-m}) = -(1 - p_c). Write it so that e^{-m} never overflows
        //       (m = -800) and 1 - p_c never rounds to 0 (m = 50: compute it as a ratio, not as 1 minus a probability).
        throw new UnsupportedOperationException("TODO: implement MarginSlope.slope (differentiate ln(1 + (K - 1) e^-m) in m)");
    }
}
