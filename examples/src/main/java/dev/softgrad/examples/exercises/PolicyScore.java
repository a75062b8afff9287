package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise policy-gradient (notebook bandit).
 * {@code ./softgrad check policy-gradient} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution policy-gradient} shows a solution.
 */
public final class PolicyScore implements Tasks.PolicyScore {

    /** grad_h ln pi(a) for the policy pi = softmax(h): REINFORCE's score function. */
    @Override
    public double[] score(double[] h, int a) {
        // TODO: ln pi(a) = h_a - LSE(h); differentiate in every h_k. Keep it finite for h = [800, 0, -800].
        throw new UnsupportedOperationException("TODO: implement PolicyScore.score (differentiate h_a - LSE(h))");
    }
}
