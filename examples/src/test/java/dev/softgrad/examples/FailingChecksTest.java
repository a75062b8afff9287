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

    private static void assertHoldsThenFails(Notebook.Claim right, Notebook.Claim wrong) {
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
        assertHoldsThenFails(MarginExample.formulaClaim(MarginExample::loss, ks, ms),
                MarginExample.formulaClaim((k, m) -> 1.01 * MarginExample.loss(k, m), ks, ms));
        assertHoldsThenFails(MarginExample.lseClaim(MarginExample::fused, 3),
                MarginExample.lseClaim((z, c, t) -> MarginExample.fused(z, (c + 1) % z.length, t), 3));
        assertHoldsThenFails(MarginExample.fusedClaim(MarginExample::fused), MarginExample.fusedClaim(MarginExample::logOfSoftmax));
    }

    @Test
    void shiftInvarianceRejectsASoftmaxWithoutTheMaxShift() {
        double[] base = {0, -1, -2};
        assertHoldsThenFails(ShiftInvarianceExample.shiftClaim(ShiftInvarianceExample::stableSoftmax, base),
                ShiftInvarianceExample.shiftClaim(ShiftInvarianceExample::naiveSoftmax, base));
        // a "softmax" that is not shift invariant (it adds the logits' mean to the first logit)
        assertHoldsThenFails(ShiftInvarianceExample.freeParametersClaim(ShiftInvarianceExample::stableSoftmax, 5),
                ShiftInvarianceExample.freeParametersClaim(z -> {
                    double[] w = z.clone();
                    w[0] += Arrays.stream(z).average().orElseThrow();
                    return ShiftInvarianceExample.stableSoftmax(w);
                }, 5));
    }

    @Test
    void temperatureRejectsASoftmaxThatMultipliesByTau() {
        double[] z = {2, 1, 0.5, -1, 0};
        assertHoldsThenFails(TemperatureExample.entropyClaim((r, tau) -> {
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
        assertHoldsThenFails(GradientExample.differencesClaim(g, z, y), GradientExample.differencesClaim(scaled(g, 1.01), z, y));
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
        assertHoldsThenFails(SoftTargetsExample.softGradientClaim(g, z, q), SoftTargetsExample.softGradientClaim(scaled(g, 1.01), z, q));
        double h = 0.8;
        double[] kl = {0.5, 0.2, 0.1};
        double[] ce = {1.3, 1.0, 0.9};
        assertHoldsThenFails(SoftTargetsExample.identityClaim(ce, h, kl),
                SoftTargetsExample.identityClaim(ce, h, Arrays.stream(kl).map(v -> 1.01 * v).toArray()));
    }

    @Test
    void hessianRejectsTheHessianOfAnotherP() {
        double[] z = {0.5, -1, 2, 0.1};
        double[] other = {0.6, -1, 2, 0.1};
        assertHoldsThenFails(HessianExample.hessianClaim(SoftmaxCrossEntropy.hessian(z, 1.0), z),
                HessianExample.hessianClaim(SoftmaxCrossEntropy.hessian(other, 1.0), z));
    }

    @Test
    void saturationRejectsAnotherLambdaAndAGradientOffByOnePercent() {
        double lambda = 0.05;
        Tensor free = Tensor.parameter(Tensor.fromRows(new double[][] {{0.3, -0.2, 1.0}}, DataType.DOUBLE).value());
        for (int t = 0; t < 400; t++) {
            free.zeroGrad();
            Losses.crossEntropy(free, new int[] {0}).add(Losses.logitL2(free, lambda)).backward();
            dev.softgrad.core.InPlace.axpy(-1.5, free.grad(), free.value());
        }
        double[] z = free.value().toDoubleVector();
        double[] p = softmax(z, DataType.DOUBLE);
        assertHoldsThenFails(SaturationExample.fixedPointClaim(p, 0, z, lambda), SaturationExample.fixedPointClaim(p, 0, z, 1.01 * lambda));
        double[][] zr = {{2, -1, 0.5}, {-3, 4, 1}};
        int[] y = {0, 2};
        Tensor zt = Tensor.parameter(Tensor.fromRows(zr, DataType.DOUBLE).value());
        Losses.crossEntropy(zt, y).add(Losses.logitL2(zt, lambda)).backward();
        double[][] g = zt.grad().toDoubleMatrix();
        assertHoldsThenFails(SaturationExample.regularisedGradientClaim(g, zr, y, lambda),
                SaturationExample.regularisedGradientClaim(scaled(g, 1.01), zr, y, lambda));
    }

    @Test
    void softmaxRegressionRejectsAGradLogZOffByOnePercent() {
        double[][] z = {{1, -2, 0.5}, {3, 0, -1}};
        Tensor t = Tensor.parameter(Tensor.fromRows(z, DataType.DOUBLE).value());
        Losses.logSumExp(t, 1.0).sum().backward();
        double[][] g = t.grad().toDoubleMatrix();
        assertHoldsThenFails(SoftmaxRegressionExample.gradLogZClaim(g, z), SoftmaxRegressionExample.gradLogZClaim(scaled(g, 1.01), z));
    }

    @Test
    void attentionRejectsAnAdditiveMinus30Mask() {
        double[][] scores = {{0.5, 1.0, -0.3}, {0.2, 0.1, 0.9}, {-1.0, 0.4, 0.3}};
        boolean[][] causal = {{true, false, false}, {true, true, false}, {true, true, true}};
        double[][] right = Losses.maskedSoftmax(Tensor.fromRows(scores, DataType.DOUBLE), causal, 1.0).value().toDoubleMatrix();
        double[][] additive = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                additive[i][j] = scores[i][j] + (causal[i][j] ? 0 : -30);
            }
        }
        double[][] wrong = Losses.softmax(Tensor.fromRows(additive, DataType.DOUBLE), 1.0).value().toDoubleMatrix();
        assertHoldsThenFails(AttentionExample.maskClaim(right, causal), AttentionExample.maskClaim(wrong, causal));
    }

    @Test
    void banditRejectsAScoreWithoutTheOneOverTau() {
        double tau = 0.7;
        double[] h0 = {0.3, -0.5, 1.2, 0.0};
        double[] pi = Losses.softmax(Tensor.fromRows(new double[][] {h0}, DataType.DOUBLE), tau).value().toDoubleVector();
        double[][] scores = new double[4][];
        for (int a = 0; a < 4; a++) {
            Tensor h = Tensor.parameter(Tensor.fromRows(new double[][] {h0}, DataType.DOUBLE).value());
            Losses.logSoftmax(h, tau).mul(Tensor.fromRows(new double[][] {Lessons.oneHot(4, a, 1)}, DataType.DOUBLE))
                    .sum().backward();
            scores[a] = h.grad().toDoubleVector();
        }
        assertHoldsThenFails(BanditExample.scoreClaim(scores, pi, tau), BanditExample.scoreClaim(scaled(scores, tau), pi, tau));
    }

    @Test
    void contrastiveRejectsAGradientWithoutTheOneOverTau() {
        double[][] sim = {{0.9, 0.1, -0.2}, {0.0, 0.8, 0.3}, {0.2, -0.4, 0.7}};
        double tau = 0.1;
        Tensor st = Tensor.parameter(Tensor.fromRows(sim, DataType.DOUBLE).value());
        Losses.crossEntropy(st.div(tau), new int[] {0, 1, 2}).backward();
        double[][] g = st.grad().toDoubleMatrix();
        assertHoldsThenFails(ContrastiveExample.gradientClaim(g, sim, tau), ContrastiveExample.gradientClaim(scaled(g, tau), sim, tau));
    }

    @Test
    void logitL2RejectsTheWeightDecayGradient() {
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1, 2}, {0.5, -1}, {3, 0}});
        org.nd4j.linalg.api.ndarray.INDArray w = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{0.2, -0.1}, {0.4, 0.3}});
        org.nd4j.linalg.api.ndarray.INDArray b = org.nd4j.linalg.factory.Nd4j.createFromArray(0.1, -0.2);
        double[][] z = x.mmul(w).addiRowVector(b).toDoubleMatrix();
        assertHoldsThenFails(LogitL2Example.gradientClaim(LogitL2Example.logitL2Gradient(x, w, b, 0.1), x.toDoubleMatrix(), z, 0.1),
                LogitL2Example.gradientClaim(w.mul(0.1).toDoubleMatrix(), x.toDoubleMatrix(), z, 0.1));
    }

    @Test
    void labelSmoothingRejectsConfidencesThatNeverTurn() {
        double[] eps = {0, 0.1, 0.2, 0.3};
        double[] acc = {0.77, 0.80, 0.82, 0.83};
        assertHoldsThenFails(LabelSmoothingExample.turnClaim(eps, new double[] {0.87, 0.77, 0.70, 0.63}, acc),
                LabelSmoothingExample.turnClaim(eps, Arrays.stream(acc).map(a -> a + 0.05).toArray(), acc));
        assertHoldsThenFails(LabelSmoothingExample.monotoneClaim("falls", new double[] {3, 2, 1}),
                LabelSmoothingExample.monotoneClaim("falls", new double[] {3, 2, 2}));
    }

    @Test
    void calibrationRejectsASharpeningTemperature() {
        int n = 300;
        double[][] logits = new double[n][3];
        int[] labels = new int[n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int i = 0; i < n; i++) { // 70 % right, always at confidence ~0.995: over-confident
            labels[i] = rnd.nextInt(3);
            logits[i][rnd.nextDouble() < 0.7 ? labels[i] : (labels[i] + 1) % 3] = 6;
        }
        org.nd4j.linalg.api.ndarray.INDArray z = org.nd4j.linalg.factory.Nd4j.createFromArray(logits);
        assertHoldsThenFails(CalibrationExample.scalingClaim(z, labels, 4.0), CalibrationExample.scalingClaim(z, labels, 0.25));
    }

    @Test
    void distillationRejectsAStudentThatLearntNothingFromTheTeacher() {
        assertHoldsThenFails(DistillationExample.agreementClaim(0.92, 0.81), DistillationExample.agreementClaim(0.81, 0.81));
    }

    @Test
    void trainRejectsTheLossOfAStepOnePercentTooLong() {
        dev.softgrad.datasets.Dataset d = dev.softgrad.datasets.Synthetic.blobs(60, 3, 4, 3.0, 5, DataType.DOUBLE);
        double[] loss = new double[2];
        double[] lrs = {0.1, 0.101};
        for (int r = 0; r < 2; r++) {
            dev.softgrad.nn.SoftmaxClassifier m = new dev.softgrad.nn.SoftmaxClassifier(4, 3, dev.softgrad.nn.Init.zeros(),
                    DataType.DOUBLE);
            new dev.softgrad.nn.Trainer(dev.softgrad.nn.Trainer.Config.of(1, d.size(), lrs[r], 5)).fit(m, d, null);
            loss[r] = m.evaluate(d).loss();
        }
        double[][] x = d.features().toDoubleMatrix();
        assertHoldsThenFails(TrainExample.firstStepClaim(loss[0], x, d.labels(), 3, 0.1),
                TrainExample.firstStepClaim(loss[1], x, d.labels(), 3, 0.1));
    }
}
