package dev.softgrad.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.Losses;
import dev.softgrad.core.SoftmaxCrossEntropy;
import dev.softgrad.core.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Each notebook's central claim could fail: fed the right quantity its claim method holds, fed a
 * wrong one (a gradient off by 1 %, a softmax without the max shift, the Hessian of another p, ...)
 * the same method rejects it. The tests call the notebooks' own claim methods, not copies.
 */
class FailingChecksTest {

    private static void holdsThenFails(Notebook.Claim right, Notebook.Claim wrong) {
        assertTrue(right.holds(), "the right quantity: " + right);
        assertFalse(wrong.holds(), "a wrong quantity must fail: " + wrong);
    }

    private static double[][] scaled(double[][] a, double factor) {
        return Arrays.stream(a).map(r -> Arrays.stream(r).map(v -> v * factor).toArray()).toArray(double[][]::new);
    }

    private static double[] softmax(double[] z, DataType type) {
        return Losses.softmax(Tensor.fromRows(new double[][] {z}, type), 1.0).value().toDoubleVector();
    }

    @Test
    void marginRejectsALossOffByOnePercentAndLogOfSoftmax() {
        int[] ks = {2, 10};
        double[] ms = {-5, 0, 5, 15};
        holdsThenFails(MarginExample.formulaClaim(MarginExample::loss, ks, ms),
                MarginExample.formulaClaim((k, m) -> 1.01 * MarginExample.loss(k, m), ks, ms));
        holdsThenFails(MarginExample.lseClaim(MarginExample::fused, 3),
                MarginExample.lseClaim((z, c, t) -> MarginExample.fused(z, (c + 1) % z.length, t), 3));
        holdsThenFails(MarginExample.fusedClaim(MarginExample::fused), MarginExample.fusedClaim(MarginExample::logOfSoftmax));
    }

    @Test
    void shiftInvarianceRejectsASoftmaxWithoutTheMaxShift() {
        double[] base = {0, -1, -2};
        holdsThenFails(ShiftInvarianceExample.shiftClaim(ShiftInvarianceExample::stableSoftmax, base),
                ShiftInvarianceExample.shiftClaim(ShiftInvarianceExample::naiveSoftmax, base));
        // a "softmax" that is not shift invariant (it adds the logits' mean to the first logit)
        holdsThenFails(ShiftInvarianceExample.freeParametersClaim(ShiftInvarianceExample::stableSoftmax, 5),
                ShiftInvarianceExample.freeParametersClaim(z -> {
                    double[] w = z.clone();
                    w[0] += Arrays.stream(z).average().orElseThrow();
                    return ShiftInvarianceExample.stableSoftmax(w);
                }, 5));
    }

    @Test
    void temperatureRejectsASoftmaxThatMultipliesByTau() {
        double[] z = {2, 1, 0.5, -1, 0};
        holdsThenFails(TemperatureExample.entropyClaim((r, tau) -> {
            double[] scaled = Arrays.stream(r).map(v -> v / tau).toArray();
            return softmax(scaled, DataType.DOUBLE);
        }, z), TemperatureExample.entropyClaim((r, tau) -> softmax(Arrays.stream(r).map(v -> v * tau).toArray(),
                DataType.DOUBLE), z));
    }

    @Test
    void gradientRejectsAGradientOffByOnePercent() {
        double[][] z = {{1, -2, 0.5}, {3, 0, -1}, {-0.5, 0.2, 0.1}};
        int[] y = {0, 2, 1};
        Tensor t = Tensor.parameter(Tensor.fromRows(z, DataType.DOUBLE).value());
        Losses.crossEntropy(t, y, SoftmaxCrossEntropy.Options.DEFAULT.withReduction(SoftmaxCrossEntropy.Reduction.SUM))
                .backward();
        double[][] g = t.grad().toDoubleMatrix();
        holdsThenFails(GradientExample.differencesClaim(g, z, y), GradientExample.differencesClaim(scaled(g, 1.01), z, y));
    }

    @Test
    void softTargetsRejectAGradientOffByOnePercentAndAWrongKl() {
        double[][] z = {{1, -2, 0.5}, {3, 0, -1}};
        double[][] q = {{0.7, 0.2, 0.1}, {0.1, 0.1, 0.8}};
        double[][] g = new double[2][3];
        for (int i = 0; i < 2; i++) {
            double[] p = softmax(z[i], DataType.DOUBLE);
            for (int j = 0; j < 3; j++) {
                g[i][j] = p[j] - q[i][j];
            }
        }
        holdsThenFails(SoftTargetsExample.softGradientClaim(g, z, q), SoftTargetsExample.softGradientClaim(scaled(g, 1.01), z, q));
        double h = 0.8;
        double[] kl = {0.5, 0.2, 0.1};
        double[] ce = {1.3, 1.0, 0.9};
        holdsThenFails(SoftTargetsExample.identityClaim(ce, h, kl),
                SoftTargetsExample.identityClaim(ce, h, Arrays.stream(kl).map(v -> 1.01 * v).toArray()));
    }

    @Test
    void hessianRejectsTheHessianOfAnotherP() {
        double[] z = {0.5, -1, 2, 0.1};
        double[] other = {0.6, -1, 2, 0.1};
        holdsThenFails(HessianExample.hessianClaim(SoftmaxCrossEntropy.hessian(z, 1.0), z),
                HessianExample.hessianClaim(SoftmaxCrossEntropy.hessian(other, 1.0), z));
    }
}
