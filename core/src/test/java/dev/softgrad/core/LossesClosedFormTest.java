package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.SoftmaxCrossEntropy.Options;
import dev.softgrad.core.SoftmaxCrossEntropy.Reduction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The closed forms of softmax theory, each checked against the nodes. */
class LossesClosedFormTest {
    static final INDArray Z = TestArrays.uniform(3, -4, 4, 5, 6);
    static final int[] Y = {0, 5, 2, 2, 3};

    static Tensor p(INDArray z) {
        return Tensor.parameter(z.dup());
    }

    static double[] row(INDArray a, int i) {
        return a.getRow(i).toDoubleVector();
    }

    static void assertArraysClose(INDArray a, INDArray b, double tol, String what) {
        double err = a.sub(b).amaxNumber().doubleValue();
        assertTrue(err <= tol, what + ": max difference " + err);
    }

    /** Loss value and gradient of f at z. */
    static INDArray[] valueAndGrad(java.util.function.Function<Tensor, Tensor> f, INDArray z) {
        Tensor t = p(z);
        Tensor l = f.apply(t);
        l.backward();
        return new INDArray[] {Nd4j.scalar(l.item()), t.grad().dup()};
    }

    @Test
    void gradientOfCrossEntropyIsExactlyPMinusYOverN() {
        Tensor z = p(Z);
        Losses.crossEntropy(z, Y).backward();
        INDArray probs = Losses.softmax(Tensor.constant(Z), 1.0).value();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 6; j++) {
                double expected = (probs.getDouble(i, j) - (j == Y[i] ? 1 : 0)) / 5;
                assertEquals(expected, z.grad().getDouble(i, j), 1e-16);
            }
        }
    }

    @Test
    void shiftInvarianceOfEveryNode() {
        INDArray shift = TestArrays.uniform(4, -50, 50, 5, 1);
        INDArray shifted = Z.addColumnVector(shift);
        INDArray teacher = TestArrays.uniform(5, -2, 2, 5, 6);
        java.util.List<java.util.function.Function<Tensor, Tensor>> nodes = java.util.List.of(
                t -> Losses.crossEntropy(t, Y),
                t -> Losses.crossEntropy(t, Y, Options.DEFAULT.withTemperature(0.5).withClassWeights(1, 2, 3, 4, 5, 6)),
                t -> Losses.labelSmoothing(t, Y, 0.2),
                t -> Losses.distill(t, teacher, 3.0, Y, 0.5),
                t -> Losses.softmax(t, 2.0).mul(Tensor.constant(teacher)).sum(),
                t -> Losses.logSoftmax(t, 1.0).mul(Tensor.constant(teacher)).sum());
        for (int n = 0; n < nodes.size(); n++) {
            INDArray[] a = valueAndGrad(nodes.get(n), Z);
            INDArray[] b = valueAndGrad(nodes.get(n), shifted);
            if (n < 4) {
                assertEquals(a[0].getDouble(0), b[0].getDouble(0), 1e-12, "loss of node " + n);
            }
            assertArraysClose(a[1], b[1], 1e-12, "gradient of node " + n);
        }
    }

    @Test
    void temperatureLimitsAndEntropyMonotonicity() {
        INDArray z = Nd4j.createFromArray(new double[][] {{1.0, 3.0, -2.0, 0.5}});
        INDArray hot = Losses.softmax(Tensor.constant(z), 1e-3).value();
        INDArray cold = Losses.softmax(Tensor.constant(z), 1e6).value();
        assertEquals(1.0, hot.getDouble(0, 1), 0.0, "tau -> 0: the one-hot of the arg-max");
        for (int j = 0; j < 4; j++) {
            assertEquals(0.25, cold.getDouble(0, j), 1e-6, "tau -> infinity: uniform");
        }
        double previous = -1;
        for (double tau = 0.01; tau <= 100; tau *= 1.5) {
            INDArray pr = Losses.softmax(Tensor.constant(z), tau).value();
            double h = 0;
            for (int j = 0; j < 4; j++) {
                double pj = pr.getDouble(0, j);
                h -= pj > 0 ? pj * Math.log(pj) : 0;
            }
            assertTrue(h > previous - 1e-15, "entropy must rise with tau: " + h + " after " + previous + " at tau " + tau);
            assertTrue(h <= Math.log(4) + 1e-12);
            previous = h;
        }
        assertEquals(Math.log(4), previous, 1e-3, "entropy tends to ln K");
    }

    @Test
    void marginFormOfTheLoss() {
        for (int k : new int[] {2, 3, 10, 100}) {
            for (double m : new double[] {-2, 0, 0.5, 3, 20}) {
                double[][] r = new double[1][k];
                for (int j = 1; j < k; j++) {
                    r[0][j] = -m;
                }
                double loss = Losses.crossEntropy(Tensor.fromRows(r, DataType.DOUBLE), new int[] {0}).item();
                assertEquals(Math.log1p((k - 1) * Math.exp(-m)), loss, 1e-14, "K=" + k + " m=" + m);
            }
        }
    }

    @Test
    void klIsZeroWhenStudentEqualsTeacher() {
        for (double t : new double[] {0.5, 1, 4}) {
            Tensor s = p(Z);
            Tensor l = Losses.distill(s, Z, t);
            assertEquals(0.0, l.item(), 1e-14, "T=" + t);
            l.backward();
            assertEquals(0.0, s.grad().amaxNumber().doubleValue(), 1e-16, "gradient at the optimum, T=" + t);
        }
    }

    @Test
    void distillationAtTemperatureOneIsCrossEntropyAgainstTheTeacherMinusItsEntropy() {
        INDArray teacher = TestArrays.uniform(8, -3, 3, 5, 6);
        INDArray q = Losses.softmax(Tensor.constant(teacher), 1.0).value();
        double entropy = 0;
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 6; j++) {
                entropy -= q.getDouble(i, j) * Math.log(q.getDouble(i, j));
            }
        }
        INDArray[] kd = valueAndGrad(t -> Losses.distill(t, teacher, 1.0), Z);
        INDArray[] ce = valueAndGrad(t -> Losses.crossEntropy(t, q, Options.DEFAULT), Z);
        assertEquals(ce[0].getDouble(0) - entropy / 5, kd[0].getDouble(0), 1e-12);
        assertArraysClose(ce[1], kd[1], 1e-15, "gradients");
    }

    @Test
    void distillationGradientIsTTimesPMinusQOverN() {
        INDArray teacher = TestArrays.uniform(9, -3, 3, 5, 6);
        double t = 4.0;
        INDArray pT = Losses.softmax(Tensor.constant(Z), t).value();
        INDArray q = Losses.softmax(Tensor.constant(teacher), t).value();
        INDArray[] kd = valueAndGrad(s -> Losses.distill(s, teacher, t), Z);
        assertArraysClose(pT.sub(q).mul(t / 5), kd[1], 1e-15, "T (p_T - q) / N");
    }

    @Test
    void smoothingWithZeroEpsIsCrossEntropyAndKlFormIsZeroAtTheOptimum() {
        INDArray[] ce = valueAndGrad(t -> Losses.crossEntropy(t, Y, Options.DEFAULT.withClassWeights(1, 2, 1, 3, 1, 2)), Z);
        for (LabelSmoothing.Mode mode : LabelSmoothing.Mode.values()) {
            INDArray[] ls = valueAndGrad(t -> Losses.labelSmoothing(t, Y, 0.0, mode,
                    Options.DEFAULT.withClassWeights(1, 2, 1, 3, 1, 2)), Z);
            assertEquals(ce[0].getDouble(0), ls[0].getDouble(0), 1e-14, mode.toString());
            assertArraysClose(ce[1], ls[1], 1e-16, mode.toString());
        }
        // logits = log q make p = q: the KL form is 0 and every mode's gradient vanishes
        double eps = 0.3;
        int k = 6;
        double[][] r = new double[Y.length][k];
        for (int i = 0; i < Y.length; i++) {
            for (int j = 0; j < k; j++) {
                r[i][j] = Math.log((j == Y[i] ? 1 - eps : 0) + eps / k);
            }
        }
        INDArray zq = Tensor.fromRows(r, DataType.DOUBLE).value();
        INDArray[] kl = valueAndGrad(t -> Losses.labelSmoothing(t, Y, eps, LabelSmoothing.Mode.KL_UNIFORM,
                Options.DEFAULT), zq);
        assertEquals(0.0, kl[0].getDouble(0), 1e-15);
        // p = q to rounding: p_j = e_j * (1 / (1 + s)) is within about 1 ulp (2.2e-16 near 1)
        assertEquals(0.0, kl[1].amaxNumber().doubleValue(), 2.3e-16);
        INDArray[] uni = valueAndGrad(t -> Losses.labelSmoothing(t, Y, eps), zq);
        double entropy = -((1 - eps + eps / k) * Math.log(1 - eps + eps / k) + (k - 1) * (eps / k) * Math.log(eps / k));
        assertEquals(entropy, uni[0].getDouble(0), 1e-14, "UNIFORM at its optimum equals the target's entropy");
    }

    @Test
    void smoothingTargetsMatchTheirDefinitions() {
        double eps = 0.2;
        int k = 6;
        for (LabelSmoothing.Mode mode : new LabelSmoothing.Mode[] {LabelSmoothing.Mode.UNIFORM,
            LabelSmoothing.Mode.OTHER_CLASSES}) {
            double[][] q = new double[Y.length][k];
            for (int i = 0; i < Y.length; i++) {
                for (int j = 0; j < k; j++) {
                    q[i][j] = mode == LabelSmoothing.Mode.UNIFORM ? (j == Y[i] ? 1 - eps : 0) + eps / k
                            : (j == Y[i] ? 1 - eps : eps / (k - 1));
                }
            }
            INDArray qa = Tensor.fromRows(q, DataType.DOUBLE).value();
            INDArray[] ls = valueAndGrad(t -> Losses.labelSmoothing(t, Y, eps, mode, Options.DEFAULT), Z);
            INDArray[] ce = valueAndGrad(t -> Losses.crossEntropy(t, qa, Options.DEFAULT), Z);
            assertEquals(ce[0].getDouble(0), ls[0].getDouble(0), 1e-14, mode.toString());
            assertArraysClose(ce[1], ls[1], 1e-16, mode + ": gradient p - q");
        }
    }

    @Test
    void weightedMeanAndIgnoreFollowPyTorch() {
        double[] w = {0.5, 1, 2, 1, 4, 1};
        int[] y = {0, 5, -100, 2, 4};
        double num = 0;
        double den = 0;
        for (int i = 0; i < 5; i++) {
            if (y[i] < 0) {
                continue;
            }
            double l = Losses.logSumExp(Tensor.constant(Z.getRow(i).dup()), 1.0).item() - Z.getDouble(i, y[i]);
            num += w[y[i]] * l;
            den += w[y[i]];
        }
        Options o = Options.DEFAULT.withClassWeights(w);
        assertEquals(num / den, Losses.crossEntropy(Tensor.constant(Z), y, o).item(), 1e-14, "sum w_y l / sum w_y");
        assertEquals(num, Losses.crossEntropy(Tensor.constant(Z), y, o.withReduction(Reduction.SUM)).item(), 1e-13);
        Tensor none = Losses.crossEntropy(Tensor.constant(Z), y, o.withReduction(Reduction.NONE));
        assertEquals(0.0, none.value().getDouble(2), 0.0, "an ignored row contributes 0");
        // every row ignored: 0 and a zero gradient, where PyTorch gives NaN
        Tensor z = p(Z);
        Tensor all = Losses.crossEntropy(z, new int[] {-100, -100, -100, -100, -100});
        assertEquals(0.0, all.item(), 0.0);
        all.backward();
        assertEquals(0.0, z.grad().amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void crossEntropyPlusLogitL2HasGradientPMinusYPlusLambdaZOverN() {
        double lambda = 0.3;
        Tensor z = p(Z);
        Losses.crossEntropy(z, Y).add(Losses.logitL2(z, lambda)).backward();
        INDArray probs = Losses.softmax(Tensor.constant(Z), 1.0).value();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 6; j++) {
                double expected = (probs.getDouble(i, j) - (j == Y[i] ? 1 : 0) + lambda * Z.getDouble(i, j)) / 5;
                assertEquals(expected, z.grad().getDouble(i, j), 1e-15);
            }
        }
        Tensor z0 = p(Z);
        Tensor l0 = Losses.logitL2(z0, 0.0);
        assertEquals(0.0, l0.item(), 0.0);
        l0.backward();
        assertEquals(0.0, z0.grad().amaxNumber().doubleValue(), 0.0, "lambda = 0: zero gradient");
        assertEquals(0.5 * lambda * Z.mul(Z).sumNumber().doubleValue() / 5, Losses.logitL2(p(Z), lambda).item(), 1e-13);
    }

    @Test
    void zLossValueAndGradient() {
        double lambda = 0.2;
        Tensor z = p(Z);
        Tensor l = Losses.zLoss(z, lambda);
        INDArray lse = Losses.logSumExp(Tensor.constant(Z), 1.0).value();
        INDArray probs = Losses.softmax(Tensor.constant(Z), 1.0).value();
        assertEquals(lambda * lse.mul(lse).sumNumber().doubleValue() / 5, l.item(), 1e-13);
        l.backward();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(2 * lambda * lse.getDouble(i) * probs.getDouble(i, j) / 5, z.grad().getDouble(i, j), 1e-15);
            }
        }
    }

    @Test
    void maskedEntriesGetExactlyZeroProbabilityAndGradient() {
        boolean[][] keep = {{true, false, true}, {false, false, false}};
        INDArray s = Nd4j.createFromArray(new double[][] {{1, 100, 2}, {3, 4, 5}});
        Tensor x = p(s);
        Tensor out = Losses.maskedSoftmax(x, keep, 1.0);
        assertEquals(0.0, out.value().getDouble(0, 1), 0.0);
        assertEquals(1.0 / (1 + Math.E), out.value().getDouble(0, 0), 1e-15);
        for (int j = 0; j < 3; j++) {
            assertEquals(0.0, out.value().getDouble(1, j), 0.0, "an all-masked row is zeros, not NaN");
        }
        out.mul(Tensor.constant(TestArrays.uniform(1, -1, 1, 2, 3))).sum().backward();
        assertEquals(0.0, x.grad().getDouble(0, 1), 0.0);
        for (int j = 0; j < 3; j++) {
            assertEquals(0.0, x.grad().getDouble(1, j), 0.0);
        }
        // -inf scores mask the same way
        Tensor y = p(Nd4j.createFromArray(new double[][] {{1, Double.NEGATIVE_INFINITY, 2}}));
        Tensor py = Losses.softmax(y, 1.0);
        assertEquals(0.0, py.value().getDouble(0, 1), 0.0);
        py.mul(Tensor.constant(Nd4j.createFromArray(new double[][] {{1, 2, 3}}))).sum().backward();
        assertEquals(0.0, y.grad().getDouble(0, 1), 0.0);
    }

    @Test
    void zeroTargetAgainstMinusInfinityContributesNothing() {
        INDArray z = Nd4j.createFromArray(new double[][] {{0.5, Double.NEGATIVE_INFINITY, 1.0}});
        INDArray q = Nd4j.createFromArray(new double[][] {{0.25, 0.0, 0.75}});
        Tensor t = p(z);
        Tensor l = Losses.crossEntropy(t, q, Options.DEFAULT);
        double lse = Math.log(Math.exp(0.5) + Math.exp(1.0));
        assertEquals(0.25 * (lse - 0.5) + 0.75 * (lse - 1.0), l.item(), 1e-15);
        l.backward();
        assertEquals(0.0, t.grad().getDouble(0, 1), 0.0);
        assertTrue(Double.isFinite(t.grad().getDouble(0, 0)));
    }
}
