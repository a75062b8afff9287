package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise info-nce-gradient (notebook contrastive).
 * {@code ./softgrad check info-nce-gradient} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution info-nce-gradient} shows a solution.
 */
public final class InfoNceGradient implements Tasks.InfoNceGradient {

    /**
     * dL/dS of InfoNCE L = mean_i -ln softmax(S_i / tau)_i: row i is (softmax(S_i / tau) - e_i) / (N tau). The small
     * tau of contrastive learning scales it up and concentrates it on the hardest negatives.
     */
    @Override
    public double[][] gradient(double[][] s, double tau) {
        // TODO: it is the cross-entropy gradient p - y of the logits S / tau, times 1 / tau (chain rule) and 1 / N (the mean).
        //       Keep it finite at tau = 0.001.
        throw new UnsupportedOperationException("TODO: implement InfoNceGradient.gradient ((softmax(S_i / tau) - e_i) / (N tau) row by row)");
    }
}
