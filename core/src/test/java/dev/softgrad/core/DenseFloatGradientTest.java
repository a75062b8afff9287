package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.SoftmaxCrossEntropy.Options;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The float32 path's gradient against a dense target (label smoothing, probability rows,
 * distillation) is computed in float: g_j = fma(e_j, r C h, -(q_j cwh_j)) for cross-entropy and
 * fma(e^pT_j, a, fma(e^p_j, b, -(e^q_j c))) for distillation, each factor rounded to float. Its
 * error against the same loss in float64 (on the same, float-representable logits) is bounded in
 * float ulps of the largest term that enters element j (p_j C h or c_j h; a pT_j, a q_j or b p_j):
 * a few ulps, where a wrong factor, sign or term would be off by about 2^23 of them. The loss keeps
 * its float32 accuracy.
 */
class DenseFloatGradientTest {

    /** Per-element term magnitude of the gradient, from the float64 softmax rows. */
    interface Terms {
        double at(int i, int j);
    }

    static double[][] softmax(INDArray z, double tau) {
        INDArray p = Losses.softmax(Tensor.constant(z.castTo(DataType.DOUBLE)), tau).value();
        return p.toDoubleMatrix();
    }

    /**
     * The largest |g32 - g64| over the elements, in float ulps of the element's largest term, and
     * asserts the loss's relative error; returns the ulps.
     */
    static double worstUlps(String what, INDArray z32, Function<Tensor, Tensor> loss, Terms terms, double lossRel) {
        Tensor t32 = Tensor.parameter(z32.dup());
        Tensor l32 = loss.apply(t32);
        l32.backward();
        Tensor t64 = Tensor.parameter(z32.castTo(DataType.DOUBLE));
        Tensor l64 = loss.apply(t64);
        l64.backward();
        double v32 = l32.value().getDouble(0);
        double v64 = l64.value().getDouble(0);
        assertTrue(Math.abs(v32 - v64) <= lossRel * Math.abs(v64), what + ": loss " + v32 + " against " + v64);
        double[][] g32 = t32.grad().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] g64 = t64.grad().toDoubleMatrix();
        double worst = 0.0;
        for (int i = 0; i < g64.length; i++) {
            for (int j = 0; j < g64[i].length; j++) {
                double term = terms.at(i, j);
                double err = Math.abs(g32[i][j] - g64[i][j]);
                if (term == 0.0) {
                    assertTrue(g32[i][j] == 0.0, what + ": element (" + i + ", " + j + ") has no term but is " + g32[i][j]);
                    continue;
                }
                worst = Math.max(worst, err / Math.ulp((float) term));
            }
        }
        return worst;
    }

    @Test
    void smoothingAndProbabilityTargetsGradientsAreWithinFourUlpsOfTheirTerms() {
        for (int k : new int[] {10, 1000}) { // the scalar float loop and the vector kernel
            int n = 24;
            INDArray z = TestArrays.uniform(5L + k, -8, 8, DataType.FLOAT, n, k);
            z.putScalar(0, 1, 60.0); // a confident row: p near one-hot, g_j = p_j h - c_j h cancels
            int[] y = LossesGradCheckTest.labels(n, k, 11L + k);
            y[0] = 1;
            for (double tau : new double[] {1.0, 2.0}) {
                double[][] p = softmax(z, tau);
                double eps = 0.1;
                double h = 1.0 / (n * tau);
                Terms smoothing = (i, j) -> {
                    double c = eps / k + (j == y[i] ? 1 - eps : 0.0);
                    return Math.max(p[i][j] * h, c * h); // C = 1
                };
                double ulps = worstUlps("smoothing K=" + k + " tau=" + tau, z,
                        t -> Losses.labelSmoothing(t, y, eps, LabelSmoothing.Mode.UNIFORM, Options.DEFAULT.withTemperature(tau)),
                        smoothing, 1e-6);
                assertTrue(ulps <= 4, "smoothing K=" + k + " tau=" + tau + ": " + ulps + " ulps");

                INDArray q = LossesGradCheckTest.distributions(n, k, 3L + k).castTo(DataType.FLOAT);
                double[][] qd = q.castTo(DataType.DOUBLE).toDoubleMatrix();
                double[] w = SimdKernelTest.weights(k);
                for (double[] weights : new double[][] {null, w}) {
                    Terms prob = (i, j) -> {
                        double mass = 0.0;
                        for (int l = 0; l < k; l++) {
                            mass += qd[i][l] * (weights == null ? 1.0 : weights[l]);
                        }
                        double c = qd[i][j] * (weights == null ? 1.0 : weights[j]);
                        return Math.max(p[i][j] * mass * h, c * h);
                    };
                    String what = "probability targets K=" + k + " tau=" + tau + (weights == null ? "" : " weighted");
                    double pu = worstUlps(what, z, t -> Losses.crossEntropy(t, q.castTo(t.dataType()),
                            Options.DEFAULT.withTemperature(tau).withClassWeights(weights)), prob, 1e-6);
                    assertTrue(pu <= 4, what + ": " + pu + " ulps");
                }
            }
        }
    }

    @Test
    void maskedVocabularySmoothingGradientIsWithinFourUlpsAndZeroOnMaskedClasses() {
        int n = 8;
        int k = 100;
        INDArray z = TestArrays.uniform(21, -6, 6, DataType.FLOAT, n, k);
        for (int i = 0; i < n; i++) {
            for (int j = 3 * i; j < k; j += 7) {
                z.putScalar(i, j, Float.NEGATIVE_INFINITY);
            }
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = 3 * i + 1; // never masked
        }
        double eps = 0.2;
        double h = 1.0 / n;
        double[][] p = softmax(z, 1.0);
        double[][] zd = z.castTo(DataType.DOUBLE).toDoubleMatrix();
        Terms terms = (i, j) -> {
            int unmasked = 0;
            for (double v : zd[i]) {
                unmasked += v == Double.NEGATIVE_INFINITY ? 0 : 1;
            }
            double c = zd[i][j] == Double.NEGATIVE_INFINITY ? 0.0 : eps / unmasked + (j == y[i] ? 1 - eps : 0.0);
            return Math.max(p[i][j] * h, c * h);
        };
        double ulps = worstUlps("UNIFORM_UNMASKED", z,
                t -> Losses.labelSmoothing(t, y, eps, LabelSmoothing.Mode.UNIFORM_UNMASKED, Options.DEFAULT), terms, 1e-6);
        assertTrue(ulps <= 4, "UNIFORM_UNMASKED: " + ulps + " ulps");
    }

    @Test
    void distillationGradientIsWithinSixUlpsOfItsTerms() {
        for (int k : new int[] {10, 1000}) {
            int n = 24;
            INDArray s = TestArrays.uniform(7L + k, -8, 8, DataType.FLOAT, n, k);
            INDArray teacher = TestArrays.uniform(9L + k, -8, 8, DataType.FLOAT, n, k);
            teacher.putScalar(1, 2, Float.NEGATIVE_INFINITY); // a class the teacher rules out: 0 log 0
            s.putRow(2, teacher.getRow(2)); // student = teacher: KL 0, the soft gradient cancels
            int[] y = LossesGradCheckTest.labels(n, k, 13L + k);
            y[3] = KLDistill.IGNORE;
            for (double temperature : new double[] {1.0, 4.0}) {
                for (int[] labels : new int[][] {y, null}) { // with a hard term (one row ignored), and without
                    double alpha = labels == null ? 1.0 : 0.5;
                    double[][] q = softmax(teacher, temperature);
                    double[][] pT = softmax(s, temperature);
                    double[][] p = softmax(s, 1.0);
                    double a = alpha / n * temperature;
                    double b = (1 - alpha) / (n - 1); // one row ignored
                    Terms terms = (i, j) -> Math.max(a * Math.max(pT[i][j], q[i][j]),
                            labels == null || y[i] == KLDistill.IGNORE ? 0.0 : b * Math.max(p[i][j], j == y[i] ? 1.0 : 0.0));
                    String what = "distill K=" + k + " T=" + temperature + " alpha=" + alpha;
                    double ulps = worstUlps(what, s,
                            t -> Losses.distill(t, teacher.castTo(t.dataType()), temperature, labels, alpha), terms, 1e-6);
                    assertTrue(ulps <= 6, what + ": " + ulps + " ulps");
                }
            }
        }
    }
}
