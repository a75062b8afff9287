package dev.softgrad.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float64 twin of {@link SkinnyKernels}: x W + b, x^T G and G W^T for x [N, D], W [D, K], G [N, K]
 * with K up to {@link SkinnyProducts#MAX_K}, in {@code DoubleVector}s (8 lanes with AVX-512). The same
 * blocks, the same method names and the same summation order as the float32 kernels (each output
 * summed by one thread, in index order from its bias or zero, by fused multiply-adds), so the same
 * rules hold: the bits depend on the shape alone, never on the worker count. There is no narrow
 * (dot-product) forward: it is opt-in for float32 only.
 *
 * <p>Why a second copy and not one generic kernel: Java has no generics over primitive vectors, and
 * a kernel written once over {@code Vector<E>} is a megamorphic call per lane operation that C2 does
 * not intrinsify (the Vector API's slow Java fallback). What carries no vector type is shared instead:
 * the block sizes ({@link SkinnyKernels#ROWS}, {@link SkinnyKernels#OUTS}) and the drivers' split of
 * the blocks over the workers ({@link SkinnyProducts#forUnits}).
 */
final class SkinnyKernelsD {
    private SkinnyKernelsD() {
    }

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Double lanes per vector (8 with AVX-512). */
    static final int L = S.length();
    private static final int ROWS = SkinnyKernels.ROWS;
    private static final int OUTS = SkinnyKernels.OUTS;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** Per-thread scratch, as {@link SkinnyKernels#scratch}: slots 0-2 a worker's, 3-5 the caller's shared copies. */
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[6][]);

    static double[] scratch(int slot, int size) {
        double[][] s = SCRATCH.get();
        if (s[slot] == null || s[slot].length < size) {
            s[slot] = new double[size];
        }
        return s[slot];
    }

    /** Columns padded to whole vectors. */
    static int padded(int k) {
        return (k + L - 1) / L * L;
    }

    /** Columns padded to whole tiles of 4L ({@link #tile}). */
    static int tiled(int k) {
        return (k + 4 * L - 1) / (4 * L) * (4 * L);
    }

    /**
     * a [rows, k] copied into [rows, p] (p >= k) with zero padding: W for the forward, G for x^T G;
     * the float32 kernels' padWeights and padGrad in one.
     */
    static double[] padColumns(DoubleBuffer a, int rows, int k, int p, double[] into) {
        double[] ap = into != null && into.length >= rows * p ? into : new double[rows * p];
        if (p == k) {
            a.get(0, ap, 0, rows * k);
            return ap;
        }
        for (int i = 0; i < rows; i++) {
            a.get(i * k, ap, i * p, k);
            java.util.Arrays.fill(ap, i * p + k, (i + 1) * p, 0.0); // a reused buffer: the padding must be zeros again
        }
        return ap;
    }

    /**
     * Rows [blockFrom * ROWS, blockTo * ROWS) of out = x W + b, as {@link SkinnyKernels#forwardBlock}:
     * 4 rows x 4 vectors ({@link #tile}) while whole tiles of outputs remain, then ROWS rows x two
     * vectors, then ROWS rows x one vector. The two-vector loop is float64's own: a classifier's K = 10
     * fills one float vector but two double ones, and broadcasting each x[i, t] once for both took
     * 84-95 us against 108-117 (1797 x 64 x 10, 128 x 784 x 10, one core). Every loop sums each output
     * over t in order from its bias (same bits whichever loop computes it).
     *
     * @param wp W padded to [D, P], P = {@link #padded}(k); bp the bias padded to [P] (zeros for none)
     */
    static void forwardBlock(DoubleBuffer x, double[] wp, double[] bp, DoubleBuffer out, int n, int d, int k,
            int blockFrom, int blockTo) {
        int p = padded(k);
        double[] xs = scratch(0, ROWS * d);
        double[] os = scratch(1, ROWS * p);
        for (int blk = blockFrom; blk < blockTo; blk++) {
            int i0 = blk * ROWS;
            int r = Math.min(ROWS, n - i0);
            x.get(i0 * d, xs, 0, r * d);
            if (r < ROWS) {
                java.util.Arrays.fill(xs, r * d, ROWS * d, 0.0);
            }
            int j0 = 0;
            for (; j0 + 4 * L <= p; j0 += 4 * L) {
                for (int q0 = 0; q0 < ROWS; q0 += 4) {
                    tile(xs, q0 * d, d, 1, d, wp, bp, j0, os, q0 * p + j0, p, j0);
                }
            }
            for (; j0 + 2 * L <= p; j0 += 2 * L) { // two vectors (K = 10 pads to 16): one broadcast per two multiply-adds
                DoubleVector b = DoubleVector.fromArray(S, bp, j0);
                DoubleVector c = DoubleVector.fromArray(S, bp, j0 + L);
                DoubleVector a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
                DoubleVector c0 = c, c1 = c, c2 = c, c3 = c, c4 = c, c5 = c, c6 = c, c7 = c;
                for (int t = 0, wo = j0; t < d; t++, wo += p) {
                    DoubleVector w = DoubleVector.fromArray(S, wp, wo);
                    DoubleVector v = DoubleVector.fromArray(S, wp, wo + L);
                    DoubleVector xt = DoubleVector.broadcast(S, xs[t]);
                    a0 = w.fma(xt, a0);
                    c0 = v.fma(xt, c0);
                    xt = DoubleVector.broadcast(S, xs[d + t]);
                    a1 = w.fma(xt, a1);
                    c1 = v.fma(xt, c1);
                    xt = DoubleVector.broadcast(S, xs[2 * d + t]);
                    a2 = w.fma(xt, a2);
                    c2 = v.fma(xt, c2);
                    xt = DoubleVector.broadcast(S, xs[3 * d + t]);
                    a3 = w.fma(xt, a3);
                    c3 = v.fma(xt, c3);
                    xt = DoubleVector.broadcast(S, xs[4 * d + t]);
                    a4 = w.fma(xt, a4);
                    c4 = v.fma(xt, c4);
                    xt = DoubleVector.broadcast(S, xs[5 * d + t]);
                    a5 = w.fma(xt, a5);
                    c5 = v.fma(xt, c5);
                    xt = DoubleVector.broadcast(S, xs[6 * d + t]);
                    a6 = w.fma(xt, a6);
                    c6 = v.fma(xt, c6);
                    xt = DoubleVector.broadcast(S, xs[7 * d + t]);
                    a7 = w.fma(xt, a7);
                    c7 = v.fma(xt, c7);
                }
                a0.intoArray(os, j0);
                a1.intoArray(os, p + j0);
                a2.intoArray(os, 2 * p + j0);
                a3.intoArray(os, 3 * p + j0);
                a4.intoArray(os, 4 * p + j0);
                a5.intoArray(os, 5 * p + j0);
                a6.intoArray(os, 6 * p + j0);
                a7.intoArray(os, 7 * p + j0);
                c0.intoArray(os, j0 + L);
                c1.intoArray(os, p + j0 + L);
                c2.intoArray(os, 2 * p + j0 + L);
                c3.intoArray(os, 3 * p + j0 + L);
                c4.intoArray(os, 4 * p + j0 + L);
                c5.intoArray(os, 5 * p + j0 + L);
                c6.intoArray(os, 6 * p + j0 + L);
                c7.intoArray(os, 7 * p + j0 + L);
            }
            for (int j = j0; j < p; j += L) {
                DoubleVector b = DoubleVector.fromArray(S, bp, j);
                DoubleVector a0 = b;
                DoubleVector a1 = b;
                DoubleVector a2 = b;
                DoubleVector a3 = b;
                DoubleVector a4 = b;
                DoubleVector a5 = b;
                DoubleVector a6 = b;
                DoubleVector a7 = b;
                for (int t = 0, wo = j; t < d; t++, wo += p) {
                    DoubleVector w = DoubleVector.fromArray(S, wp, wo);
                    a0 = w.fma(DoubleVector.broadcast(S, xs[t]), a0);
                    a1 = w.fma(DoubleVector.broadcast(S, xs[d + t]), a1);
                    a2 = w.fma(DoubleVector.broadcast(S, xs[2 * d + t]), a2);
                    a3 = w.fma(DoubleVector.broadcast(S, xs[3 * d + t]), a3);
                    a4 = w.fma(DoubleVector.broadcast(S, xs[4 * d + t]), a4);
                    a5 = w.fma(DoubleVector.broadcast(S, xs[5 * d + t]), a5);
                    a6 = w.fma(DoubleVector.broadcast(S, xs[6 * d + t]), a6);
                    a7 = w.fma(DoubleVector.broadcast(S, xs[7 * d + t]), a7);
                }
                a0.intoArray(os, j);
                a1.intoArray(os, p + j);
                a2.intoArray(os, 2 * p + j);
                a3.intoArray(os, 3 * p + j);
                a4.intoArray(os, 4 * p + j);
                a5.intoArray(os, 5 * p + j);
                a6.intoArray(os, 6 * p + j);
                a7.intoArray(os, 7 * p + j);
            }
            for (int q = 0; q < r; q++) {
                out.put((i0 + q) * k, os, q * p, k);
            }
        }
    }

    /**
     * Four rows of A B + bias, outputs j0 .. j0 + 4L, as {@link SkinnyKernels}' tile: element (q, s) of
     * A is {@code a[a0 + q * aRow + s * aStep]}, B is [m, p]; each output summed over s in order from
     * its bias by fused multiply-adds (x W + b: A = x; x^T G: A = x^T; G W^T: A = G, B = W^T).
     */
    private static void tile(double[] a, int a0, int aRow, int aStep, int m, double[] bm, double[] bias, int bj,
            double[] os, int o, int p, int j0) {
        DoubleVector b0 = DoubleVector.fromArray(S, bias, bj);
        DoubleVector b1 = DoubleVector.fromArray(S, bias, bj + L);
        DoubleVector b2 = DoubleVector.fromArray(S, bias, bj + 2 * L);
        DoubleVector b3 = DoubleVector.fromArray(S, bias, bj + 3 * L);
        DoubleVector a00 = b0, a01 = b1, a02 = b2, a03 = b3;
        DoubleVector a10 = b0, a11 = b1, a12 = b2, a13 = b3;
        DoubleVector a20 = b0, a21 = b1, a22 = b2, a23 = b3;
        DoubleVector a30 = b0, a31 = b1, a32 = b2, a33 = b3;
        for (int s = 0, ao = a0, wo = j0; s < m; s++, ao += aStep, wo += p) {
            DoubleVector w0 = DoubleVector.fromArray(S, bm, wo);
            DoubleVector w1 = DoubleVector.fromArray(S, bm, wo + L);
            DoubleVector w2 = DoubleVector.fromArray(S, bm, wo + 2 * L);
            DoubleVector w3 = DoubleVector.fromArray(S, bm, wo + 3 * L);
            DoubleVector x = DoubleVector.broadcast(S, a[ao]);
            a00 = w0.fma(x, a00);
            a01 = w1.fma(x, a01);
            a02 = w2.fma(x, a02);
            a03 = w3.fma(x, a03);
            x = DoubleVector.broadcast(S, a[ao + aRow]);
            a10 = w0.fma(x, a10);
            a11 = w1.fma(x, a11);
            a12 = w2.fma(x, a12);
            a13 = w3.fma(x, a13);
            x = DoubleVector.broadcast(S, a[ao + 2 * aRow]);
            a20 = w0.fma(x, a20);
            a21 = w1.fma(x, a21);
            a22 = w2.fma(x, a22);
            a23 = w3.fma(x, a23);
            x = DoubleVector.broadcast(S, a[ao + 3 * aRow]);
            a30 = w0.fma(x, a30);
            a31 = w1.fma(x, a31);
            a32 = w2.fma(x, a32);
            a33 = w3.fma(x, a33);
        }
        a00.intoArray(os, o);
        a01.intoArray(os, o + L);
        a02.intoArray(os, o + 2 * L);
        a03.intoArray(os, o + 3 * L);
        o += p;
        a10.intoArray(os, o);
        a11.intoArray(os, o + L);
        a12.intoArray(os, o + 2 * L);
        a13.intoArray(os, o + 3 * L);
        o += p;
        a20.intoArray(os, o);
        a21.intoArray(os, o + L);
        a22.intoArray(os, o + 2 * L);
        a23.intoArray(os, o + 3 * L);
        o += p;
        a30.intoArray(os, o);
        a31.intoArray(os, o + L);
        a32.intoArray(os, o + 2 * L);
        a33.intoArray(os, o + 3 * L);
    }

    /**
     * Rows [chunkFrom * L, min(D, chunkTo * L)) of gw = x^T G, as {@link SkinnyKernels#weightGradBlock}:
     * a vector of L columns of x times G[i, k] broadcast, OUTS outputs per pass over the rows, i in
     * order; the columns past the last whole vector one by one, in the same order.
     *
     * @param x  x's memory (float64, [N, D]); gp G padded to [N, Kp], Kp a multiple of OUTS ({@link #padColumns})
     */
    static void weightGradBlock(ByteBuffer x, double[] gp, DoubleBuffer gw, int n, int d, int k, int chunkFrom,
            int chunkTo) {
        int kp = (k + OUTS - 1) / OUTS * OUTS;
        double[] block = scratch(2, L * kp);
        for (int c = chunkFrom; c < chunkTo; c++) {
            int t = c * L;
            if (t + L > d) {
                weightGradTail(x, gp, gw, n, d, k, kp, t);
                continue;
            }
            for (int k0 = 0; k0 < kp; k0 += OUTS) {
                DoubleVector a0 = DoubleVector.zero(S);
                DoubleVector a1 = a0;
                DoubleVector a2 = a0;
                DoubleVector a3 = a0;
                DoubleVector a4 = a0;
                DoubleVector a5 = a0;
                DoubleVector a6 = a0;
                DoubleVector a7 = a0;
                DoubleVector a8 = a0;
                DoubleVector a9 = a0;
                for (int i = 0, xo = 8 * t, go = k0; i < n; i++, xo += 8 * d, go += kp) {
                    DoubleVector xv = DoubleVector.fromByteBuffer(S, x, xo, ORDER);
                    a0 = xv.fma(DoubleVector.broadcast(S, gp[go]), a0);
                    a1 = xv.fma(DoubleVector.broadcast(S, gp[go + 1]), a1);
                    a2 = xv.fma(DoubleVector.broadcast(S, gp[go + 2]), a2);
                    a3 = xv.fma(DoubleVector.broadcast(S, gp[go + 3]), a3);
                    a4 = xv.fma(DoubleVector.broadcast(S, gp[go + 4]), a4);
                    a5 = xv.fma(DoubleVector.broadcast(S, gp[go + 5]), a5);
                    a6 = xv.fma(DoubleVector.broadcast(S, gp[go + 6]), a6);
                    a7 = xv.fma(DoubleVector.broadcast(S, gp[go + 7]), a7);
                    a8 = xv.fma(DoubleVector.broadcast(S, gp[go + 8]), a8);
                    a9 = xv.fma(DoubleVector.broadcast(S, gp[go + 9]), a9);
                }
                // block holds gw[t .. t+L, k0 .. k0+OUTS] transposed: row j is output k0 + j
                a0.intoArray(block, k0 * L);
                a1.intoArray(block, (k0 + 1) * L);
                a2.intoArray(block, (k0 + 2) * L);
                a3.intoArray(block, (k0 + 3) * L);
                a4.intoArray(block, (k0 + 4) * L);
                a5.intoArray(block, (k0 + 5) * L);
                a6.intoArray(block, (k0 + 6) * L);
                a7.intoArray(block, (k0 + 7) * L);
                a8.intoArray(block, (k0 + 8) * L);
                a9.intoArray(block, (k0 + 9) * L);
            }
            for (int l = 0; l < L; l++) {
                int row = (t + l) * k;
                for (int j = 0; j < k; j++) {
                    gw.put(row + j, block[j * L + l]);
                }
            }
        }
    }

    /** The columns t .. D-1 of x (fewer than L), one at a time, terms in row order. */
    private static void weightGradTail(ByteBuffer x, double[] gp, DoubleBuffer gw, int n, int d, int k, int kp,
            int from) {
        for (int t = from; t < d; t++) {
            for (int j = 0; j < k; j++) {
                double s = 0.0;
                for (int i = 0; i < n; i++) {
                    s = Math.fma(x.getDouble(8 * (i * d + t)), gp[i * kp + j], s);
                }
                gw.put(t * k + j, s);
            }
        }
    }

    /** The starting values of a tile without bias. */
    private static final double[] ZEROS = new double[4 * L];

    /**
     * Rows [blockFrom * 4, min(D, blockTo * 4)) of gw = x^T G for a wide G, as
     * {@link SkinnyKernels#weightGradWideBlock}: {@link #tile} with A = x^T, B = G padded to whole tiles.
     *
     * @param xs x [N, D] copied into an array with at least 3 doubles after it
     * @param gp G padded to [N, {@link #tiled}(k)]
     */
    static void weightGradWideBlock(double[] xs, double[] gp, DoubleBuffer gw, int n, int d, int k, int blockFrom,
            int blockTo) {
        int p = tiled(k);
        double[] os = scratch(1, 4 * p);
        for (int blk = blockFrom; blk < blockTo; blk++) {
            int t0 = 4 * blk;
            for (int j0 = 0; j0 < p; j0 += 4 * L) {
                tile(xs, t0, 1, d, n, gp, ZEROS, 0, os, j0, p, j0);
            }
            for (int q = 0; q < Math.min(4, d - t0); q++) {
                gw.put((t0 + q) * k, os, q * p, k);
            }
        }
    }

    /**
     * Rows [blockFrom * 4, min(N, blockTo * 4)) of gx = G W^T, as {@link SkinnyKernels#inputGradWideBlock}:
     * {@link #tile} with A = G (four rows), B = W^T padded; each output summed over k in order from zero.
     * Float64 runs it for every K: float32's row loop for K up to 64 ({@code SkinnyKernels.inputGradBlock})
     * reads W^T once per row of G, twice the bytes in float64, and was slower (see {@code SkinnyProducts.inputGradD}).
     *
     * @param gs  G [N, K] copied into an array with at least 3K doubles after it
     * @param wtp W transposed to [K, Dp], Dp = {@link #tiled}(d)
     */
    static void inputGradWideBlock(double[] gs, double[] wtp, DoubleBuffer gx, int n, int d, int k, int blockFrom,
            int blockTo) {
        int p = tiled(d);
        double[] os = scratch(1, 4 * (blockTo - blockFrom) * p);
        for (int j0 = 0; j0 < p; j0 += 4 * L) {
            for (int blk = blockFrom; blk < blockTo; blk++) {
                tile(gs, 4 * blk * k, k, 1, k, wtp, ZEROS, 0, os, 4 * (blk - blockFrom) * p + j0, p, j0);
            }
        }
        for (int i = 4 * blockFrom; i < Math.min(n, 4 * blockTo); i++) {
            gx.put(i * d, os, (i - 4 * blockFrom) * p, d);
        }
    }

    /**
     * W [D, K] transposed into [K, stride] (stride >= D): row j holds column j of W, as
     * {@link SkinnyKernels#transposeWeights}; the columns past D are left as they were (their products are not stored).
     */
    static double[] transposeWeights(DoubleBuffer w, int d, int k, int stride, double[] into) {
        double[] wt = into != null && into.length >= k * stride ? into : new double[k * stride];
        double[] wr = scratch(2, d * k);
        w.get(0, wr, 0, d * k);
        for (int j = 0; j < k; j++) {
            for (int t = 0, o = j * stride; t < d; t++) {
                wt[o + t] = wr[t * k + j];
            }
        }
        return wt;
    }
}
