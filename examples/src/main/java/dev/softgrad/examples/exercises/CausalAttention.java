package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise causal-attention (notebook attention).
 * {@code ./softgrad check causal-attention} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution causal-attention} shows a solution.
 */
public final class CausalAttention implements Tasks.CausalWeights {

    /** Row-wise softmax of the T x T scores with every j > i masked out (exactly 0 there). */
    @Override
    public double[][] weights(double[][] scores) {
        // TODO: for row i, a stable softmax over s_i0 .. s_ii only; leave the rest of the row at 0.0.
        throw new UnsupportedOperationException("TODO: implement CausalAttention.weights (a stable softmax over j <= i)");
    }
}
