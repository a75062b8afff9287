package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise info-nce (notebook contrastive).
 * {@code ./softgrad check info-nce} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution info-nce} shows a solution.
 */
public final class InfoNce implements Tasks.InfoNce {

    /** mean_i -ln softmax(s_i / tau)_i: each row's positive is on the diagonal. */
    @Override
    public double loss(double[][] s, double tau) {
        // TODO: row i is a classification whose label is i; use a stable log-sum-exp of s_i / tau.
        throw new UnsupportedOperationException("TODO: implement InfoNce.loss (the mean of -s_ii / tau + LSE(s_i / tau))");
    }
}
