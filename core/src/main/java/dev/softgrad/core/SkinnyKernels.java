package dev.softgrad.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD float32 kernels for the products of a layer with few outputs (K up to
 * {@link SkinnyProducts#MAX_K}): x W + b, x^T G and G W^T for x [N, D], W [D, K], G [N, K]. Loaded
 * only through {@link SkinnyProducts} when the module {@code jdk.incubator.vector} is present.
 *
 * <p>Every output element is computed by one thread, summing its terms in an order fixed by the
 * shape with fused multiply-adds and IEEE additions (which round the same way interpreted and
 * compiled): in index order, except the narrow forward's sixteen lane partials and their fixed
 * reduction ({@link #forwardNarrowBlock}). The drivers only decide which thread computes which block
 * of outputs, so results are the same bits for any worker count. Each {@code *Block} method computes
 * one range of blocks and is what a worker runs. Vector code is kept to the loops that run
 * thousands of times per product: until C2 compiles it, every vector operation runs a slow Java
 * fallback, so once-per-product work (copies, transpositions) stays scalar.
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
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[6][]);

    /** Slots 0-2: a worker's block buffers; 3-5: the caller's padded or transposed copy of W or G, read by all workers. */
    static float[] scratch(int slot, int size) {
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
            if (p > k) { // a reused buffer: the padding must be zeros again
                java.util.Arrays.fill(wp, t * p + k, t * p + p, 0f);
            }
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
            int j0 = 0;
            for (; j0 + 4 * L <= p; j0 += 4 * L) { // wide layers: 4 rows x 4 vectors, half the loads per FMA
                for (int q0 = 0; q0 < ROWS; q0 += 4) {
                    tile(xs, q0 * d, d, 1, d, wp, bp, j0, os, q0 * p + j0, p, j0);
                }
            }
            for (int j = j0; j < p; j += L) {
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

    /**
     * Four rows of a product A B + bias, outputs j0 .. j0 + 4L: sixteen accumulators, each output
     * summed over s in order from its bias by fused multiply-adds. Element (q, s) of A is
     * {@code a[a0 + q * aRow + s * aStep]}, so one tile serves x W + b (A = x: rows of x, aStep 1;
     * the same sums in the same order as {@link #forwardBlock}'s one-vector loop, same bits) and
     * x^T G (A = x^T: aRow 1, aStep D; bias zeros; the same order as {@link #weightGradBlock}) and G W^T
     * (A = G, B = W^T; bias zeros; the same order as {@link #inputGradBlock}).
     *
     * @param m  the inner length (s in [0, m))
     * @param bm B as [m, p] (p a multiple of L)
     * @param bj where the tile's 4L starting values are in bias
     * @param o  where row q of the tile goes in os: o + q * p
     */
    private static void tile(float[] a, int a0, int aRow, int aStep, int m, float[] bm, float[] bias, int bj, float[] os,
            int o, int p, int j0) {
        FloatVector b0 = FloatVector.fromArray(S, bias, bj);
        FloatVector b1 = FloatVector.fromArray(S, bias, bj + L);
        FloatVector b2 = FloatVector.fromArray(S, bias, bj + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, bias, bj + 3 * L);
        FloatVector a00 = b0, a01 = b1, a02 = b2, a03 = b3;
        FloatVector a10 = b0, a11 = b1, a12 = b2, a13 = b3;
        FloatVector a20 = b0, a21 = b1, a22 = b2, a23 = b3;
        FloatVector a30 = b0, a31 = b1, a32 = b2, a33 = b3;
        for (int s = 0, ao = a0, wo = j0; s < m; s++, ao += aStep, wo += p) {
            FloatVector w0 = FloatVector.fromArray(S, bm, wo);
            FloatVector w1 = FloatVector.fromArray(S, bm, wo + L);
            FloatVector w2 = FloatVector.fromArray(S, bm, wo + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, bm, wo + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            a00 = w0.fma(x, a00);
            a01 = w1.fma(x, a01);
            a02 = w2.fma(x, a02);
            a03 = w3.fma(x, a03);
            x = FloatVector.broadcast(S, a[ao + aRow]);
            a10 = w0.fma(x, a10);
            a11 = w1.fma(x, a11);
            a12 = w2.fma(x, a12);
            a13 = w3.fma(x, a13);
            x = FloatVector.broadcast(S, a[ao + 2 * aRow]);
            a20 = w0.fma(x, a20);
            a21 = w1.fma(x, a21);
            a22 = w2.fma(x, a22);
            a23 = w3.fma(x, a23);
            x = FloatVector.broadcast(S, a[ao + 3 * aRow]);
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

    /** Rows per block of the narrow forward ({@link #forwardNarrowBlock}). */
    static final int DOT_ROWS = 4;
    /** Outputs per pass of the narrow forward: 4 rows x 5 outputs = 20 vector accumulators. */
    static final int DOT_OUTS = 5;

    /** Rows of W^T padded to a multiple of {@link #DOT_OUTS}. */
    static int dotOutputs(int k) {
        return (k + DOT_OUTS - 1) / DOT_OUTS * DOT_OUTS;
    }

    /** Whether the narrow forward can run: its lane sums are written for sixteen lanes (AVX-512). */
    static final boolean NARROW = L == 16;

    // The butterfly of narrowPass: SWAPh exchanges lanes l and l ^ h, HIGHh selects the lanes with bit h set
    private static final VectorShuffle<Float> SWAP8 = NARROW ? VectorShuffle.fromOp(S, l -> l ^ 8) : null;
    private static final VectorShuffle<Float> SWAP4 = NARROW ? VectorShuffle.fromOp(S, l -> l ^ 4) : null;
    private static final VectorShuffle<Float> SWAP2 = NARROW ? VectorShuffle.fromOp(S, l -> l ^ 2) : null;
    private static final VectorShuffle<Float> SWAP1 = NARROW ? VectorShuffle.fromOp(S, l -> l ^ 1) : null;
    private static final VectorMask<Float> HIGH8 = NARROW ? VectorMask.fromLong(S, 0xFF00L) : null;
    private static final VectorMask<Float> HIGH4 = NARROW ? VectorMask.fromLong(S, 0xF0F0L) : null;
    private static final VectorMask<Float> HIGH2 = NARROW ? VectorMask.fromLong(S, 0xCCCCL) : null;
    private static final VectorMask<Float> HIGH1 = NARROW ? VectorMask.fromLong(S, 0xAAAAL) : null;

    /**
     * Rows [blockFrom * 4, blockTo * 4) of out = x W + b for a narrow W (K up to
     * {@link SkinnyProducts#MAX_K_NARROW}, where a vector over the outputs would leave lanes empty):
     * each output is a dot product over t, 4 rows x 5 outputs at a time ({@link #narrowPass}), no
     * broadcast in the loop and every lane a term. Output (q, j) is summed as: sixteen partial sums
     * p[l] over the columns t = l (mod 16) of the whole vectors, in order, by fused multiply-adds;
     * then the halves added pairwise, p[l] + p[l + 8], then + 4, + 2, + 1; then the remaining columns
     * one by one (fused multiply-adds, in order); then the bias.
     *
     * @param wt W transposed to [Kd, D] with zero rows up to Kd = {@link #dotOutputs}(k) ({@link #transposeWeights})
     * @param b  the bias [K], or null
     */
    static void forwardNarrowBlock(FloatBuffer x, float[] wt, FloatBuffer b, FloatBuffer out, int n, int d, int k,
            int blockFrom, int blockTo) {
        int kd = dotOutputs(k);
        int whole = d / L * L;
        float[] xs = scratch(0, DOT_ROWS * d);
        float[] sums = scratch(1, 4 * L + DOT_ROWS * kd);
        for (int blk = blockFrom; blk < blockTo; blk++) {
            int i0 = blk * DOT_ROWS;
            int r = Math.min(DOT_ROWS, n - i0);
            x.get(i0 * d, xs, 0, r * d);
            if (r < DOT_ROWS) {
                java.util.Arrays.fill(xs, r * d, DOT_ROWS * d, 0f);
            }
            for (int j0 = 0; j0 < kd; j0 += DOT_OUTS) {
                narrowPass(xs, wt, j0 * d, d, whole, sums);
                for (int q = 0; q < r; q++) {
                    for (int j = 0; j < DOT_OUTS; j++) {
                        // where narrowPass left the sum of row q, output j0 + j
                        float s = j < 4 ? sums[4 * q + j] : sums[L + 4 * q];
                        for (int t = whole, wo = (j0 + j) * d; t < d; t++) {
                            s = Math.fma(xs[q * d + t], wt[wo + t], s);
                        }
                        sums[2 * L + q * kd + j0 + j] = s;
                    }
                }
            }
            for (int q = 0; q < r; q++) {
                int o = 2 * L + q * kd;
                if (b != null) {
                    for (int j = 0; j < k; j++) {
                        sums[o + j] += b.get(j);
                    }
                }
                out.put((i0 + q) * k, sums, o, k);
            }
        }
    }

    /**
     * One pass of {@link #forwardNarrowBlock}: the four rows of xs ([4, D]) times the five rows of wt
     * from w0, columns [0, whole), each (row q, output j) reduced to the sum of its sixteen lanes in
     * the order given there: outputs 0-3 by one butterfly of blends and lane swaps over sixteen
     * accumulators (sums[4q + j]), output 4 by a half one over four (sums[L + 4q]).
     */
    private static void narrowPass(float[] xs, float[] wt, int w0, int d, int whole, float[] sums) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00, a04 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00, a34 = a00;
        for (int t = 0; t < whole; t += L) {
            FloatVector v0 = FloatVector.fromArray(S, xs, t);
            FloatVector v1 = FloatVector.fromArray(S, xs, d + t);
            FloatVector v2 = FloatVector.fromArray(S, xs, 2 * d + t);
            FloatVector v3 = FloatVector.fromArray(S, xs, 3 * d + t);
            FloatVector w = FloatVector.fromArray(S, wt, w0 + t);
            a00 = v0.fma(w, a00);
            a10 = v1.fma(w, a10);
            a20 = v2.fma(w, a20);
            a30 = v3.fma(w, a30);
            w = FloatVector.fromArray(S, wt, w0 + d + t);
            a01 = v0.fma(w, a01);
            a11 = v1.fma(w, a11);
            a21 = v2.fma(w, a21);
            a31 = v3.fma(w, a31);
            w = FloatVector.fromArray(S, wt, w0 + 2 * d + t);
            a02 = v0.fma(w, a02);
            a12 = v1.fma(w, a12);
            a22 = v2.fma(w, a22);
            a32 = v3.fma(w, a32);
            w = FloatVector.fromArray(S, wt, w0 + 3 * d + t);
            a03 = v0.fma(w, a03);
            a13 = v1.fma(w, a13);
            a23 = v2.fma(w, a23);
            a33 = v3.fma(w, a33);
            w = FloatVector.fromArray(S, wt, w0 + 4 * d + t);
            a04 = v0.fma(w, a04);
            a14 = v1.fma(w, a14);
            a24 = v2.fma(w, a24);
            a34 = v3.fma(w, a34);
        }
        // accumulator 4q + j meets 4q + j + 8, then + 4, + 2, + 1: lane 4q + j ends with its sum
        FloatVector b0 = a00.blend(a20, HIGH8).add(a20.blend(a00, HIGH8).rearrange(SWAP8));
        FloatVector b1 = a01.blend(a21, HIGH8).add(a21.blend(a01, HIGH8).rearrange(SWAP8));
        FloatVector b2 = a02.blend(a22, HIGH8).add(a22.blend(a02, HIGH8).rearrange(SWAP8));
        FloatVector b3 = a03.blend(a23, HIGH8).add(a23.blend(a03, HIGH8).rearrange(SWAP8));
        FloatVector b4 = a10.blend(a30, HIGH8).add(a30.blend(a10, HIGH8).rearrange(SWAP8));
        FloatVector b5 = a11.blend(a31, HIGH8).add(a31.blend(a11, HIGH8).rearrange(SWAP8));
        FloatVector b6 = a12.blend(a32, HIGH8).add(a32.blend(a12, HIGH8).rearrange(SWAP8));
        FloatVector b7 = a13.blend(a33, HIGH8).add(a33.blend(a13, HIGH8).rearrange(SWAP8));
        FloatVector c0 = b0.blend(b4, HIGH4).add(b4.blend(b0, HIGH4).rearrange(SWAP4));
        FloatVector c1 = b1.blend(b5, HIGH4).add(b5.blend(b1, HIGH4).rearrange(SWAP4));
        FloatVector c2 = b2.blend(b6, HIGH4).add(b6.blend(b2, HIGH4).rearrange(SWAP4));
        FloatVector c3 = b3.blend(b7, HIGH4).add(b7.blend(b3, HIGH4).rearrange(SWAP4));
        FloatVector e0 = c0.blend(c2, HIGH2).add(c2.blend(c0, HIGH2).rearrange(SWAP2));
        FloatVector e1 = c1.blend(c3, HIGH2).add(c3.blend(c1, HIGH2).rearrange(SWAP2));
        e0.blend(e1, HIGH1).add(e1.blend(e0, HIGH1).rearrange(SWAP1)).intoArray(sums, 0);
        // output 4 of rows 0-3 (accumulators 4q + 16): the same steps, lane 4q ends with row q's sum
        FloatVector f0 = a04.blend(a24, HIGH8).add(a24.blend(a04, HIGH8).rearrange(SWAP8));
        FloatVector f1 = a14.blend(a34, HIGH8).add(a34.blend(a14, HIGH8).rearrange(SWAP8));
        FloatVector g = f0.blend(f1, HIGH4).add(f1.blend(f0, HIGH4).rearrange(SWAP4));
        g = g.add(g.rearrange(SWAP2));
        g.add(g.rearrange(SWAP1)).intoArray(sums, L);
    }

    /** G [N, K] copied into [N, Kp] (Kp >= K) with zero padding. */
    static float[] padGrad(FloatBuffer g, int n, int k, int kp, float[] into) {
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

    /** Columns of G padded for {@link #weightGradWideBlock}: whole tiles of 4L outputs. */
    static int tiled(int k) {
        return (k + 4 * L - 1) / (4 * L) * (4 * L);
    }

    /** The starting values of a tile without bias. */
    private static final float[] ZEROS = new float[4 * L];

    /**
     * Rows [blockFrom * 4, min(D, blockTo * 4)) of gw = x^T G for a wide G: {@link #tile} with A = x^T
     * (four columns of x, one broadcast each per row of x) and B = G padded to whole tiles. Each
     * output is summed over the rows i in order from zero, as in {@link #weightGradBlock} (same bits).
     *
     * @param xs x [N, D] copied into an array with at least 3 floats after it (the last block's rows past D read them)
     * @param gp G padded to [N, {@link #tiled}(k)] by {@link #padGrad}
     */
    static void weightGradWideBlock(float[] xs, float[] gp, FloatBuffer gw, int n, int d, int k, int blockFrom,
            int blockTo) {
        int p = tiled(k);
        float[] os = scratch(1, 4 * p);
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
     * Rows [blockFrom * 4, min(N, blockTo * 4)) of gx = G W^T for a wide G (K above
     * {@link SkinnyProducts#MAX_K_INPUT_GRAD}): {@link #tile} with A = G (four rows) and B = W^T
     * padded to whole tiles, so W^T is read once per four rows of G instead of once per row. Each
     * output is summed over k in order from zero, as in {@link #inputGradBlock} (same bits).
     *
     * @param gs  G [N, K] copied into an array with at least 3K floats after it (the last block's rows past N read them)
     * @param wtp W transposed to [K, Dp], Dp = {@link #tiled}(d), by {@link #transposeWeights}
     */
    static void inputGradWideBlock(float[] gs, float[] wtp, FloatBuffer gx, int n, int d, int k, int blockFrom,
            int blockTo) {
        int p = tiled(d);
        float[] os = scratch(1, 4 * (blockTo - blockFrom) * p);
        // tiles of W^T outermost: each (16 KB at K = 64) stays in L1 while all the blocks' rows pass
        for (int j0 = 0; j0 < p; j0 += 4 * L) {
            for (int blk = blockFrom; blk < blockTo; blk++) {
                tile(gs, 4 * blk * k, k, 1, k, wtp, ZEROS, 0, os, 4 * (blk - blockFrom) * p + j0, p, j0);
            }
        }
        for (int i = 4 * blockFrom; i < Math.min(n, 4 * blockTo); i++) {
            gx.put(i * d, os, (i - 4 * blockFrom) * p, d);
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

    /**
     * W [D, K] transposed into [rows, stride] (rows >= K, stride >= D): row j holds column j of W;
     * the rows past K are zeros, the columns past D are left as they were (their products are not stored).
     */
    static float[] transposeWeights(FloatBuffer w, int d, int k, int rows, int stride, float[] into) {
        float[] wt = into != null && into.length >= rows * stride ? into : new float[rows * stride];
        float[] wr = scratch(2, d * k);
        w.get(0, wr, 0, d * k); // one bulk copy: a FloatBuffer call per row of W cost more than the transposition
        // scalar on purpose: a Vector API gather ran 3x faster once compiled by C2, but this runs once
        // per product, and until C2 compiles it (thousands of calls) its vector code ran 100x slower
        for (int j = 0; j < k; j++) {
            for (int t = 0, o = j * stride; t < d; t++) {
                wt[o + t] = wr[t * k + j];
            }
        }
        java.util.Arrays.fill(wt, k * stride, rows * stride, 0f);
        return wt;
    }

    /**
     * Rows [from, to) of gx = G W^T ([N, D]): per row, per vector of L columns (four vectors at a
     * time), the sum over k of G[i, k] broadcast times a vector of W^T's row k, k in order; the last
     * columns one by one.
     *
     * @param wt W transposed by {@link #transposeWeights}
     */
    static void inputGradBlock(FloatBuffer g, float[] wt, FloatBuffer gx, int d, int k, int from, int to) {
        float[] gr = scratch(0, k);
        float[] row = scratch(1, d);
        int whole = d / L * L;
        int quad = d / (4 * L) * (4 * L);
        for (int i = from; i < to; i++) {
            g.get(i * k, gr, 0, k);
            // four vectors of columns at a time: four independent chains of fused multiply-adds
            for (int t = 0; t < quad; t += 4 * L) {
                FloatVector a0 = FloatVector.zero(S);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                for (int j = 0, wo = t; j < k; j++, wo += d) {
                    FloatVector gj = FloatVector.broadcast(S, gr[j]);
                    a0 = FloatVector.fromArray(S, wt, wo).fma(gj, a0);
                    a1 = FloatVector.fromArray(S, wt, wo + L).fma(gj, a1);
                    a2 = FloatVector.fromArray(S, wt, wo + 2 * L).fma(gj, a2);
                    a3 = FloatVector.fromArray(S, wt, wo + 3 * L).fma(gj, a3);
                }
                a0.intoArray(row, t);
                a1.intoArray(row, t + L);
                a2.intoArray(row, t + 2 * L);
                a3.intoArray(row, t + 3 * L);
            }
            for (int t = quad; t < whole; t += L) {
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
