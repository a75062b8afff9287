package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise fit-temperature (notebook calibration).
 * {@code ./softgrad check fit-temperature} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution fit-temperature} shows a solution.
 */
public final class TemperatureNewton implements Tasks.TemperatureFit {

    /**
     * The temperature T > 0 that minimises the mean NLL of softmax(z_i / T) over the rows, found by
     * Newton's method.
     */
    @Override
    public double fit(double[][] logits, int[] labels) {
        // TODO: Newton's method works best in s = 1 / T (the NLL is convex in s). With p_i = softmax(s z_i):
        //       dNLL/ds = mean_i (E_p[z_i] - z_{i,y_i}),  d2NLL/ds2 = mean_i Var_p[z_i] >= 0.
        //       Start from s = 1, step s -= d / d2 until the step is below 1e-12, return T = 1 / s.
        throw new UnsupportedOperationException("TODO: implement TemperatureNewton.fit (Newton's method in s = 1 / T)");
    }
}
