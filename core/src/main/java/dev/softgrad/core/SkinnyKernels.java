package dev.softgrad.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD float32 kernels for the products of a layer with few outputs (K up to
 * {@link SkinnyProducts#MAX_K}): x W + b, x^T G and G W^T for x [N, D], W [D, K], G [N, K]. Loaded
 * only through {@link SkinnyProducts} when the module {@code jdk.incubator.vector} is present.
 *
 * <p>Every output element is computed by one thread, summing its terms in index order with fused
 * multiply-adds (which round the same way interpreted and compiled); the drivers only decide which
 * thread computes which block of outputs, so results are the same bits for any worker count. Each
 * {@code *Block} method computes one range of blocks and is what a worker runs.
 */
final class SkinnyKernels {
    private SkinnyKernels() {
    }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Float lanes per vector (16 with AVX-512). */
    static final int L = S.length();
    /** Rows of x per forward block: eight accumulators hide the fused multiply-add's latency. */
    static final int ROWS = 8;
    /** Outputs per pass of the x^T G kernel: ten accumulators, one load of x each. */
    static final int OUTS = 10;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** Per-thread scratch, grown on demand: a training loop allocates nothing after its first step. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][]);

    private static float[] scratch(int slot, int size) {
        float[][] s = SCRATCH.get();
        if (s[slot] == null || s[slot].length < size) {
            s[slot] = new float[size];
        }
        return s[slot];
    }

    /** Columns of W padded to whole vectors. */
    static int padded(int k) {
        return (k + L - 1) / L * L;
    }

    /** W [D, K] copied into [D, P] with zero padding (and b into [P]); shared read-only by the workers. */
    static float[] padWeights(FloatBuffer w, int d, int k, float[] into) {
        int p = padded(k);
        float[] wp = into != null && into.length >= d * p ? into : new float[d * p];
        for (int t = 0; t < d; t++) {
            w.get(t * k, wp, t * p, k);
        }
        return wp;
    }

    /**
     * Rows [blockFrom * ROWS, blockTo * ROWS) of out = x W + b: each W row is one or more vectors
     * over the outputs, multiplied by x[i, t] broadcast, ROWS rows at a time.
     *
     * @param wp W padded to [D, P] ({@link #padWeights}); bp the bias padded to [P] (zeros for none)
     */
    static void forwardBlock(FloatBuffer x, float[] wp, float[] bp, FloatBuffer out, int n, int d, int k,
            int blockFrom, int blockTo) {
        int p = padded(k);
        float[] xs = scratch(0, ROWS * d);
        float[] os = scratch(1, ROWS * p);
        for (int blk = blockFrom; blk < blockTo; blk++) {
            int i0 = blk * ROWS;
            int r = Math.min(ROWS, n - i0);
            x.get(i0 * d, xs, 0, r * d);
            if (r < ROWS) {
                java.util.Arrays.fill(xs, r * d, ROWS * d, 0f);
            }
            for (int j = 0; j < p; j += L) {
                FloatVector b = FloatVector.fromArray(S, bp, j);
                FloatVector a0 = b;
                FloatVector a1 = b;
                FloatVector a2 = b;
                FloatVector a3 = b;
                FloatVector a4 = b;
                FloatVector a5 = b;
                FloatVector a6 = b;
                FloatVector a7 = b;
                for (int t = 0, wo = j; t < d; t++, wo += p) {
                    FloatVector w = FloatVector.fromArray(S, wp, wo);
                    a0 = w.fma(FloatVector.broadcast(S, xs[t]), a0);
                    a1 = w.fma(FloatVector.broadcast(S, xs[d + t]), a1);
                    a2 = w.fma(FloatVector.broadcast(S, xs[2 * d + t]), a2);
                    a3 = w.fma(FloatVector.broadcast(S, xs[3 * d + t]), a3);
                    a4 = w.fma(FloatVector.broadcast(S, xs[4 * d + t]), a4);
                    a5 = w.fma(FloatVector.broadcast(S, xs[5 * d + t]), a5);
                    a6 = w.fma(FloatVector.broadcast(S, xs[6 * d + t]), a6);
                    a7 = w.fma(FloatVector.broadcast(S, xs[7 * d + t]), a7);
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

    /** G [N, K] copied into [N, Kp] with Kp a multiple of OUTS and zero padding. */
    static float[] padGrad(FloatBuffer g, int n, int k, float[] into) {
        int kp = (k + OUTS - 1) / OUTS * OUTS;
        float[] gp = into != null && into.length >= n * kp ? into : new float[n * kp];
        if (kp == k) {
            g.get(0, gp, 0, n * k);
        } else {
            for (int i = 0; i < n; i++) {
                g.get(i * k, gp, i * kp, k);
                java.util.Arrays.fill(gp, i * kp + k, (i + 1) * kp, 0f);
            }
        }
        return gp;
    }

    /**
     * Rows [chunkFrom * L, min(D, chunkTo * L)) of gw = x^T G ([D, K]): a vector of L columns of x
     * times G[i, k] broadcast, OUTS outputs per pass over the rows, i in order. Columns of x past the
     * last whole vector are summed one by one, in the same order.
     *
     * @param gp G padded by {@link #padGrad}
     */
    static void weightGradBlock(ByteBuffer x, float[] gp, FloatBuffer gw, int n, int d, int k, int chunkFrom,
            int chunkTo) {
        int kp = (k + OUTS - 1) / OUTS * OUTS;
        float[] block = scratch(2, L * kp);
        for (int c = chunkFrom; c < chunkTo; c++) {
            int t = c * L;
            if (t + L > d) {
                weightGradTail(x, gp, gw, n, d, k, kp, t);
                continue;
            }
            for (int k0 = 0; k0 < kp; k0 += OUTS) {
                FloatVector a0 = FloatVector.zero(S);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                FloatVector a4 = a0;
                FloatVector a5 = a0;
                FloatVector a6 = a0;
                FloatVector a7 = a0;
                FloatVector a8 = a0;
                FloatVector a9 = a0;
                for (int i = 0, xo = 4 * t, go = k0; i < n; i++, xo += 4 * d, go += kp) {
                    FloatVector xv = FloatVector.fromByteBuffer(S, x, xo, ORDER);
                    a0 = xv.fma(FloatVector.broadcast(S, gp[go]), a0);
                    a1 = xv.fma(FloatVector.broadcast(S, gp[go + 1]), a1);
                    a2 = xv.fma(FloatVector.broadcast(S, gp[go + 2]), a2);
                    a3 = xv.fma(FloatVector.broadcast(S, gp[go + 3]), a3);
                    a4 = xv.fma(FloatVector.broadcast(S, gp[go + 4]), a4);
                    a5 = xv.fma(FloatVector.broadcast(S, gp[go + 5]), a5);
                    a6 = xv.fma(FloatVector.broadcast(S, gp[go + 6]), a6);
                    a7 = xv.fma(FloatVector.broadcast(S, gp[go + 7]), a7);
                    a8 = xv.fma(FloatVector.broadcast(S, gp[go + 8]), a8);
                    a9 = xv.fma(FloatVector.broadcast(S, gp[go + 9]), a9);
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
    private static void weightGradTail(ByteBuffer x, float[] gp, FloatBuffer gw, int n, int d, int k, int kp,
            int from) {
        for (int t = from; t < d; t++) {
            for (int j = 0; j < k; j++) {
                float s = 0f;
                for (int i = 0; i < n; i++) {
                    s = Math.fma(x.getFloat(4 * (i * d + t)), gp[i * kp + j], s);
                }
                gw.put(t * k + j, s);
            }
        }
    }

    /** W [D, K] transposed into [K, D]. */
    static float[] transposeWeights(FloatBuffer w, int d, int k, float[] into) {
        float[] wt = into != null && into.length >= d * k ? into : new float[d * k];
        for (int t = 0; t < d; t++) {
            for (int j = 0; j < k; j++) {
                wt[j * d + t] = w.get(t * k + j);
            }
        }
        return wt;
    }

    /**
     * Rows [from, to) of gx = G W^T ([N, D]): per row, per vector of L columns, the sum over k of
     * G[i, k] broadcast times a vector of W^T's row k, k in order; the last columns one by one.
     *
     * @param wt W transposed by {@link #transposeWeights}
     */
    static void inputGradBlock(FloatBuffer g, float[] wt, FloatBuffer gx, int d, int k, int from, int to) {
        float[] gr = scratch(0, k);
        float[] row = scratch(1, d);
        int whole = d / L * L;
        for (int i = from; i < to; i++) {
            g.get(i * k, gr, 0, k);
            for (int t = 0; t < whole; t += L) {
                FloatVector a = FloatVector.zero(S);
                for (int j = 0, wo = t; j < k; j++, wo += d) {
                    a = FloatVector.fromArray(S, wt, wo).fma(FloatVector.broadcast(S, gr[j]), a);
                }
                a.intoArray(row, t);
            }
            for (int t = whole; t < d; t++) {
                float s = 0f;
                for (int j = 0; j < k; j++) {
                    s = Math.fma(wt[j * d + t], gr[j], s);
                }
                row[t] = s;
            }
            gx.put(i * d, row, 0, d);
        }
    }
}
