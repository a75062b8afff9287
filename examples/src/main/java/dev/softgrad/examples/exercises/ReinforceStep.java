package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise reinforce-baseline (notebook bandit).
 * {@code ./softgrad check reinforce-baseline} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution reinforce-baseline} shows a solution.
 */
public final class ReinforceStep implements Tasks.ReinforceStep {

    /**
     * One REINFORCE update of the preferences h of the policy pi = softmax(h), after arm a paid reward r, with the
     * baseline b: h + lr (r - b)(e_a - pi). A new array; h is left as it was.
     */
    @Override
    public double[] step(double[] h, int a, double r, double b, double lr) {
        // TODO: the score of arm a is e_a - pi (the exercise policy-gradient); scale it by lr (r - b) and add it to a copy of h.
        throw new UnsupportedOperationException("TODO: implement ReinforceStep.step (h + lr (r - b)(e_a - pi))");
    }
}
