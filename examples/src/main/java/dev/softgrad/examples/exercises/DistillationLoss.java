package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise distillation-loss (notebook distillation).
 * {@code ./softgrad check distillation-loss} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution distillation-loss} shows a solution.
 */
public final class DistillationLoss implements Tasks.DistillationLoss {

    /**
     * T^2 KL(q_T || p_T) with q_T = softmax(t / T) (the teacher) and p_T = softmax(s / T) (the student): zero when the
     * student's logits equal the teacher's (up to a common shift), positive otherwise, finite at every T.
     */
    @Override
    public double loss(double[] s, double[] t, double temperature) {
        // TODO: KL(q || p) = sum_k q_k (ln q_k - ln p_k) with the log-probabilities as z_k / T - LSE(z / T); skip q_k = 0;
        //       multiply by T^2.
        throw new UnsupportedOperationException("TODO: implement DistillationLoss.loss (T^2 sum_k q_k (ln q_k - ln p_k))");
    }
}
