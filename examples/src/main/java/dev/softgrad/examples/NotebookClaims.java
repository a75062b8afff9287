package dev.softgrad.examples;

import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The notebooks' own claim code, opened to the exercises' graders ({@code dev.softgrad.examples.grading}):
 * an exercise is graded by the very claim its notebook checks of the library, applied to the
 * student's quantity instead (each method hands its arguments to the notebook's claim hook).
 */
public final class NotebookClaims {
    private NotebookClaims() {
    }

    /** shift-invariance: softmax(z + c) = softmax(z) for c in [80, 92]; {@code base} has 3 logits. */
    public static Notebook.Claim shift(UnaryOperator<double[]> softmax, double[] base) {
        return ShiftInvarianceExample.shiftClaim(softmax, base);
    }

    /** shift-invariance: K logits have K - 1 free parameters. */
    public static Notebook.Claim freeParameters(UnaryOperator<double[]> softmax, long seed) {
        return ShiftInvarianceExample.freeParametersClaim(softmax, seed);
    }

    /** temperature: the entropy of softmax(z / tau) rises from 0 to ln K. */
    public static Notebook.Claim entropy(BiFunction<double[], Double, double[]> softmaxAtTau, double[] z) {
        return TemperatureExample.entropyClaim(softmaxAtTau, z);
    }

    /** gradient: a gradient of the cross-entropy in the logits against central differences, row by row. */
    public static Notebook.Claim crossEntropyGradient(double[][] gradient, double[][] z, int[] y) {
        return GradientExample.differencesClaim(gradient, z, y);
    }

    /** soft-targets: a gradient against a soft target against central differences, row by row. */
    public static Notebook.Claim softTargetGradient(double[][] gradient, double[][] z, double[][] q) {
        return SoftTargetsExample.softGradientClaim(gradient, z, q);
    }

    /** saturation: a gradient of mean CE + LogitL2 against central differences and the closed form. */
    public static Notebook.Claim regularisedGradient(double[][] gradient, double[][] z, int[] y, double lambda) {
        return SaturationExample.regularisedGradientClaim(gradient, z, y, lambda);
    }

    /** saturation: at a fixed point of CE + LogitL2, p - y = -lambda z. */
    public static Notebook.Claim fixedPoint(double[] p, int y, double[] z, double lambda) {
        return SaturationExample.fixedPointClaim(p, y, z, lambda);
    }

    /** hessian: a Hessian at z against central differences of autograd's gradient. */
    public static Notebook.Claim hessian(double[][] hessian, double[] z) {
        return HessianExample.hessianClaim(hessian, z);
    }

    /** attention: masked weights exactly 0. */
    public static Notebook.Claim mask(double[][] weights, boolean[][] keep) {
        return AttentionExample.maskClaim(weights, keep);
    }

    /** bandit: rows of grad_h log pi(a), one per arm, against (e_a - pi) / tau. */
    public static Notebook.Claim score(double[][] scores, double[] pi, double tau) {
        return BanditExample.scoreClaim(scores, pi, tau);
    }

    /** softmax-regression: a gradient of log Z against central differences of the library's log-sum-exp, row by row. */
    public static Notebook.Claim gradLogZ(double[][] gradient, double[][] z) {
        return SoftmaxRegressionExample.gradLogZClaim(gradient, z);
    }

    /** contrastive: a gradient of InfoNCE in the similarities against (softmax(S / tau) - I) / (N tau). */
    public static Notebook.Claim infoNceGradient(double[][] gradient, double[][] s, double tau) {
        return ContrastiveExample.gradientClaim(gradient, s, tau);
    }

    /** logit-l2: a logit-L2 weight gradient against lambda X^T Z / N. */
    public static Notebook.Claim logitL2WeightGradient(double[][] gradient, double[][] x, double[][] z, double lambda) {
        return LogitL2Example.gradientClaim(gradient, x, z, lambda);
    }
}
