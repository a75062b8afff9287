package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise sgd-step (notebook train).
 * {@code ./softgrad check sgd-step} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution sgd-step} shows a solution.
 */
public final class SgdStep implements Tasks.SgdStep {

    /** W - lr X^T (P - Y) / N for the logits x_i W; returns a new array and leaves w alone. */
    @Override
    public double[][] step(double[][] w, double[][] x, int[] y, double lr) {
        // TODO: the gradient of the mean cross-entropy in W (see the exercise weight-gradient), then one step against it.
        throw new UnsupportedOperationException("TODO: implement SgdStep.step (W minus lr times the gradient)");
    }
}
