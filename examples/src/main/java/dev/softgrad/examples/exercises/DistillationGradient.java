package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise distillation-gradient (notebook distillation).
 * {@code ./softgrad check distillation-gradient} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution distillation-gradient} shows a solution.
 */
public final class DistillationGradient implements Tasks.DistillationGradient {

    /** d/ds of T^2 KL(softmax(t / T) || softmax(s / T)) for student logits s and teacher logits t. */
    @Override
    public double[] gradient(double[] s, double[] t, double temperature) {
        // TODO: KL(q || p) = sum q ln q - sum q ln p, and only the second term depends on s; p = softmax(s / T)
        //       brings a factor 1 / T through the chain rule. What is left of the T^2?
        throw new UnsupportedOperationException(
                "TODO: implement DistillationGradient.gradient (the chain rule through s / T)");
    }
}
