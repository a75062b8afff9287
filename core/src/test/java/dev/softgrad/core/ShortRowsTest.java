package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.softgrad.core.SoftmaxCrossEntropy.Options;
import dev.softgrad.core.SoftmaxCrossEntropy.Reduction;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The short-row cross-entropy kernel (K < 16, vectorised across rows): the same bits with the
 * Vector API kernels and with their scalar definition, on any worker count; the row path's
 * gradient and loss bits; the row path's errors with the same messages;
 * and its log1p within an ulp.
 */
class ShortRowsTest {

    private final boolean simdBefore = SoftmaxRow.simd;

    @AfterEach
    void restore() {
        SoftmaxRow.simd = simdBefore;
        ShortRows.enabled = true;
    }

    /**
     * Fuzzed logits: mostly N(0, scale^2), some rows with ties, -inf (masked) classes, a logit far below
     * the others, signed zeros, or huge values.
     */
    static INDArray logits(Random rnd, int n, int k, DataType type) {
        double[] v = new double[n * k];
        double scale = 0.1 + rnd.nextDouble() * 20;
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(8);
            double shift = kind == 5 ? 3e4 * (rnd.nextDouble() - 0.5) : kind == 6 ? 1e30 * (rnd.nextDouble() - 0.5) : 0;
            for (int j = 0; j < k; j++) {
                double x = shift + scale * rnd.nextGaussian();
                if (kind == 3) {
                    x = Math.round(x); // ties
                }
                v[i * k + j] = x;
            }
            if (kind == 2) { // far below the rest: clamped to the floor in the row path, 0 either way
                v[i * k + rnd.nextInt(k)] = -Math.scalb(1.0 + rnd.nextDouble(), 5 + rnd.nextInt(15));
            }
            if (kind == 4 && k > 1) {
                v[i * k + rnd.nextInt(k)] = Double.NEGATIVE_INFINITY;
            }
            if (kind == 7) {
                v[i * k + rnd.nextInt(k)] = rnd.nextBoolean() ? 0.0 : -0.0;
            }
        }
        return Nd4j.createFromArray(v).reshape(n, k).castTo(type);
    }

    /** Labels in [0, K), some rows ignored (-100), none on a -inf logit. */
    static int[] labels(Random rnd, INDArray z) {
        int n = (int) z.rows();
        int k = (int) z.columns();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            do {
                y[i] = rnd.nextInt(k);
            } while (z.getDouble(i, y[i]) == Double.NEGATIVE_INFINITY);
            if (rnd.nextInt(7) == 0) {
                y[i] = -100;
            }
        }
        return y;
    }

    /** Loss value(s) and gradient as raw bits, through {@link SimdKernelTest#bits}. */
    static long[] run(INDArray z, Function<Tensor, Tensor> f, boolean simd, boolean shortRows) {
        ShortRows.enabled = shortRows;
        return SimdKernelTest.bits(z, f, simd);
    }

    static Options options(Random rnd, int k, DataType type) {
        // float32 at 0.3 or 0.05 (not floats) takes the double path, as in the row kernel
        double[] taus = type == DataType.FLOAT ? new double[] {1, 0.5, 2, 4, 20, 0.3} : new double[] {1, 0.5, 0.05, 0.3, 20};
        Options o = Options.DEFAULT.withTemperature(taus[rnd.nextInt(taus.length)])
                .withReduction(Reduction.values()[rnd.nextInt(3)]);
        if (rnd.nextBoolean()) {
            double[] w = new double[k];
            for (int j = 0; j < k; j++) {
                w[j] = rnd.nextInt(5) == 0 ? 0.0 : rnd.nextDouble() * 3;
            }
            o = o.withClassWeights(w);
        }
        return o;
    }

    @Test
    void vectorAndScalarKernelsGiveTheSameBitsAndTheRowPathsGradient() {
        Random rnd = new Random(10);
        int[] ks = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}; // every K the kernel takes: its index maps depend on K
        int[] ns = {1, 15, 16, 17, 33, 100};
        int cases = 0;
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int k : ks) {
                for (int n : ns) {
                    INDArray z = logits(rnd, n, k, type);
                    int[] y = labels(rnd, z);
                    Options o = options(rnd, k, type);
                    Function<Tensor, Tensor> f = t -> Losses.crossEntropy(t, y, o);
                    String what = type + " " + n + "x" + k + " " + o;
                    long[] scalar = run(z, f, false, true);
                    long[] simd = run(z, f, true, true);
                    assertArrayEquals(scalar, simd, what);
                    long[] rowPath = run(z, f, true, false);
                    int losses = o.reduction() == Reduction.NONE ? n : 1;
                    for (int x = losses; x < rowPath.length; x++) {
                        if (rowPath[x] != simd[x]) {
                            fail(what + ": gradient element " + (x - losses) + " differs from the row path: "
                                    + Double.longBitsToDouble(simd[x]) + " vs " + Double.longBitsToDouble(rowPath[x]));
                        }
                    }
                    for (int x = 0; x < losses; x++) { // one log1p (SoftmaxRow.log1p) on both paths: the same loss bits
                        assertEquals(rowPath[x], simd[x], what + ": loss " + Double.longBitsToDouble(simd[x])
                                + " vs the row path's " + Double.longBitsToDouble(rowPath[x]));
                    }
                    cases++;
                }
            }
        }
        assertEquals(2 * ks.length * ns.length, cases);
    }

    @Test
    void sameBitsOnOneTwoAndEightWorkers() {
        Random rnd = new Random(11);
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            int n = 3 * Rows.chunkRows(10) + 21; // four chunks, the last one ragged
            INDArray z = logits(rnd, n, 10, type);
            int[] y = labels(rnd, z);
            Function<Tensor, Tensor> f = t -> Losses.crossEntropy(t, y);
            long[][] got = new long[3][];
            int[] workers = {1, 2, 8};
            for (int w = 0; w < 3; w++) {
                int slot = w;
                Parallel.withWorkers(workers[w], () -> got[slot] = run(z, f, true, true));
            }
            assertArrayEquals(got[0], got[1], type + ": 1 vs 2 workers");
            assertArrayEquals(got[0], got[2], type + ": 1 vs 8 workers");
            assertArrayEquals(got[0], run(z, f, false, true), type + ": vector vs scalar");
        }
    }

    @Test
    void refusesWhatTheRowPathRefusesWithTheSameMessage() {
        Random rnd = new Random(12);
        double[] bad = {Double.NaN, Double.POSITIVE_INFINITY};
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int n : new int[] {5, 16, 40}) {
                for (double b : bad) {
                    for (boolean ignoredRow : new boolean[] {false, true}) {
                        INDArray z = logits(rnd, n, 10, type);
                        int[] y = labels(rnd, z);
                        int row = n - 3;
                        z.putScalar(row, 4, b);
                        z.putScalar(row, 7, b);
                        if (ignoredRow) {
                            y[row] = -100;
                        }
                        assertSameFailure(z, t -> Losses.crossEntropy(t, y), type + " " + n + " " + b,
                                "logits[" + row + ", 4] = " + (b != b ? "NaN" : "Infinity"));
                    }
                }
                // a row of -inf only; a label on a -inf class
                INDArray z = logits(rnd, n, 10, type);
                int[] y = labels(rnd, z);
                for (int j = 0; j < 10; j++) {
                    z.putScalar(n - 2, j, Double.NEGATIVE_INFINITY);
                }
                y[n - 2] = 3;
                assertSameFailure(z, t -> Losses.crossEntropy(t, y), type + " all -inf", "every logit of row " + (n - 2));
                y[n - 2] = -100; // ignored: fine; its gradient row is 0
                assertSameBitsAllPaths(z, t -> Losses.crossEntropy(t, y), type + " all -inf ignored");
                z.putScalar(1, 6, Double.NEGATIVE_INFINITY);
                y[1] = 6;
                assertSameFailure(z, t -> Losses.crossEntropy(t, y), type + " masked target", "logits[1, 6] = -inf is the target");
                // the same label with class weight 0 is no target: no error, as in the row path
                double[] w = new double[10];
                java.util.Arrays.fill(w, 1.0);
                w[6] = 0.0;
                assertSameBitsAllPaths(z, t -> Losses.crossEntropy(t, y, Options.DEFAULT.withClassWeights(w)),
                        type + " masked class of weight 0");
            }
        }
    }

    void assertSameFailure(INDArray z, Function<Tensor, Tensor> f, String what, String expected) {
        ShortRows.enabled = false;
        String rowPath = SimdKernelTest.failure(z, f, true);
        ShortRows.enabled = true;
        String scalar = SimdKernelTest.failure(z, f, false);
        String simd = SimdKernelTest.failure(z, f, true);
        assertEquals(rowPath, simd, what);
        assertEquals(rowPath, scalar, what);
        assertTrue(simd.contains(expected), what + ": " + simd);
    }

    void assertSameBitsAllPaths(INDArray z, Function<Tensor, Tensor> f, String what) {
        long[] simd = run(z, f, true, true);
        assertArrayEquals(run(z, f, false, true), simd, what);
        long[] rowPath = run(z, f, true, false);
        assertEquals(rowPath.length, simd.length);
        for (int x = 1; x < simd.length; x++) {
            assertEquals(rowPath[x], simd[x], what + ": gradient element " + (x - 1));
        }
        assertEquals(rowPath[0], simd[0], what + ": loss " + Double.longBitsToDouble(simd[0]) + " vs the row path's "
                + Double.longBitsToDouble(rowPath[0]));
    }

    /**
     * float32 logits beyond ~2^31 tau, where one float step at max z is wider than 120 tau: the
     * float path used to clamp every lower logit to max z itself (a row [-4.5e29, -4.6e29] had loss
     * ln 3 for label 0 instead of 0) or to feed its exponential a huge remainder (NaN at tau = 20).
     * Short rows and long rows (the row path) now agree with the same logits in float64.
     */
    @Test
    void hugeFloatLogitsGiveTheFloat64Loss() {
        Random rnd = new Random(15);
        for (int k : new int[] {2, 3, 10, 20}) {
            for (double tau : new double[] {1, 2, 20, 0.5}) {
                for (double mag : new double[] {3e9, 1e12, 1e20, 4.5e29, 3e38}) {
                    double[] v = new double[17 * k];
                    for (int x = 0; x < v.length; x++) {
                        v[x] = (float) (mag * (1 - 2 * rnd.nextDouble()) * (rnd.nextInt(3) == 0 ? 1 : 1e-7));
                    }
                    v[5] = v[6]; // a tie
                    INDArray z64 = Nd4j.createFromArray(v).reshape(17, k);
                    int[] y = labels(rnd, z64);
                    Options o = Options.DEFAULT.withTemperature(tau).withReduction(Reduction.NONE);
                    double[] exact = Losses.crossEntropy(Tensor.constant(z64), y, o).value().toDoubleVector();
                    for (boolean simd : new boolean[] {false, true}) {
                        SoftmaxRow.simd = simd;
                        double[] got = Losses.crossEntropy(Tensor.constant(z64.castTo(DataType.FLOAT)), y, o).value()
                                .toDoubleVector();
                        for (int i = 0; i < 17; i++) {
                            double tol = 2 * Math.ulp((float) exact[i]) + 1e-30;
                            assertTrue(Math.abs(got[i] - exact[i]) <= tol, "K=" + k + " tau=" + tau + " |z|~" + mag
                                    + " simd=" + simd + " row " + i + ": " + got[i] + " vs float64 " + exact[i]);
                        }
                    }
                }
            }
        }
    }

    /** A 10-class training run gives the same weights while its kernels go from interpreted to compiled. */
    @Test
    void trainingRunsAreBitIdenticalBeforeAndAfterJitCompilation() {
        SoftmaxRow.simd = true;
        float[] first = SimdKernelTest.train(40, 10);
        SoftmaxRow.simd = false;
        assertArrayEquals(first, SimdKernelTest.train(40, 10), "scalar run");
        SoftmaxRow.simd = true;
        for (int run = 0; run < 40; run++) {
            assertArrayEquals(first, SimdKernelTest.train(40, 10), "run " + run + " differs from the first");
        }
    }

    @Test
    void oneClassGivesZeroLossAndGradient() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray z = logits(new Random(13), 40, 1, type);
            int[] y = new int[40];
            Tensor t = Tensor.parameter(z);
            Tensor l = Losses.crossEntropy(t, y);
            l.backward();
            assertEquals(0.0, l.item(), type.toString());
            assertEquals(0.0, t.grad().amaxNumber().doubleValue(), type.toString());
        }
    }

    /** log1p against a 60-digit reference: within 1 ulp on [0, 16), on sums of long rows (up to 2^40) and on tiny arguments. */
    @Test
    void log1pIsWithinOneUlp() {
        Random rnd = new Random(14);
        MathContext mc = new MathContext(60);
        for (int c = 0; c < 4800; c++) {
            double s = switch (c % 6) {
                case 0 -> rnd.nextDouble() * 16;
                case 5 -> Math.scalb(1 + rnd.nextDouble(), rnd.nextInt(40));
                case 1 -> rnd.nextDouble();
                case 2 -> Math.scalb(rnd.nextDouble(), -rnd.nextInt(1080));
                case 3 -> Math.nextUp(Math.scalb(1.0, rnd.nextInt(5))) * (rnd.nextBoolean() ? 1 : Math.sqrt(0.5));
                default -> rnd.nextDouble() * 1e-8;
            };
            double got = SoftmaxRow.log1p(s);
            double ref = log1pReference(new BigDecimal(s), mc);
            assertTrue(Math.abs(got - ref) <= Math.ulp(ref), "log1p(" + s + ") = " + got + ", expected " + ref);
        }
        assertEquals(0.0, SoftmaxRow.log1p(0.0));
        assertEquals(1e-39, SoftmaxRow.log1p(1e-39));
        assertEquals(Double.MIN_VALUE, SoftmaxRow.log1p(Double.MIN_VALUE));
    }

    /** log(1 + s) to mc's precision: log 2 times the exponent, plus the atanh series of the mantissa. */
    static double log1pReference(BigDecimal s, MathContext mc) {
        BigDecimal x = BigDecimal.ONE.add(s);
        int e = 0;
        BigDecimal two = BigDecimal.valueOf(2);
        while (x.compareTo(BigDecimal.valueOf(1.5)) > 0) {
            x = x.divide(two, mc);
            e++;
        }
        // log x = 2 atanh((x - 1) / (x + 1))
        BigDecimal q = x.subtract(BigDecimal.ONE).divide(x.add(BigDecimal.ONE), mc);
        BigDecimal q2 = q.multiply(q, mc);
        BigDecimal term = q;
        BigDecimal sum = BigDecimal.ZERO;
        for (int n = 1; n < 400; n += 2) {
            sum = sum.add(term.divide(BigDecimal.valueOf(n), mc), mc);
            term = term.multiply(q2, mc);
            if (term.abs().compareTo(new BigDecimal("1e-70")) < 0) {
                break;
            }
        }
        BigDecimal ln2 = new BigDecimal("0.693147180559945309417232121458176568075500134360255254120680009493393621969694715605863326996418687");
        return sum.multiply(two, mc).add(ln2.multiply(BigDecimal.valueOf(e), mc), mc).doubleValue();
    }
}
