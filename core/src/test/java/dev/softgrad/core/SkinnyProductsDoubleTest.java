package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float64 kernels ({@link SkinnyKernelsD}) for x W + b, x^T G and G W^T: the bits of their
 * documented order (each output a chain of fused multiply-adds in index order from its bias or
 * zero), the exact sums (BigDecimal) within that order's error bound, BLAS within twice it, the same
 * bits for 1, 2 and 8 workers, and central-difference gradients through {@link Functional#linear}.
 * The shapes reach every branch: K from 1 to 256 (the forward's one-vector and two-vector loops,
 * its 4 x 4-vector tiles alone and followed by either loop, the ten-output x^T G and its tiles, G W^T
 * in tiles of four rows), N not a multiple of the 8-row or 4-row blocks, D not a multiple of the 8
 * lanes nor of the 32-column tiles.
 */
class SkinnyProductsDoubleTest extends SkinnyKernelsOn {

    /** {N, D, K}. */
    static Stream<int[]> shapes() {
        return Stream.of(new int[] {1, 1, 1}, new int[] {1, 9, 7}, new int[] {7, 5, 8}, new int[] {9, 16, 9},
                new int[] {13, 45, 10}, new int[] {8, 8, 16}, new int[] {21, 33, 63}, new int[] {17, 70, 64},
                new int[] {11, 37, 65}, new int[] {23, 45, 128}, new int[] {10, 40, 256}, new int[] {130, 100, 10},
                new int[] {3, 263, 33}, new int[] {5, 19, 48}, new int[] {6, 23, 24});
    }

    static INDArray f64(long seed, int... shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape[i];
        }
        return TestArrays.uniform(seed, -1, 1, DataType.DOUBLE, s);
    }

    /**
     * The three products of one shape: out, gw, gx. With the kernels switched on, straight through
     * {@link SkinnyProducts} (also for K below {@link SkinnyProducts#MIN_K_DOUBLE}, which
     * {@link MatMulOps} sends to BLAS: the kernels must be right for every K); switched off, through
     * {@link MatMulOps} to BLAS.
     */
    static INDArray[] products(INDArray x, INDArray w, INDArray b, INDArray g) {
        int n = (int) x.size(0);
        int d = (int) x.size(1);
        int k = (int) w.size(1);
        INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {n, k}, 'c');
        INDArray gw = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {d, k}, 'c');
        INDArray gx = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {n, d}, 'c');
        if (SkinnyProducts.enabled) {
            SkinnyProducts.forward(x, w, b, out);
            SkinnyProducts.weightGrad(x, g, gw);
            SkinnyProducts.inputGrad(g, w, gx);
        } else {
            MatMulOps.affine(x, w, b, out);
            MatMulOps.transposedTimes(x, g, gw);
            MatMulOps.timesTransposed(g, w, gx);
        }
        return new INDArray[] {out, gw, gx};
    }

    /** Element (i, j) of op(a) op(b) as [r, m] x [m, c], with element [i, t] of op(a) and [t, j] of op(b). */
    private interface Term {
        double a(int i, int t);

        double b(int t, int j);
    }

    /** The three products as Terms: x W (+ b), x^T G, G W^T; index 0-2 as in {@link #products}. */
    static Term term(int which, INDArray x, INDArray w, INDArray g) {
        Dense dx = Dense.view(x);
        Dense dw = Dense.view(w);
        Dense dg = Dense.view(g);
        int d = (int) x.size(1);
        int k = (int) w.size(1);
        return switch (which) {
            case 0 -> new Term() {
                public double a(int i, int t) {
                    return dx.get(i * d + t);
                }

                public double b(int t, int j) {
                    return dw.get(t * k + j);
                }
            };
            case 1 -> new Term() {
                public double a(int i, int t) {
                    return dx.get(t * d + i);
                }

                public double b(int t, int j) {
                    return dg.get(t * k + j);
                }
            };
            default -> new Term() {
                public double a(int i, int t) {
                    return dg.get(i * k + t);
                }

                public double b(int t, int j) {
                    return dw.get(j * k + t);
                }
            };
        };
    }

    /** {rows, inner, cols} of product {@code which} for x [N, D], W [D, K]. */
    static int[] dims(int which, int n, int d, int k) {
        return which == 0 ? new int[] {n, d, k} : which == 1 ? new int[] {d, n, k} : new int[] {n, k, d};
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void eachOutputIsItsFusedMultiplyAddChainWithinTheRoundingBoundOfTheExactSum(int[] s) {
        // Bits: the order SkinnyKernelsD documents, written out in scalar code (each output a chain of
        // fused multiply-adds in index order from its bias or zero); every branch must give its bits.
        // Bounds: that chain rounds once per term, so |computed - exact| <= gamma_(m+1) * sum |terms|
        // (gamma_j = j u / (1 - j u), u = 2^-53, the bias counted as a term; Higham, Accuracy and
        // Stability, 3.1), the exact sum in BigDecimal. BLAS sums the same m + 1 terms in its own order,
        // with or without FMA: each term meets one rounding of its product and at most m + 1 of additions,
        // so it is within gamma_(m+2) * sum |terms|, and the two results differ by at most the sum of both
        // bounds. Terms in [-1, 1] and m <= 263 put both near 1e-13 * sum |terms|: a missing or doubled
        // term (~0.1-1) or a float32 rounding on the way would fail.
        int n = s[0];
        int d = s[1];
        int k = s[2];
        INDArray x = f64(1, n, d);
        INDArray w = f64(2, d, k);
        INDArray b = f64(3, k);
        INDArray g = f64(4, n, k);
        INDArray[] simd = products(x, w, b, g);
        SkinnyProducts.enabled = false;
        INDArray[] blas = products(x, w, b, g);
        SkinnyProducts.enabled = true;
        Dense db = Dense.view(b);
        double u = Math.ulp(1.0) / 2;
        for (int p = 0; p < 3; p++) {
            int[] m = dims(p, n, d, k);
            Term term = term(p, x, w, g);
            Dense o = Dense.view(simd[p]);
            Dense ob = Dense.view(blas[p]);
            double gammaChain = (m[1] + 1) * u / (1 - (m[1] + 1) * u);
            double gammaBlas = (m[1] + 2) * u / (1 - (m[1] + 2) * u);
            for (int i = 0; i < m[0]; i++) {
                for (int j = 0; j < m[2]; j++) {
                    double chain = p == 0 ? db.get(j) : 0.0;
                    BigDecimal exact = new BigDecimal(chain);
                    double abs = Math.abs(chain);
                    for (int t = 0; t < m[1]; t++) {
                        chain = Math.fma(term.a(i, t), term.b(t, j), chain);
                        exact = exact.add(new BigDecimal(term.a(i, t)).multiply(new BigDecimal(term.b(t, j))));
                        abs += Math.abs(term.a(i, t) * term.b(t, j));
                    }
                    double got = o.get(i * m[2] + j);
                    String where = "product " + p + " of " + n + "x" + d + "x" + k + ", element (" + i + ", " + j + ")";
                    assertEquals(Double.doubleToRawLongBits(chain), Double.doubleToRawLongBits(got), where + ": bits of the chain");
                    double err = new BigDecimal(got).subtract(exact).abs().doubleValue();
                    // abs is itself rounded (relative 1e-13 at most here): the bound carries a 1 % margin for it
                    assertTrue(err <= 1.01 * gammaChain * abs, where + ": error " + err + " above " + gammaChain * abs);
                    assertEquals(ob.get(i * m[2] + j), got, 1.01 * (gammaChain + gammaBlas) * abs, where + " against BLAS");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 65, 128})
    void sameBitsForOneTwoAndEightWorkers(int k) {
        // 523 x 301 x K >= 1.5M multiply-adds: above the parallel threshold, many blocks of rows and
        // columns, the last ones ragged; K = 10 the two-vector forward and ten-output x^T G, K = 65
        // tiles plus a last vector, K = 128 the tiles of all three products
        INDArray x = f64(13, 523, 301);
        INDArray w = f64(14, 301, k);
        INDArray b = f64(15, k);
        INDArray g = f64(16, 523, k);
        assertTrue((long) 523 * 301 * k >= SkinnyProducts.PARALLEL_MIN);
        INDArray[][] one = new INDArray[1][];
        Parallel.withWorkers(1, () -> one[0] = products(x, w, b, g));
        for (int workers : new int[] {2, 8}) {
            INDArray[][] many = new INDArray[1][];
            Parallel.withWorkers(workers, () -> many[0] = products(x, w, b, g));
            for (int p = 0; p < 3; p++) {
                assertArrayEquals(one[0][p].data().asDouble(), many[0][p].data().asDouble(), 0.0,
                        "K = " + k + ", " + workers + " workers, product " + p);
            }
        }
    }

    static Stream<int[]> gradShapes() {
        // {N, D, K}: the two-vector forward with ten-output x^T G (K = 10, D = 13 ragged), tiles plus
        // one vector with ten-output x^T G (K = 65), tiles everywhere (K = 128)
        return Stream.of(new int[] {9, 13, 10}, new int[] {5, 11, 65}, new int[] {6, 9, 128});
    }

    @ParameterizedTest
    @MethodSource("gradShapes")
    void linearPassesTheFloat64GradientCheck(int[] s) {
        assertTrue(SkinnyProducts.applies(DataType.DOUBLE, s[2]));
        GradCheck.Report r = GradCheck.check(t -> Functional.linear(t[0], t[1], t[2]), f64(21, s[0], s[1]),
                f64(22, s[1], s[2]), f64(23, s[2]));
        assertTrue(r.passed(), "linear " + s[0] + "x" + s[1] + "x" + s[2] + ": " + r);
        assertEquals(s[0] * s[1] + s[1] * s[2] + s[2], r.checked());
    }

    @Test
    void emptyBatchStaysOutOfTheKernels() {
        // N = 0 never reaches the kernels (MatMulOps sends empty products to its own empty-product
        // handling): the node still gives a [0, K] value and zero weight and bias gradients
        Tensor x = Tensor.parameter(Nd4j.create(DataType.DOUBLE, 0, 5));
        Tensor w = Tensor.parameter(f64(31, 5, 10));
        Tensor b = Tensor.parameter(f64(32, 10));
        Tensor y = Functional.linear(x, w, b);
        assertArrayEquals(new long[] {0, 10}, y.shape());
        y.sum().backward();
        assertEquals(0.0, w.grad().norm1Number().doubleValue());
        assertEquals(0.0, b.grad().norm1Number().doubleValue());
    }

    @Test
    void bothTypesServedAndTheSwitchTurnsThemOff() {
        assertTrue(SkinnyProducts.applies(DataType.FLOAT, 1));
        for (int k = 1; k < SkinnyProducts.MIN_K_DOUBLE; k++) {
            assertTrue(!SkinnyProducts.applies(DataType.DOUBLE, k), "float64 K = " + k + " stays with BLAS");
        }
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            assertTrue(SkinnyProducts.applies(type, SkinnyProducts.MIN_K_DOUBLE));
            assertTrue(SkinnyProducts.applies(type, SkinnyProducts.MAX_K));
            assertTrue(!SkinnyProducts.applies(type, SkinnyProducts.MAX_K + 1));
            SkinnyProducts.enabled = false; // what -Dsoftgrad.skinny=false sets
            assertTrue(!SkinnyProducts.applies(type, 10));
            SkinnyProducts.enabled = true;
        }
        assertTrue(!SkinnyProducts.applies(DataType.HALF, 10));
    }
}
