package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise attention-output (notebook attention).
 * {@code ./softgrad check attention-output} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution attention-output} shows a solution.
 */
public final class AttentionOutput implements Tasks.AttentionOutput {

    /**
     * Scaled dot-product attention softmax(Q K^T / sqrt(d)) V: row i of the result is a weighted mean of V's rows,
     * with weights softmax over j of q_i . k_j / sqrt(d). No mask here.
     */
    @Override
    public double[][] output(double[][] q, double[][] k, double[][] v) {
        // TODO: scores s_ij = (q_i . k_j) / sqrt(d); each row of weights is a stable softmax of its scores;
        //       out_i = sum_j w_ij v_j.
        throw new UnsupportedOperationException("TODO: implement AttentionOutput.output (softmax(Q K^T / sqrt(d)) V)");
    }
}
