package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.SoftmaxCrossEntropy.Options;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The edges of issue 10, point 3, each checked against a computation written out here. */
class LossEdgeCasesTest {

    /** log softmax(z / tau) of one row, written out (small values: no shift needed for accuracy). */
    static double[] logSoftmax(double[] z, double tau) {
        double s = 0;
        for (double v : z) {
            s += Math.exp(v / tau);
        }
        double[] out = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            out[j] = z[j] / tau - Math.log(s);
        }
        return out;
    }

    static final double[][] S = {{1.0, 2.0, 0.5}, {0.3, -1.0, 2.0}, {-0.4, 0.1, 0.0}};
    static final double[][] T = {{0.5, 0.0, 1.0}, {2.0, 1.0, -1.0}, {0.0, -2.0, 1.5}};

    /**
     * What a PyTorch user composing the two terms gets:
     * (1 - a) F.cross_entropy(s, y, ignore_index=-100) + a T^2 F.kl_div(log_softmax(s/T), softmax(t/T), 'batchmean').
     */
    static double composed(int[] y, double temp, double alpha) {
        double ce = 0;
        int kept = 0;
        double kl = 0;
        for (int i = 0; i < S.length; i++) {
            if (y[i] != -100) {
                ce -= logSoftmax(S[i], 1.0)[y[i]];
                kept++;
            }
            double[] logQ = logSoftmax(T[i], temp);
            double[] logP = logSoftmax(S[i], temp);
            for (int j = 0; j < logQ.length; j++) {
                kl += Math.exp(logQ[j]) * (logQ[j] - logP[j]);
            }
        }
        double hard = kept == 0 ? 0.0 : ce / kept;
        return (1 - alpha) * hard + alpha * temp * temp * kl / S.length;
    }

    @Test
    void distillationWithIgnoredRowsFollowsCrossEntropyIgnoreIndexAndKlOverEveryRow() {
        INDArray teacher = Tensor.fromRows(T, DataType.DOUBLE).value();
        for (int[] y : new int[][] {{0, -100, 2}, {1, 2, 0}, {-100, -100, -100}}) {
            double got = Losses.distill(Tensor.fromRows(S, DataType.DOUBLE), teacher, 2.0, y, 0.5).item();
            assertEquals(composed(y, 2.0, 0.5), got, 1e-14, java.util.Arrays.toString(y));
            GradCheck.Report r = GradCheck.check(t -> Losses.distill(t[0], teacher, 2.0, y, 0.5),
                    Tensor.fromRows(S, DataType.DOUBLE).value());
            assertTrue(r.passed(), () -> java.util.Arrays.toString(y) + ": " + r);
        }
        // a label that is neither in range nor the ignore label is still refused by name
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.distill(Tensor.fromRows(S, DataType.DOUBLE), teacher, 2.0, new int[] {0, -1, 0}, 0.5));
        assertTrue(e.getMessage().contains("labels[1] = -1 is out of range [0, 3)"), e.getMessage());
    }

    @Test
    void classWeightsAreScaleInvariantFromSubnormalToTheTopOfTheRange() {
        double[][] zero = {{0, 0}, {0, 0}};
        int[] y = {0, 1};
        for (double w : new double[] {1e308, Double.MAX_VALUE, 1e-310, Double.MIN_VALUE, 3.0}) {
            Tensor z = Tensor.parameter(Tensor.fromRows(zero, DataType.DOUBLE).value());
            Tensor loss = Losses.crossEntropy(z, y, Options.DEFAULT.withClassWeights(w, w));
            loss.backward();
            assertEquals(Math.log(2), loss.item(), 1e-16, "weights " + w);
            assertArrayEquals(new double[] {-0.25, 0.25, 0.25, -0.25}, z.grad().data().asDouble(), 1e-17, "weights " + w);
        }
        // a common factor changes nothing, to the bit
        INDArray z = TestArrays.uniform(4, -3, 3, DataType.DOUBLE, 5, 3);
        int[] labels = {0, 2, 1, 1, 0};
        double small = Losses.crossEntropy(Tensor.constant(z), labels, Options.DEFAULT.withClassWeights(1, 2, 0.5)).item();
        double huge = Losses.crossEntropy(Tensor.constant(z), labels,
                Options.DEFAULT.withClassWeights(4e307, 8e307, 2e307)).item();
        assertEquals(small, huge, 0.0);
        assertEquals(small, Losses.labelSmoothing(Tensor.constant(z), labels, 0.0, LabelSmoothing.Mode.UNIFORM,
                Options.DEFAULT.withClassWeights(1e-320, 2e-320, 0.5e-320)).item(), 1e-15);
    }

    @Test
    void hessiansValidateLikeTheirNodes() {
        double[] s = {0.1, 0.2, -0.3};
        for (double alpha : new double[] {1.5, -0.1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KLDistill.hessian(s, 2.0, alpha));
            assertTrue(e.getMessage().contains("alpha must be in [0, 1], got " + alpha), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> KLDistill.hessianVectorProduct(s, 2.0, alpha, new double[3]));
            assertTrue(e.getMessage().contains("alpha must be in [0, 1], got " + alpha), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogitL2.hessian(-1, 0.5));
        assertTrue(e.getMessage().contains("k >= 1 classes, got k = -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LogitL2.hessian(3, -0.5));
        assertTrue(e.getMessage().contains("lambda must be a finite number >= 0, got -0.5"), e.getMessage());
        ShapeMismatchException m = assertThrows(ShapeMismatchException.class,
                () -> SoftmaxCrossEntropy.hessianVectorProduct(s, 1.0, new double[2]));
        assertTrue(m.getMessage().contains("v must have length 3"), m.getMessage());
    }

    @Test
    void smoothingOverUnmaskedClassesIsCrossEntropyAgainstTheMaskedTarget() {
        double ninf = Double.NEGATIVE_INFINITY;
        double[][] z = {{1.0, ninf, 0.5, 2.0}, {0.2, 0.1, ninf, ninf}, {0.3, -0.2, 0.7, 0.0}};
        int[] y = {0, 1, 3};
        double eps = 0.2;
        // the default keeps the clear error
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.labelSmoothing(Tensor.fromRows(z, DataType.DOUBLE), y, eps));
        assertTrue(e.getMessage().contains("logits[0, 1] = -inf"), e.getMessage());
        // UNIFORM_UNMASKED: q = (1 - eps) onehot + eps / K_i on the K_i unmasked classes of row i
        double[][] q = new double[3][4];
        for (int i = 0; i < 3; i++) {
            int unmasked = 0;
            for (double v : z[i]) {
                unmasked += v == ninf ? 0 : 1;
            }
            for (int j = 0; j < 4; j++) {
                q[i][j] = (j == y[i] ? 1 - eps : 0) + (z[i][j] == ninf ? 0 : eps / unmasked);
            }
        }
        Options o = Options.DEFAULT.withTemperature(1.5);
        Tensor a = Tensor.parameter(Tensor.fromRows(z, DataType.DOUBLE).value());
        Tensor la = Losses.labelSmoothing(a, y, eps, LabelSmoothing.Mode.UNIFORM_UNMASKED, o);
        la.backward();
        Tensor b = Tensor.parameter(Tensor.fromRows(z, DataType.DOUBLE).value());
        Tensor lb = Losses.crossEntropy(b, Tensor.fromRows(q, DataType.DOUBLE).value(), o);
        lb.backward();
        assertEquals(lb.item(), la.item(), 1e-15);
        assertArrayEquals(b.grad().data().asDouble(), a.grad().data().asDouble(), 1e-16);
        // hand value of row 1: -sum_j q_j log softmax(z / 1.5)_j over its two unmasked classes
        double[] lp = logSoftmax(new double[] {0.2, 0.1}, 1.5);
        double row1 = -(q[1][0] * lp[0] + q[1][1] * lp[1]);
        Tensor none = Losses.labelSmoothing(Tensor.fromRows(z, DataType.DOUBLE), y, eps,
                LabelSmoothing.Mode.UNIFORM_UNMASKED, o.withReduction(SoftmaxCrossEntropy.Reduction.NONE));
        assertEquals(row1, none.value().getDouble(1), 1e-15);
        // gradient-checked: finite logits plus a constant mask of 0 / -inf (masked entries get gradient 0)
        double[][] finite = new double[3][4];
        double[][] mask = new double[3][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                finite[i][j] = z[i][j] == ninf ? 0.37 * j : z[i][j];
                mask[i][j] = z[i][j] == ninf ? ninf : 0.0;
            }
        }
        Tensor maskT = Tensor.fromRows(mask, DataType.DOUBLE);
        GradCheck.Report r = GradCheck.check(t -> Losses.labelSmoothing(t[0].add(maskT), y, eps,
                LabelSmoothing.Mode.UNIFORM_UNMASKED, Options.DEFAULT.withClassWeights(1, 2, 0.5, 1.5)),
                Tensor.fromRows(finite, DataType.DOUBLE).value());
        assertTrue(r.passed(), r::toString);
        // a masked label is still an error
        e = assertThrows(IllegalArgumentException.class, () -> Losses.labelSmoothing(Tensor.fromRows(z, DataType.DOUBLE),
                new int[] {1, 1, 3}, eps, LabelSmoothing.Mode.UNIFORM_UNMASKED, Options.DEFAULT));
        assertTrue(e.getMessage().contains("logits[0, 1] = -inf is the target class"), e.getMessage());
    }
}
