package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise z-loss-gradient (notebook saturation).
 * {@code ./softgrad check z-loss-gradient} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution z-loss-gradient} shows a solution.
 */
public final class ZLossGradient implements Tasks.ZLossGradient {

    /**
     * d/dz of the z-loss lambda LSE(z)^2 (PaLM's auxiliary loss): it pulls ln Z towards 0 instead of pulling every
     * logit towards 0 as logit L2 does, so it leaves the logits' differences, and softmax, free.
     */
    @Override
    public double[] gradient(double[] z, double lambda) {
        // TODO: chain rule: d LSE^2 / dz = 2 LSE(z) d LSE / dz, and d LSE / dz is softmax(z). Keep it finite for z = [900, 0].
        throw new UnsupportedOperationException("TODO: implement ZLossGradient.gradient (2 lambda LSE(z) softmax(z))");
    }
}
