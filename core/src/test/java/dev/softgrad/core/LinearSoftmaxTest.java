package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Functional#linearCrossEntropyGrad} against the autograd path it replaces
 * ({@code Losses.crossEntropy(Functional.linear(x, w, b), y, options)} + backward): the same loss and
 * gradient bits on every shape the kernels split on (K below, at and above the short-row limit of
 * 16 and the skinny limit of 256; N below, at and above a sixteen-row block), float32 and float64,
 * with and without bias and options, on 1, 2 and 8 workers; a float64 central-difference check of its
 * gradient; the same exceptions for bad input.
 */
class LinearSoftmaxTest {
    static final int D = 24;
    static final int[] KS = {2, 3, 10, 15, 16, 17, 100, 300};
    static final int[] NS = {1, 5, 32, 128, 1797};

    /** The loss's bits, then the bits of dW, then those of db (if any). */
    record Bits(long loss, long[] dw, long[] db) {
    }

    static INDArray x(DataType t, int n, int d, long seed) {
        return TestArrays.uniform(seed, -2, 2, t, n, d);
    }

    static int[] labels(int n, int k, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(k);
        }
        return y;
    }

    static long[] bits(INDArray a) {
        Dense v = Dense.view(a); // exact: a float32 element widens to double without rounding
        long[] b = new long[v.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = Double.doubleToRawLongBits(v.get(i));
        }
        return b;
    }

    static Bits autograd(INDArray x, INDArray w0, INDArray b0, int[] y, SoftmaxCrossEntropy.Options o) {
        Tensor w = Tensor.parameter(w0.dup());
        Tensor b = b0 == null ? null : Tensor.parameter(b0.dup());
        Tensor loss = Losses.crossEntropy(Functional.linear(Tensor.constant(x), w, b), y, o);
        loss.backward();
        return new Bits(Double.doubleToRawLongBits(loss.item()), bits(w.grad()), b == null ? null : bits(b.grad()));
    }

    static Bits fused(INDArray x, INDArray w0, INDArray b0, int[] y, SoftmaxCrossEntropy.Options o) {
        Tensor w = Tensor.parameter(w0.dup());
        Tensor b = b0 == null ? null : Tensor.parameter(b0.dup());
        double loss = Functional.linearCrossEntropyGrad(Tensor.constant(x), w, b, y, o, null);
        return new Bits(Double.doubleToRawLongBits(loss), bits(w.grad()), b == null ? null : bits(b.grad()));
    }

    static void assertSame(Bits expected, Bits got, String what) {
        assertEquals(expected.loss, got.loss, what + ": loss " + Double.longBitsToDouble(expected.loss) + " vs "
                + Double.longBitsToDouble(got.loss));
        assertArrayEquals(expected.dw, got.dw, what + ": dW");
        if (expected.db == null) {
            assertEquals(null, got.db, what + ": db");
        } else {
            assertArrayEquals(expected.db, got.db, what + ": db");
        }
    }

    @Test
    void sameBitsAsAutogradOnEveryShapeTypeAndBias() {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int k : KS) {
                INDArray w = TestArrays.uniform(k, -0.5, 0.5, t, D, k);
                INDArray b = TestArrays.uniform(k + 1, -1, 1, t, k);
                for (int n : NS) {
                    INDArray x = x(t, n, D, n * 31L + k);
                    int[] y = labels(n, k, n + 7L * k);
                    for (boolean withBias : new boolean[] {true, false}) {
                        String what = t + " N=" + n + " K=" + k + (withBias ? " bias" : " no bias");
                        INDArray bias = withBias ? b : null;
                        assertSame(autograd(x, w, bias, y, SoftmaxCrossEntropy.Options.DEFAULT),
                                fused(x, w, bias, y, SoftmaxCrossEntropy.Options.DEFAULT), what);
                    }
                }
            }
        }
    }

    @Test
    void sameBitsWithClassWeightsIgnoreLabelTemperatureAndSum() {
        List<SoftmaxCrossEntropy.Options> options = new ArrayList<>();
        SoftmaxCrossEntropy.Options base = SoftmaxCrossEntropy.Options.DEFAULT;
        options.add(base.withIgnoreIndex(1));
        options.add(base.withTemperature(2.0)); // a float temperature: float32's float path
        options.add(base.withTemperature(0.7)); // not a float: the double path
        options.add(base.withReduction(SoftmaxCrossEntropy.Reduction.SUM));
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int k : new int[] {3, 10, 17, 100}) {
                double[] cw = new double[k];
                for (int j = 0; j < k; j++) {
                    cw[j] = 0.25 + j % 4;
                }
                List<SoftmaxCrossEntropy.Options> all = new ArrayList<>(options);
                all.add(base.withClassWeights(cw));
                all.add(base.withClassWeights(cw).withIgnoreIndex(0).withTemperature(1.5));
                all.add(base.withClassWeights(cw).withReduction(SoftmaxCrossEntropy.Reduction.SUM));
                INDArray w = TestArrays.uniform(k, -0.5, 0.5, t, D, k);
                INDArray b = TestArrays.uniform(k + 1, -1, 1, t, k);
                for (int n : new int[] {5, 128}) {
                    INDArray x = x(t, n, D, n + k);
                    int[] y = labels(n, k, 3L * n + k);
                    for (SoftmaxCrossEntropy.Options o : all) {
                        assertSame(autograd(x, w, b, y, o), fused(x, w, b, y, o), t + " N=" + n + " K=" + k + " " + o);
                    }
                }
            }
        }
        // every row ignored: loss 0, zero gradients, as the node gives them
        INDArray x = x(DataType.FLOAT, 4, D, 1);
        INDArray w = TestArrays.uniform(2, -0.5, 0.5, DataType.FLOAT, D, 10);
        Bits none = fused(x, w, null, new int[] {7, 7, 7, 7}, base.withIgnoreIndex(7));
        assertSame(autograd(x, w, null, new int[] {7, 7, 7, 7}, base.withIgnoreIndex(7)), none, "all ignored");
        assertEquals(0.0, Double.longBitsToDouble(none.loss));
    }

    @Test
    void sameBitsOnOneTwoAndEightWorkers() {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int k : new int[] {10, 100, 300}) {
                for (int n : new int[] {128, 1797}) {
                    INDArray x = x(t, n, 64, n + k);
                    INDArray w = TestArrays.uniform(k, -0.2, 0.2, t, 64, k);
                    INDArray b = TestArrays.uniform(k + 1, -1, 1, t, k);
                    int[] y = labels(n, k, k);
                    Bits[] expected = new Bits[1];
                    Parallel.withWorkers(1, () -> expected[0] = autograd(x, w, b, y, SoftmaxCrossEntropy.Options.DEFAULT));
                    for (int workers : new int[] {1, 2, 8}) {
                        Bits[] got = new Bits[1];
                        Parallel.withWorkers(workers, () -> got[0] = fused(x, w, b, y, SoftmaxCrossEntropy.Options.DEFAULT));
                        assertSame(expected[0], got[0], t + " N=" + n + " K=" + k + " on " + workers + " workers");
                    }
                }
            }
        }
    }

    @Test
    void gradientsAccumulateAsBackwardsDoAndZeroGradOverwrites() {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray x1 = x(t, 32, D, 1);
            INDArray x2 = x(t, 32, D, 2);
            int[] y1 = labels(32, 10, 1);
            int[] y2 = labels(32, 10, 2);
            INDArray w0 = TestArrays.uniform(3, -0.5, 0.5, t, D, 10);
            INDArray b0 = TestArrays.uniform(4, -1, 1, t, 10);
            // autograd: two backwards accumulate; then zeroGrad and a third overwrites
            Tensor wa = Tensor.parameter(w0.dup());
            Tensor ba = Tensor.parameter(b0.dup());
            Tensor wf = Tensor.parameter(w0.dup());
            Tensor bf = Tensor.parameter(b0.dup());
            INDArray[] firstGrad = new INDArray[1];
            try (Arena.Scope s = new Arena().open()) { // autograd exchanges buffers inside a scope: still the same values
                for (int step = 0; step < 3; step++) {
                    INDArray x = step == 1 ? x2 : x1;
                    int[] y = step == 1 ? y2 : y1;
                    if (step == 2) {
                        wa.zeroGrad();
                        ba.zeroGrad();
                        wf.zeroGrad();
                        bf.zeroGrad();
                    }
                    Losses.crossEntropy(Functional.linear(Tensor.constant(x), wa, ba), y).backward();
                    Functional.linearCrossEntropyGrad(Tensor.constant(x), wf, bf, y);
                    assertArrayEquals(bits(wa.grad()), bits(wf.grad()), t + " dW after step " + step);
                    assertArrayEquals(bits(ba.grad()), bits(bf.grad()), t + " db after step " + step);
                    if (step == 0) {
                        firstGrad[0] = wf.grad();
                    }
                    org.junit.jupiter.api.Assertions.assertSame(firstGrad[0], wf.grad(), "the fused call writes into the gradient's own buffer, no new array");
                }
            }
        }
    }

    @Test
    void onlyParametersGetGradientsAndLogitsAreWrittenWhenAsked() {
        INDArray x = x(DataType.DOUBLE, 5, D, 1);
        int[] y = labels(5, 3, 1);
        Tensor w = Tensor.parameter(TestArrays.uniform(1, -1, 1, DataType.DOUBLE, D, 3));
        Tensor b = Tensor.constant(TestArrays.uniform(2, -1, 1, DataType.DOUBLE, 3));
        INDArray z = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {5, 3}, 'c');
        double loss = Functional.linearCrossEntropyGrad(Tensor.constant(x), w, b, y, SoftmaxCrossEntropy.Options.DEFAULT, z);
        assertNotNull(w.grad());
        assertEquals(null, b.grad());
        Tensor zt = Functional.linear(Tensor.constant(x), Tensor.constant(w.value()), b);
        assertArrayEquals(bits(zt.value()), bits(z), "the logits written to the caller's array are x W + b");
        assertEquals(Losses.crossEntropy(zt, y).item(), loss);
    }

    /** Mean cross-entropy of x W + b by the fused call on constants-turned-parameters, for differences. */
    static double fusedLoss(INDArray x, INDArray w, INDArray b, int[] y, SoftmaxCrossEntropy.Options o) {
        return Functional.linearCrossEntropyGrad(Tensor.constant(x), Tensor.parameter(w), Tensor.parameter(b), y, o, null);
    }

    @Test
    void float64GradientMatchesCentralDifferences() {
        SoftmaxCrossEntropy.Options base = SoftmaxCrossEntropy.Options.DEFAULT;
        for (SoftmaxCrossEntropy.Options o : new SoftmaxCrossEntropy.Options[] {base,
                base.withClassWeights(0.5, 2, 1, 3, 0.25).withIgnoreIndex(2).withTemperature(0.7),
                base.withReduction(SoftmaxCrossEntropy.Reduction.SUM)}) {
            for (int n : new int[] {3, 20}) { // 20: a sixteen-row block of the short-row kernel plus scalar rows
                INDArray x = x(DataType.DOUBLE, n, 6, n);
                INDArray w = TestArrays.uniform(5, -1, 1, DataType.DOUBLE, 6, 5);
                INDArray b = TestArrays.uniform(6, -1, 1, DataType.DOUBLE, 5);
                int[] y = labels(n, 5, n);
                Tensor wt = Tensor.parameter(w.dup());
                Tensor bt = Tensor.parameter(b.dup());
                Functional.linearCrossEntropyGrad(Tensor.constant(x), wt, bt, y, o, null);
                INDArray[] at = {w, b};
                INDArray[] analytic = {wt.grad(), bt.grad()};
                for (int a = 0; a < 2; a++) {
                    for (int i = 0; i < at[a].length(); i++) {
                        double v = at[a].getDouble(i);
                        double h = GradCheck.STEP * Math.max(1, Math.abs(v));
                        at[a].putScalar(i, v + h);
                        double up = fusedLoss(x, w.dup(), b.dup(), y, o);
                        at[a].putScalar(i, v - h);
                        double down = fusedLoss(x, w.dup(), b.dup(), y, o);
                        at[a].putScalar(i, v);
                        double numeric = (up - down) / (2 * h);
                        double got = analytic[a].getDouble(i);
                        assertTrue(Math.abs(got - numeric) <= GradCheck.ATOL + GradCheck.RTOL * Math.abs(numeric),
                                o + " N=" + n + (a == 0 ? " dW[" : " db[") + i + "]: analytic " + got + ", numeric " + numeric);
                    }
                }
            }
        }
    }

    /** The exception of the autograd path and of the fused call: same class, same message. */
    static void assertSameError(Runnable autograd, Runnable fused, String what) {
        RuntimeException expected = assertThrows(RuntimeException.class, autograd::run, what + " (autograd)");
        RuntimeException got = assertThrows(RuntimeException.class, fused::run, what + " (fused)");
        assertEquals(expected.getClass(), got.getClass(), what + ": " + got.getMessage());
        assertEquals(expected.getMessage(), got.getMessage(), what);
    }

    static void assertSameErrorOnBothPaths(String what, INDArray x, INDArray w, INDArray b, int[] y, SoftmaxCrossEntropy.Options o) {
        assertSameError(() -> Losses.crossEntropy(Functional.linear(Tensor.constant(x), Tensor.parameter(w.dup()),
                b == null ? null : Tensor.parameter(b.dup())), y, o).backward(),
                () -> Functional.linearCrossEntropyGrad(Tensor.constant(x), Tensor.parameter(w.dup()),
                        b == null ? null : Tensor.parameter(b.dup()), y, o, null), what);
    }

    @Test
    void badInputGivesTheAutogradPathsExceptions() {
        SoftmaxCrossEntropy.Options o = SoftmaxCrossEntropy.Options.DEFAULT;
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray x = x(t, 20, D, 1);
            INDArray w = TestArrays.uniform(2, -0.5, 0.5, t, D, 10);
            INDArray b = TestArrays.uniform(3, -1, 1, t, 10);
            int[] y = labels(20, 10, 1);
            assertSameErrorOnBothPaths("x rank 1", TestArrays.uniform(1, -1, 1, t, D), w, b, y, o);
            assertSameErrorOnBothPaths("x and W do not chain", x(t, 20, D + 1, 1), w, b, y, o);
            assertSameErrorOnBothPaths("bias shape", x, w, TestArrays.uniform(3, -1, 1, t, 11), y, o);
            assertSameErrorOnBothPaths("bias type", x, w, TestArrays.uniform(3, -1, 1, t == DataType.FLOAT ? DataType.DOUBLE
                    : DataType.FLOAT, 10), y, o);
            assertSameErrorOnBothPaths("no classes", x, TestArrays.uniform(2, -1, 1, t, D, 0), null, y, o);
            assertSameErrorOnBothPaths("labels length", x, w, b, labels(19, 10, 1), o);
            assertSameErrorOnBothPaths("labels null", x, w, b, null, o);
            int[] out = y.clone();
            out[13] = 10;
            assertSameErrorOnBothPaths("label out of range", x, w, b, out, o);
            out[13] = -1;
            assertSameErrorOnBothPaths("negative label", x, w, b, out, o);
            assertSameErrorOnBothPaths("label out of range with an ignore label", x, w, b, out, o.withIgnoreIndex(4));
            assertSameErrorOnBothPaths("class weights length", x, w, b, y, o.withClassWeights(1, 2, 3));
            for (int row : new int[] {3, 17}) { // in a sixteen-row block and in the scalar tail
                INDArray nan = x.dup();
                nan.putScalar(new long[] {row, 5}, Double.NaN);
                assertSameErrorOnBothPaths("NaN in x row " + row, nan, w, b, y, o);
                INDArray inf = w.dup();
                inf.putScalar(new long[] {2, row % 10}, Double.POSITIVE_INFINITY);
                assertSameErrorOnBothPaths("infinite weight", x, inf, b, y, o);
            }
            INDArray wide = TestArrays.uniform(2, -0.5, 0.5, t, D, 40); // the row path
            INDArray nan = x.dup();
            nan.putScalar(new long[] {7, 0}, Double.NaN);
            assertSameErrorOnBothPaths("NaN in x, K = 40", nan, wide, null, labels(20, 40, 2), o);
        }
    }

    @Test
    void refusesWhatItCannotComputeWithoutAGraph() {
        INDArray x = x(DataType.DOUBLE, 4, D, 1);
        Tensor w = Tensor.parameter(TestArrays.uniform(1, -1, 1, DataType.DOUBLE, D, 3));
        int[] y = {0, 1, 2, 0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.linearCrossEntropyGrad(Tensor.parameter(x), w, null, y));
        assertTrue(e.getMessage().contains("x must not require grad"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Functional.linearCrossEntropyGrad(Tensor.constant(x), w.mul(2.0), null, y));
        assertTrue(e.getMessage().contains("leaves"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Functional.linearCrossEntropyGrad(Tensor.constant(x), Tensor.constant(w.value()), null, y));
        assertTrue(e.getMessage().contains("no gradient to compute"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.linearCrossEntropyGrad(Tensor.constant(x), w,
                null, y, SoftmaxCrossEntropy.Options.DEFAULT.withReduction(SoftmaxCrossEntropy.Reduction.NONE), null));
        assertTrue(e.getMessage().contains("NONE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.linearCrossEntropyGrad(Tensor.constant(x), w,
                null, y, SoftmaxCrossEntropy.Options.DEFAULT, Nd4j.createUninitialized(DataType.DOUBLE, 4, 4)));
        assertTrue(e.getMessage().contains("logits must be a dense float64 [4, 3]"), e.getMessage());
        assertEquals(null, w.grad(), "a refused call leaves the gradient alone");
    }
}
