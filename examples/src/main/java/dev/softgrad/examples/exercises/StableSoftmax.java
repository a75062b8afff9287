package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise stable-softmax (notebook shift-invariance).
 * {@code ./softgrad check stable-softmax} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution stable-softmax} shows a solution.
 */
public final class StableSoftmax implements Tasks.Softmax {

    /**
     * softmax(z)_k = e^{z_k} / sum_j e^{z_j}, finite for every finite z (try z = [800, 799, -800]:
     * e^800 is infinite in float64, yet the probabilities are ordinary numbers).
     */
    @Override
    public double[] softmax(double[] z) {
        // TODO: subtract m = max_j z_j from every logit before exponentiating (softmax(z - m) = softmax(z)),
        //       then divide each e^{z_k - m} by their sum.
        throw new UnsupportedOperationException(
                "TODO: implement StableSoftmax.softmax (subtract the max, exponentiate, normalise)");
    }
}
