package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.SoftmaxCrossEntropy.Options;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded fuzzing in bounded time (a fixed number of cases of at most 40k elements): N and K up to
 * 5000, logits up to +-3e38 (with rows spanning many magnitudes), tau from 1e-3 to 1e3, -inf
 * entries, float32 and float64. Wherever the exact value is finite in the output type (judged from
 * a bound on it, with a 10x margin), the loss and its gradient must be finite.
 */
class LossFuzzTest {

    static final int CASES = 80;

    /** A value of random magnitude up to 3e38: uniform in log scale, either sign, sometimes 0. */
    static double magnitude(SplittableRandom r) {
        if (r.nextInt(10) == 0) {
            return 0.0;
        }
        double v = Math.pow(10, r.nextDouble(-3, 38.47));
        return r.nextBoolean() ? v : -v;
    }

    static void assertFinite(INDArray a, String what) {
        double[] d = a.data().asDouble();
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                throw new AssertionError(what + ": element " + i + " = " + d[i]);
            }
        }
    }

    @Test
    void noNonFiniteOutputWhereTheExactLossIsFinite() {
        SplittableRandom r = new SplittableRandom(2026);
        int checked = 0;
        for (int c = 0; c < CASES; c++) {
            int k = r.nextInt(3) == 0 ? 1 + r.nextInt(5000) : 1 + r.nextInt(40);
            int n = 1 + r.nextInt(Math.max(1, Math.min(5000, 40_000 / k)));
            DataType type = r.nextBoolean() ? DataType.FLOAT : DataType.DOUBLE;
            double limit = (type == DataType.FLOAT ? Float.MAX_VALUE : Double.MAX_VALUE) / 10;
            double tau = Math.pow(10, r.nextDouble(-3, 3));
            double spread = Math.pow(10, r.nextDouble(-2, 38.4)); // how far apart a row's logits are
            double[][] z = new double[n][k];
            int[] y = new int[n];
            double range = 0; // the largest max - min over finite entries of a row: bounds every |log p|
            double maxAbs = 0; // the largest |max z| of a row: bounds |lse| * tau
            for (int i = 0; i < n; i++) {
                double centre = r.nextInt(4) == 0 ? magnitude(r) / 2 : 0.0;
                double max = Double.NEGATIVE_INFINITY;
                double min = Double.POSITIVE_INFINITY;
                y[i] = r.nextInt(k);
                for (int j = 0; j < k; j++) {
                    boolean masked = j != y[i] && r.nextInt(8) == 0;
                    double v = masked ? Double.NEGATIVE_INFINITY
                            : Math.max(-3e38, Math.min(3e38, centre + spread * r.nextDouble(-1, 1)));
                    if (type == DataType.FLOAT && !masked) {
                        v = (float) v;
                    }
                    z[i][j] = v;
                    if (!masked) {
                        max = Math.max(max, v);
                        min = Math.min(min, v);
                    }
                }
                range = Math.max(range, max - min);
                maxAbs = Math.max(maxAbs, Math.abs(max));
            }
            String where = "case " + c + ": " + type + " [" + n + ", " + k + "] tau=" + tau + " spread=" + spread;
            double lossBound = range / tau + Math.log(k) + 1; // any CE-type loss, per row
            INDArray zArr = Tensor.fromRows(z, type).value();
            if (lossBound < limit) {
                checked++;
                Options o = Options.DEFAULT.withTemperature(tau);
                run(where + " crossEntropy", zArr, t -> Losses.crossEntropy(t, y, o));
                run(where + " smoothing", zArr, t -> Losses.labelSmoothing(t, y, 0.1, LabelSmoothing.Mode.UNIFORM_UNMASKED, o));
                // log p is -inf exactly where z is: check the finite entries, then the gradient
                Tensor t = Tensor.parameter(zArr.dup());
                Tensor logP = Losses.logSoftmax(t, tau);
                double[] lp = logP.value().data().asDouble();
                for (int e = 0; e < lp.length; e++) {
                    boolean masked = z[e / k][e % k] == Double.NEGATIVE_INFINITY;
                    assertTrue(masked ? lp[e] == Double.NEGATIVE_INFINITY : Double.isFinite(lp[e]),
                            where + " logSoftmax element " + e + " = " + lp[e]);
                }
                logP.backward(Nd4j.ones(type, n, k));
                assertFinite(t.grad(), where + " logSoftmax gradient");
            }
            if (maxAbs / tau + Math.log(k) + 1 < limit) {
                run(where + " logSumExp", zArr, t -> Losses.logSumExp(t, tau).sum());
            }
            // distillation: the teacher masks what the student masks; its KL is at most T^2 (range / T + log K) * 2
            double temp = tau;
            if (temp * temp * 2 * lossBound < limit) {
                INDArray teacher = Tensor.fromRows(shuffleFinite(z, r), type).value();
                run(where + " distill", zArr, t -> Losses.distill(t, teacher, temp, y, 0.5));
            }
            run(where + " softmax", zArr, t -> Losses.softmax(t, tau).sum());
        }
        assertTrue(checked > CASES / 4, "enough cases had a finite exact loss to check: " + checked);
    }

    /** The row's finite values in another order, -inf where z is -inf. */
    static double[][] shuffleFinite(double[][] z, SplittableRandom r) {
        double[][] t = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            t[i] = z[i].clone();
            for (int j = t[i].length - 1; j > 0; j--) {
                int o = r.nextInt(j + 1);
                if (t[i][j] != Double.NEGATIVE_INFINITY && t[i][o] != Double.NEGATIVE_INFINITY) {
                    double v = t[i][j];
                    t[i][j] = t[i][o];
                    t[i][o] = v;
                }
            }
        }
        return t;
    }

    static void run(String what, INDArray z, java.util.function.Function<Tensor, Tensor> f) {
        Tensor t = Tensor.parameter(z.dup());
        Tensor loss = f.apply(t);
        assertFinite(loss.value(), what + " loss");
        loss.backward(Nd4j.ones(loss.dataType(), loss.shape()));
        assertFinite(t.grad(), what + " gradient");
    }
}
