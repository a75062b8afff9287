package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise softmax-jacobian (notebook hessian).
 * {@code ./softgrad check softmax-jacobian} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution softmax-jacobian} shows a solution.
 */
public final class SoftmaxJacobian implements Tasks.SoftmaxJacobian {

    /** J_ij = d p_i / d z_j at z, for p = softmax(z). */
    @Override
    public double[][] jacobian(double[] z) {
        // TODO: differentiate p_i = e^{z_i} / sum_k e^{z_k} in z_j (quotient rule); write it through p alone.
        throw new UnsupportedOperationException("TODO: implement SoftmaxJacobian.jacobian (d p_i / d z_j through p)");
    }
}
