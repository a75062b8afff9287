package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise cross-entropy-gradient (notebook gradient).
 * {@code ./softgrad check cross-entropy-gradient} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution cross-entropy-gradient} shows a solution.
 */
public final class CrossEntropyGradient implements Tasks.LogitGradient {

    /** d(-ln p_c) / dz for logits z and true class c. */
    @Override
    public double[] gradient(double[] z, int c) {
        // TODO: derive it: -ln p_c = -z_c + ln sum_j e^{z_j}; differentiate each term in z_k.
        //       (A stable softmax helps: the gradient must stay finite at z_c = -800.)
        throw new UnsupportedOperationException("TODO: implement CrossEntropyGradient.gradient (derive d(-ln p_c)/dz_k)");
    }
}
