package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.SoftmaxCrossEntropy.Options;
import dev.softgrad.core.SoftmaxCrossEntropy.Reduction;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/** Analytic Hessians and Hessian-vector products against finite differences of the gradient. */
class HessianTest {

    /** d loss / d z of one row, through the graph (SUM reduction: the per-sample loss). */
    static double[] gradient(Function<Tensor, Tensor> loss, double[] z) {
        Tensor t = Tensor.parameter(Nd4j.createFromArray(new double[][] {z}));
        loss.apply(t).backward();
        return t.grad().toDoubleVector();
    }

    /** Central differences of the gradient: column j = (g(z + h e_j) - g(z - h e_j)) / 2h. */
    static double[][] numericHessian(Function<Tensor, Tensor> loss, double[] z) {
        int k = z.length;
        double[][] h = new double[k][k];
        double step = 1e-5;
        for (int j = 0; j < k; j++) {
            double[] up = z.clone();
            double[] down = z.clone();
            up[j] += step;
            down[j] -= step;
            double[] gu = gradient(loss, up);
            double[] gd = gradient(loss, down);
            for (int i = 0; i < k; i++) {
                h[i][j] = (gu[i] - gd[i]) / (2 * step);
            }
        }
        return h;
    }

    static void assertMatrixClose(double[][] expected, double[][] actual, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[i][j], actual[i][j], tol, what + " [" + i + "][" + j + "]");
            }
        }
    }

    static void assertHvpMatches(double[][] h, double[] hv, double[] v, String what) {
        for (int i = 0; i < v.length; i++) {
            double s = 0;
            for (int j = 0; j < v.length; j++) {
                s += h[i][j] * v[j];
            }
            assertEquals(s, hv[i], 1e-12, what + " Hv[" + i + "]");
        }
    }

    static double[] row(int k, long seed, double scale) {
        return TestArrays.uniform(seed, -scale, scale, k).toDoubleVector();
    }

    @ParameterizedTest
    @MethodSource("sizes0")
    void crossEntropyAndSmoothingHessians(int k) {
        double[] z = row(k, k, 2);
        double[] v = row(k, 100 + k, 1);
        for (double tau : new double[] {1.0, 0.5, 3.0}) {
            Options sum = Options.DEFAULT.withReduction(Reduction.SUM).withTemperature(tau);
            double[][] analytic = SoftmaxCrossEntropy.hessian(z, tau);
            assertMatrixClose(numericHessian(t -> Losses.crossEntropy(t, new int[] {k - 1}, sum), z), analytic, 1e-7,
                    "CE tau=" + tau);
            assertMatrixClose(numericHessian(t -> Losses.labelSmoothing(t, new int[] {0}, 0.2,
                    LabelSmoothing.Mode.UNIFORM, sum), z), LabelSmoothing.hessian(z, tau), 1e-7, "LS tau=" + tau);
            assertHvpMatches(analytic, SoftmaxCrossEntropy.hessianVectorProduct(z, tau, v), v, "CE");
            assertHvpMatches(analytic, LabelSmoothing.hessianVectorProduct(z, tau, v), v, "LS");
        }
    }

    @ParameterizedTest
    @MethodSource("sizes1")
    void distillationHessianDoesNotDependOnTheTemperatureFactor(int k) {
        double[] s = row(k, 7 * k, 2);
        INDArray teacher = Nd4j.createFromArray(new double[][] {row(k, 9 * k, 2)});
        double[] v = row(k, 11 * k, 1);
        for (double t : new double[] {1.0, 2.0, 5.0}) {
            for (double alpha : new double[] {1.0, 0.4}) {
                double[][] analytic = KLDistill.hessian(s, t, alpha);
                assertMatrixClose(numericHessian(x -> Losses.distill(x, teacher, t, new int[] {0}, alpha), s), analytic,
                        1e-7, "KD T=" + t + " alpha=" + alpha);
                assertHvpMatches(analytic, KLDistill.hessianVectorProduct(s, t, alpha, v), v, "KD");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sizes2")
    void logitL2AndZLossHessians(int k) {
        double[] z = row(k, 13 * k, 2);
        double[] v = row(k, 17 * k, 1);
        assertMatrixClose(numericHessian(t -> Losses.logitL2(t, 0.6), z), LogitL2.hessian(k, 0.6), 1e-8, "LogitL2");
        assertHvpMatches(LogitL2.hessian(k, 0.6), LogitL2.hessianVectorProduct(0.6, v), v, "LogitL2");
        double[][] zh = ZLoss.hessian(z, 0.3);
        assertMatrixClose(numericHessian(t -> Losses.zLoss(t, 0.3), z), zh, 1e-7, "zLoss");
        assertHvpMatches(zh, ZLoss.hessianVectorProduct(z, 0.3, v), v, "zLoss");
    }

    @ParameterizedTest
    @MethodSource("sizes3")
    void crossEntropyHessianIsPositiveSemiDefiniteWithOnesInItsNullSpace(int k) {
        double[] z = row(k, 19 * k, 3);
        double[][] h = SoftmaxCrossEntropy.hessian(z, 1.0);
        INDArray m = Nd4j.createFromArray(h);
        INDArray vectors = m.dup();
        INDArray eig = Eigen.symmetricGeneralizedEigenvalues(vectors, true); // LAPACK syev: a real decomposition
        double[] lambda = eig.toDoubleVector();
        java.util.Arrays.sort(lambda);
        assertEquals(0.0, lambda[0], 1e-14, "the smallest eigenvalue is 0");
        assertTrue(lambda[1] > 1e-6, "only one zero eigenvalue for distinct logits: " + java.util.Arrays.toString(lambda));
        for (double l : lambda) {
            assertTrue(l >= -1e-14, "negative eigenvalue " + l);
        }
        double[] ones = new double[k];
        java.util.Arrays.fill(ones, 1.0);
        for (double x : SoftmaxCrossEntropy.hessianVectorProduct(z, 1.0, ones)) {
            assertEquals(0.0, x, 1e-15, "H 1 = 0: shifting every logit changes nothing");
        }
        // the eigenvector of the zero eigenvalue is along the all-ones vector
        // syev with vectors = true overwrites its argument with the eigenvectors
        int zero = 0;
        double[] ev = eig.toDoubleVector();
        for (int i = 1; i < k; i++) {
            if (Math.abs(ev[i]) < Math.abs(ev[zero])) {
                zero = i;
            }
        }
        INDArray u = vectors.getColumn(zero); // LAPACK order: eigenvectors in the columns
        for (int i = 1; i < k; i++) {
            assertEquals(Math.abs(u.getDouble(0)), Math.abs(u.getDouble(i)), 1e-10);
            assertEquals(Math.signum(u.getDouble(0)), Math.signum(u.getDouble(i)), 0.0);
        }
        assertEquals(DataType.DOUBLE, m.dataType());
    }

    static java.util.stream.IntStream sizes0() {
        return java.util.stream.IntStream.of(2, 3, 7);
    }

    static java.util.stream.IntStream sizes1() {
        return java.util.stream.IntStream.of(2, 4, 6);
    }

    static java.util.stream.IntStream sizes2() {
        return java.util.stream.IntStream.of(1, 3, 5);
    }

    static java.util.stream.IntStream sizes3() {
        return java.util.stream.IntStream.of(2, 3, 5, 10);
    }
}
