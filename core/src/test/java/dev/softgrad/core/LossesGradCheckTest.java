package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.SoftmaxCrossEntropy.Options;
import dev.softgrad.core.SoftmaxCrossEntropy.Reduction;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every node of the softmax family against float64 central differences: one line per node and setting. */
class LossesGradCheckTest {

    record Case(String name, int n, int k, Function<Tensor[], Tensor> f) {
        @Override
        public String toString() {
            return name + " N=" + n + " K=" + k;
        }
    }

    static int[] labels(int n, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(k);
        }
        return y;
    }

    /** Random probability rows with some exact zeros. */
    static INDArray distributions(int n, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] q = new double[n][k];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                q[i][j] = (k > 2 && r.nextInt(4) == 0) ? 0.0 : r.nextDouble(0.1, 1);
                s += q[i][j];
            }
            if (s == 0) {
                q[i][0] = s = 1;
            }
            for (int j = 0; j < k; j++) {
                q[i][j] /= s;
            }
        }
        return Tensor.fromRows(q, DataType.DOUBLE).value();
    }

    static double[] weights(int k) {
        double[] w = new double[k];
        for (int j = 0; j < k; j++) {
            w[j] = 0.5 + 0.25 * j;
        }
        return w;
    }

    static boolean[][] mask(int n, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean[][] m = new boolean[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                m[i][j] = r.nextInt(3) != 0;
            }
            m[i][r.nextInt(k)] = true;
        }
        if (n > 1) {
            java.util.Arrays.fill(m[n - 1], false); // a fully masked row: zeros, zero gradient
        }
        return m;
    }

    /** 0, or -inf on the class after row 0's label (a masked vocabulary entry; other rows unmasked). */
    static Tensor maskOneClass(int n, int k, int[] y) {
        double[][] m = new double[n][k];
        m[0][(y[0] + 1) % k] = Double.NEGATIVE_INFINITY;
        return Tensor.constant(Tensor.fromRows(m, DataType.DOUBLE).value());
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // {20, 10}: one sixteen-row block of the short-row kernel and four rows after it; {3, 19}: the row kernel's
        // vector loops (rows of eight doubles and a tail)
        int[][] sizes = {{1, 2}, {4, 3}, {3, 7}, {2, 2}, {20, 10}, {3, 19}};
        for (int[] nk : sizes) {
            int n = nk[0];
            int k = nk[1];
            int[] y = labels(n, k, 31L * n + k);
            int[] yIgnored = y.clone();
            yIgnored[0] = -100;
            INDArray q = distributions(n, k, 7L * n + k);
            INDArray teacher = TestArrays.uniform(99 + n, -3, 3, n, k);
            Options def = Options.DEFAULT;
            c.add(new Case("CE mean", n, k, t -> Losses.crossEntropy(t[0], y)));
            c.add(new Case("CE sum", n, k, t -> Losses.crossEntropy(t[0], y, def.withReduction(Reduction.SUM))));
            c.add(new Case("CE none", n, k, t -> Losses.crossEntropy(t[0], y, def.withReduction(Reduction.NONE))));
            c.add(new Case("CE weighted", n, k, t -> Losses.crossEntropy(t[0], y, def.withClassWeights(weights(k)))));
            c.add(new Case("CE ignore", n, k, t -> Losses.crossEntropy(t[0], yIgnored, def.withClassWeights(weights(k)))));
            c.add(new Case("CE tau=0.5", n, k, t -> Losses.crossEntropy(t[0], y, def.withTemperature(0.5))));
            c.add(new Case("CE tau=3 none", n, k, t -> Losses.crossEntropy(t[0], y,
                    def.withTemperature(3).withReduction(Reduction.NONE))));
            c.add(new Case("CE probs", n, k, t -> Losses.crossEntropy(t[0], q, def)));
            c.add(new Case("CE probs weighted tau=2", n, k, t -> Losses.crossEntropy(t[0], q,
                    def.withClassWeights(weights(k)).withTemperature(2))));
            for (LabelSmoothing.Mode mode : LabelSmoothing.Mode.values()) {
                c.add(new Case("LS " + mode, n, k, t -> Losses.labelSmoothing(t[0], y, 0.1, mode, def)));
                c.add(new Case("LS " + mode + " weighted ignore sum", n, k, t -> Losses.labelSmoothing(t[0], yIgnored, 0.2,
                        mode, def.withClassWeights(weights(k)).withReduction(Reduction.SUM))));
            }
            Tensor masked = maskOneClass(n, k, y);
            c.add(new Case("LS UNIFORM_UNMASKED with a -inf class", n, k, t -> Losses.labelSmoothing(t[0].add(masked), y, 0.2,
                    LabelSmoothing.Mode.UNIFORM_UNMASKED, def)));
            for (double temp : new double[] {1, 2, 4}) {
                c.add(new Case("KD T=" + temp, n, k, t -> Losses.distill(t[0], teacher, temp)));
                c.add(new Case("KD T=" + temp + " alpha=0.3", n, k, t -> Losses.distill(t[0], teacher, temp, y, 0.3)));
            }
            c.add(new Case("logitL2", n, k, t -> Losses.logitL2(t[0], 0.7)));
            c.add(new Case("zLoss", n, k, t -> Losses.zLoss(t[0], 0.3)));
            c.add(new Case("CE + logitL2", n, k, t -> Losses.crossEntropy(t[0], y).add(Losses.logitL2(t[0], 0.1))));
            c.add(new Case("softmax", n, k, t -> Losses.softmax(t[0], 1.0)));
            c.add(new Case("softmax tau=0.3", n, k, t -> Losses.softmax(t[0], 0.3)));
            c.add(new Case("logSoftmax tau=2", n, k, t -> Losses.logSoftmax(t[0], 2.0)));
            c.add(new Case("logSumExp tau=0.7", n, k, t -> Losses.logSumExp(t[0], 0.7)));
            boolean[][] m = mask(n, k, 5L * n + k);
            c.add(new Case("maskedSoftmax", n, k, t -> Losses.maskedSoftmax(t[0], m, 1.0)));
            c.add(new Case("maskedSoftmax tau=2", n, k, t -> Losses.maskedSoftmax(t[0], m, 2.0)));
        }
        return c.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(Case c) {
        INDArray z = TestArrays.uniform(c.name().hashCode(), -3, 3, c.n(), c.k());
        GradCheck.Report r = GradCheck.check(c.f(), z);
        assertTrue(r.passed(), () -> c + ": " + r);
    }
}
