package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise regularised-gradient (notebook saturation).
 * {@code ./softgrad check regularised-gradient} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution regularised-gradient} shows a solution.
 */
public final class RegularisedGradient implements Tasks.RegularisedGradient {

    /** d/dz of -ln softmax(z)_c + (lambda / 2) ||z||^2. */
    @Override
    public double[] gradient(double[] z, int c, double lambda) {
        // TODO: the cross-entropy's gradient (see the exercise cross-entropy-gradient) plus the penalty's.
        throw new UnsupportedOperationException(
                "TODO: implement RegularisedGradient.gradient (p - y plus the penalty's gradient)");
    }
}
