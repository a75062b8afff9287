package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise hessian-vector-product (notebook hessian).
 * {@code ./softgrad check hessian-vector-product} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution hessian-vector-product} shows a solution.
 */
public final class HessianVectorProduct implements Tasks.HessianVectorProduct {

    /**
     * H v for the Hessian H = diag(p) - p p^T of cross-entropy in the logits, p = softmax(z), in O(K) time and memory:
     * without forming the K x K matrix (at K = 50 000 classes H alone would take 20 GB).
     */
    @Override
    public double[] product(double[] z, double[] v) {
        // TODO: expand (diag(p) - p p^T) v = p * v - p (p . v): one dot product, one pass.
        throw new UnsupportedOperationException("TODO: implement HessianVectorProduct.product (p * v - p (p . v), without forming H)");
    }
}
