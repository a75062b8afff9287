package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The SIMD kernels for products with few outputs: x W + b, x^T G and G W^T against sums in double,
 * across the edges of their blocks (rows not a multiple of 8, columns not a multiple of the vector
 * width, outputs not a multiple of 10, K = 1 and K = 64), through {@link Functional#linear} against
 * the float64 path, and the same bits for 1, 2 and 8 workers. The float64 kernels: {@link SkinnyProductsDoubleTest}.
 */
class SkinnyProductsTest extends SkinnyKernelsOn {

    static Stream<int[]> shapes() {
        return Stream.of(new int[] {1, 1, 1}, new int[] {7, 5, 3}, new int[] {8, 16, 10}, new int[] {33, 17, 10},
                new int[] {9, 40, 17}, new int[] {64, 16, 64}, new int[] {130, 100, 10}, new int[] {21, 33, 63},
                new int[] {300, 784, 10}, new int[] {37, 70, 128}, new int[] {9, 33, 100}, new int[] {20, 40, 256},
                new int[] {6, 130, 70}, new int[] {130, 784, 5}, new int[] {7, 263, 9});
    }

    static INDArray f32(long seed, int... shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape[i];
        }
        return TestArrays.uniform(seed, -1, 1, DataType.FLOAT, s);
    }

    /** a [r, m] times b [m, c] in double, from float32 arrays, with op(a) and op(b) by flag; also sum |terms|. */
    static double[][] reference(INDArray a, boolean ta, INDArray b, boolean tb, INDArray bias) {
        Dense da = Dense.view(a);
        Dense db = Dense.view(b);
        int ar = (int) a.size(0);
        int ac = (int) a.size(1);
        int bc = (int) b.size(1);
        int r = ta ? ac : ar;
        int m = ta ? ar : ac;
        int c = tb ? (int) b.size(0) : bc;
        double[] v = new double[r * c];
        double[] abs = new double[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                double s = bias == null ? 0 : Dense.view(bias).get(j);
                double sa = Math.abs(s);
                for (int t = 0; t < m; t++) {
                    double p = da.get(ta ? t * ac + i : i * ac + t) * db.get(tb ? j * bc + t : t * bc + j);
                    s += p;
                    sa += Math.abs(p);
                }
                v[i * c + j] = s;
                abs[i * c + j] = sa;
            }
        }
        return new double[][] {v, abs};
    }

    static void assertNear(double[][] ref, INDArray got, String what) {
        Dense g = Dense.view(got);
        assertEquals(ref[0].length, g.length(), what + ": length");
        for (int i = 0; i < g.length(); i++) {
            // float32 products summed in float32: a few units of rounding of the sum of |terms|
            double tol = 1e-6 * (4 + ref[1][i]);
            assertEquals(ref[0][i], g.get(i), tol, what + " element " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void productsAgreeWithDoubleSums(int[] s) {
        int n = s[0];
        int d = s[1];
        int k = s[2];
        INDArray x = f32(1, n, d);
        INDArray w = f32(2, d, k);
        INDArray b = f32(3, k);
        INDArray g = f32(4, n, k);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, k}, 'c');
        SkinnyProducts.forward(x, w, b, out);
        assertNear(reference(x, false, w, false, b), out, "x W + b " + n + "x" + d + "x" + k);
        SkinnyProducts.forward(x, w, null, out);
        assertNear(reference(x, false, w, false, null), out, "x W " + n + "x" + d + "x" + k);
        INDArray gw = Nd4j.createUninitialized(DataType.FLOAT, new long[] {d, k}, 'c');
        SkinnyProducts.weightGrad(x, g, gw);
        assertNear(reference(x, true, g, false, null), gw, "x^T G " + n + "x" + d + "x" + k);
        INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, d}, 'c');
        SkinnyProducts.inputGrad(g, w, gx);
        assertNear(reference(g, false, w, true, null), gx, "G W^T " + n + "x" + d + "x" + k);
    }

    @Test
    void wideForwardGivesTheOneVectorLoopsBits() {
        // K = 128 runs the 4-row x 4-vector tile, K = 16 (its first columns) the one-vector loop: each
        // output is the same sum in the same order, so the shared columns must be equal bit for bit
        assertTrue(16 > SkinnyProducts.MAX_K_NARROW);
        int n = 21;
        int d = 77;
        INDArray x = f32(11, n, d);
        INDArray w = f32(12, d, 128);
        INDArray b = f32(13, 128);
        INDArray wide = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, 128}, 'c');
        SkinnyProducts.forward(x, w, b, wide);
        INDArray narrow = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, 16}, 'c');
        SkinnyProducts.forward(x, w.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 16)).dup('c'),
                b.get(NDArrayIndex.interval(0, 16)).dup('c'), narrow);
        assertSameBits(narrow, wide, n, 16, "x W + b");
    }

    @Test
    void wideWeightGradGivesTheTenOutputLoopsBits() {
        // x^T G with K = 128 runs the tiles over x^T (wideGrad), K = 10 the ten-output loop: both sum
        // each output over the rows in order from zero, so the shared columns must be equal bit for bit
        assertTrue(SkinnyProducts.wideGrad(128) && !SkinnyProducts.wideGrad(10));
        int n = 37;
        int d = 43; // D not a multiple of 4 (the last tile's rows past D) nor of 16
        INDArray x = f32(21, n, d);
        INDArray g = f32(22, n, 128);
        INDArray wide = Nd4j.createUninitialized(DataType.FLOAT, new long[] {d, 128}, 'c');
        SkinnyProducts.weightGrad(x, g, wide);
        INDArray narrow = Nd4j.createUninitialized(DataType.FLOAT, new long[] {d, 10}, 'c');
        SkinnyProducts.weightGrad(x, g.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 10)).dup('c'), narrow);
        assertSameBits(narrow, wide, d, 10, "x^T G");
    }

    @Test
    void wideInputGradGivesTheRowLoopsBits() {
        // G W^T with K = 128 runs the tiles over four rows of G (inputGradWideBlock), K <= 64 the row
        // loop: both sum each output over k in order from zero, so running the row loop on the same
        // K = 128 operands must give the same bits
        int n = 23; // not a multiple of 4 (the last tile's rows past N)
        int d = 45; // not a multiple of the 64-column tile
        int k = 128;
        assertTrue(k > SkinnyProducts.MAX_K_INPUT_GRAD);
        INDArray g = f32(41, n, k);
        INDArray w = f32(42, d, k);
        INDArray tiled = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, d}, 'c');
        SkinnyProducts.inputGrad(g, w, tiled);
        INDArray rows = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, d}, 'c');
        float[] wt = SkinnyKernels.transposeWeights(Dense.view(w).f, d, k, k, d, null);
        SkinnyKernels.inputGradBlock(Dense.view(g).f, wt, Dense.view(rows).f, d, k, 0, n);
        assertSameBits(rows, tiled, n, d, "G W^T");
    }

    /** The first c columns of wide [r, *] equal narrow [r, c] bit for bit. */
    static void assertSameBits(INDArray narrow, INDArray wide, int r, int c, String what) {
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                assertEquals(Float.floatToRawIntBits(narrow.getFloat(i, j)), Float.floatToRawIntBits(wide.getFloat(i, j)),
                        what + ": row " + i + ", output " + j);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("narrowShapes")
    void narrowForwardSumsInItsDocumentedOrder(int[] s) {
        // K <= MAX_K_NARROW, D >= MIN_D_NARROW: dot products over t (SkinnyKernels.forwardNarrowBlock); the order written
        // out here in scalar float arithmetic must give the same bits
        Assumptions.assumeTrue(SkinnyKernels.NARROW, "the narrow forward needs 16 float lanes");
        int n = s[0];
        int d = s[1];
        int k = s[2];
        INDArray x = f32(31, n, d);
        INDArray w = f32(32, d, k);
        INDArray b = f32(33, k);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, k}, 'c');
        boolean before = SkinnyProducts.narrowForward;
        SkinnyProducts.narrowForward = true; // off by default (see its Javadoc)
        try {
            assertTrue(SkinnyProducts.narrow(d, k));
            SkinnyProducts.forward(x, w, b, out);
        } finally {
            SkinnyProducts.narrowForward = before;
        }
        assertArrayEquals(narrowOrderBits(x, w, b), floatBits(out), n + "x" + d + "x" + k);
    }

    /** x W + b summed in the narrow forward's documented order (sixteen lane partials, a fixed butterfly), as float bits. */
    private static int[] narrowOrderBits(INDArray x, INDArray w, INDArray b) {
        int n = (int) x.size(0);
        int d = (int) x.size(1);
        int k = (int) w.size(1);
        int[] bits = new int[n * k];
        int whole = d / 16 * 16;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                float[] p = new float[16];
                for (int t = 0; t < whole; t++) {
                    p[t % 16] = Math.fma(x.getFloat(i, t), w.getFloat(t, j), p[t % 16]);
                }
                for (int h = 8; h >= 1; h /= 2) {
                    for (int l = 0; l < h; l++) {
                        p[l] += p[l + h];
                    }
                }
                float sum = p[0];
                for (int t = whole; t < d; t++) {
                    sum = Math.fma(x.getFloat(i, t), w.getFloat(t, j), sum);
                }
                bits[i * k + j] = Float.floatToRawIntBits(sum + b.getFloat(j));
            }
        }
        return bits;
    }

    private static int[] floatBits(INDArray a) {
        float[] v = a.reshape(a.length()).toFloatVector();
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = Float.floatToRawIntBits(v[i]);
        }
        return bits;
    }

    static Stream<int[]> narrowShapes() {
        // rows not a multiple of 4, D with and without a ragged tail after its whole vectors, K 1-10
        return Stream.of(new int[] {1, 256, 1}, new int[] {5, 263, 3}, new int[] {9, 256, 10}, new int[] {13, 300, 6},
                new int[] {130, 784, 10}, new int[] {4, 271, 5});
    }

    /** One float32 linear node's value and three gradients, as doubles. */
    static double[][] linearStep(INDArray x, INDArray w, INDArray b, INDArray up) {
        Tensor tx = Tensor.parameter(x.dup());
        Tensor tw = Tensor.parameter(w.dup());
        Tensor tb = Tensor.parameter(b.dup());
        Tensor y = Functional.linear(tx, tw, tb);
        y.backward(up.dup());
        return new double[][] {y.value().castTo(DataType.DOUBLE).ravel().toDoubleVector(),
            tx.grad().castTo(DataType.DOUBLE).ravel().toDoubleVector(), tw.grad().castTo(DataType.DOUBLE).ravel().toDoubleVector(),
            tb.grad().castTo(DataType.DOUBLE).ravel().toDoubleVector()};
    }

    @Test
    void float32LinearAgreesWithFloat64() {
        INDArray x = f32(5, 37, 50);
        INDArray w = f32(6, 50, 10);
        INDArray b = f32(7, 10);
        INDArray up = f32(8, 37, 10);
        double[][] f = linearStep(x, w, b, up);
        double[][] dd = linearStep(x.castTo(DataType.DOUBLE), w.castTo(DataType.DOUBLE), b.castTo(DataType.DOUBLE),
                up.castTo(DataType.DOUBLE));
        assertAllClose(dd, f, 2e-5);
    }

    /** Every part (value, dx, dW, db) of got within rel * (1 + |expected|) of expected. */
    static void assertAllClose(double[][] expected, double[][] got, double rel) {
        String[] names = {"value", "dx", "dW", "db"};
        for (int p = 0; p < expected.length; p++) {
            for (int i = 0; i < expected[p].length; i++) {
                assertEquals(expected[p][i], got[p][i], rel * (1 + Math.abs(expected[p][i])), names[p] + " element " + i);
            }
        }
    }

    @Test
    void kernelsAndBlasAgree() {
        INDArray x = f32(9, 130, 100);
        INDArray w = f32(10, 100, 10);
        INDArray b = f32(11, 10);
        INDArray up = f32(12, 130, 10);
        double[][] simd = linearStep(x, w, b, up);
        SkinnyProducts.enabled = false;
        double[][] blas = linearStep(x, w, b, up);
        assertAllClose(blas, simd, 1e-5);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {10, 128})
    void sameBitsForOneTwoAndEightWorkers(int k) {
        // 520 x 300 x K >= 1.56M multiply-adds: above the parallel threshold, many row blocks and column
        // chunks; K = 10 runs the narrow forward and ten-output x^T G, K = 128 the tiles of all three products
        INDArray x = f32(13, 520, 300);
        INDArray w = f32(14, 300, k);
        INDArray b = f32(15, k);
        INDArray up = f32(16, 520, k);
        assertTrue((long) 520 * 300 * k >= SkinnyProducts.PARALLEL_MIN);
        double[][][] one = new double[1][][];
        Parallel.withWorkers(1, () -> one[0] = linearStep(x, w, b, up));
        for (int workers : new int[] {2, 8}) {
            double[][][] many = new double[1][][];
            Parallel.withWorkers(workers, () -> many[0] = linearStep(x, w, b, up));
            for (int p = 0; p < one[0].length; p++) {
                assertArrayEquals(one[0][p], many[0][p], 0.0, "K = " + k + ", " + workers + " workers, part " + p);
            }
        }
    }
}
