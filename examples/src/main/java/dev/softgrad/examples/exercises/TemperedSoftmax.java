package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise softmax-temperature (notebook temperature).
 * {@code ./softgrad check softmax-temperature} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution softmax-temperature} shows a solution.
 */
public final class TemperedSoftmax implements Tasks.TemperedSoftmax {

    /** softmax(z / tau) for tau > 0, finite from tau = 0.001 (z / tau = 2000) to tau = 1e6. */
    @Override
    public double[] softmax(double[] z, double tau) {
        // TODO: divide the logits by tau, then take a stable softmax (subtract the max before exponentiating).
        throw new UnsupportedOperationException(
                "TODO: implement TemperedSoftmax.softmax (scale by 1 / tau, then a stable softmax)");
    }
}
