package dev.softgrad.core;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The products of a layer with few outputs, x [N, D] times W [D, K] with K at most {@link #MAX_K}
 * (a classifier's last layer, or a hidden layer of up to 256 units): x W + b, x^T G and G W^T, in
 * SIMD Java kernels instead of BLAS: float32 in {@link SkinnyKernels}, float64 in its twin
 * {@link SkinnyKernelsD} (the same blocks, names and summation order in 8-lane double vectors).
 * BLAS tiles for square products and runs such thin ones at 10-30 GFLOP/s on this kind of machine
 * (float64: 12-16); these kernels keep a tile of outputs in vector registers and load each operand
 * once per several multiply-adds, at 50-100 GFLOP/s on one core (float64: 23-39; BENCHMARKS.md):
 * <ul>
 * <li>x W + b: up to 64 outputs, 8 rows x one vector of outputs; wider, 4 rows x 4 vectors (the
 *     tile); with {@link #narrowForward} switched on, K up to {@link #MAX_K_NARROW} and D from
 *     {@link #MIN_D_NARROW} as dot products over D, 4 rows x 5 outputs;</li>
 * <li>x^T G: up to 64 outputs, a vector of x's columns x 10 outputs; wider ({@link #wideGrad}), the tile over x^T;</li>
 * <li>G W^T: up to {@link #MAX_K_INPUT_GRAD}, one row of G at a time; wider, the tile over four rows of G.</li>
 * </ul>
 * Float64 takes the same branches (its tiles are 4 rows x 32 outputs), except that x W + b has a loop
 * of 8 rows x two vectors (K = 10 is two vectors of doubles), G W^T always runs the tile over four rows
 * of G ({@code inputGradD} says why), there is no narrow forward, and K below {@link #MIN_K_DOUBLE}
 * stays with BLAS.
 *
 * <p>They serve float32 and float64 when the JVM has the module {@code jdk.incubator.vector}, unless
 * {@code -Dsoftgrad.skinny=false}; wider layers, other types and JVMs without the module call BLAS.
 * Work is split over the cores ({@link Parallel}) in blocks of outputs (whole blocks of rows of
 * x W + b and G W^T, of columns of x for x^T G), each output summed by one thread in an order fixed by
 * the shape, so the result is the same bits for any worker count.
 */
final class SkinnyProducts {
    private SkinnyProducts() {
    }

    /**
     * The widest layer served by x W + b and x^T G: up to 256 outputs. Up to 64 is the classifier
     * case; 65-256 covers a hidden layer such as 784 -> 128, where OpenBLAS's one-thread sgemm ran
     * at 27-31 GFLOP/s on 128 x 784 x 128 and these kernels at 40-60 (BENCHMARKS.md).
     */
    static final int MAX_K = 256;

    /**
     * The widest layer whose G W^T runs row by row ({@code inputGradBlock}): 64. That loop streams
     * all of W once per row of G, which for K = 128 (401 KB of W per row) ran slower than BLAS; wider
     * layers run in tiles of four rows of G ({@code inputGradWideBlock}), which read W^T once per four rows.
     */
    static final int MAX_K_INPUT_GRAD = 64;

    /**
     * The widest layer whose x W + b runs as dot products over x's rows ({@code forwardNarrowBlock}):
     * below a vector of outputs the one-vector loop would leave lanes empty.
     */
    static final int MAX_K_NARROW = 10;

    /**
     * The shortest rows (D) for which it does: each output's lane sums cost a fixed reduction, which
     * D = 64 or 128 does not pay back (one core, K = 10: 1797 x 64 took 92 us against 63 in the
     * one-vector loop, 128 x 128 10.6 against 9.4; 128 x 256 15.0 against 18.5, 128 x 784 40 against 53).
     */
    static final int MIN_D_NARROW = 256;

    /**
     * Whether the dot-product forward is switched on: off unless {@code -Dsoftgrad.narrowForward=true}
     * (tests switch it). On one core it is faster (128 x 784 x 10: 40 against 53 us), but in W2 with
     * two workers its first epochs ran 0.45-0.50 s against 0.11 s without it (2026-11-30, quiet machine,
     * three rounds each): C2 compiled its lane butterfly late on the pool threads, which ran the Vector
     * API's Java fallback meanwhile (BENCHMARKS.md, issue 14, third round). Until that is understood the
     * one-vector loop serves every K <= 64.
     */
    static volatile boolean narrowForward = Boolean.getBoolean("softgrad.narrowForward");

    /** Whether x W + b with rows of d and k outputs runs as dot products ({@code forwardNarrowBlock}). */
    static boolean narrow(int d, int k) {
        return narrowForward && SkinnyKernels.NARROW && k <= MAX_K_NARROW && d >= MIN_D_NARROW;
    }

    /** Multiply-adds below which a product stays on the calling thread (a fork costs ~10 us). */
    static final long PARALLEL_MIN = 1L << 18;

    /** Whether the module is present. */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Whether the kernels are used; tests switch this to compare them with BLAS. */
    static volatile boolean enabled = AVAILABLE && !"false".equals(System.getProperty("softgrad.skinny"));

    /** Multiply-adds per parallel chunk (~2 us): many chunks, so that two workers end together. */
    static final long CHUNK_WORK = 1L << 16;

    /**
     * Whether x^T G with k outputs runs as 4 x 4-vector tiles ({@code weightGradWideBlock}): above 64
     * outputs, when padding G to whole tiles of 64 adds at most a quarter (K = 128, 256; not K = 65).
     * The ten-output loop reloads a vector of x per ten outputs; the tile one broadcast per sixteen
     * multiply-adds: 377 against ~250 us at 128 x 784 x 128 on one core.
     */
    static boolean wideGrad(int k) {
        return wideGrad(k, SkinnyKernels.tiled(k));
    }

    /** {@link #wideGrad} for tiles that pad k outputs to {@code tiled} (float64: tiles of 32). */
    static boolean wideGrad(int k, int tiled) {
        return k > 64 && (tiled - k) * 4 <= k;
    }

    /**
     * The narrowest float64 layer served here: 4 outputs. Below, the one-vector loops compute 8 lanes
     * for 1-3 outputs, and OpenBLAS's dgemm (a matrix-vector product at K = 1) was faster for x W + b
     * and x^T G (one core, 128 x 784 x 1: 72 against 38 and 44 us; x 3: 72 and 74 against 62 and 70;
     * x 4: 72 and 75 against 72 and 81; BENCHMARKS.md, issue 14, float64 products).
     */
    static final int MIN_K_DOUBLE = 4;

    /** Whether a product with k outputs of this type (float32, or float64 from {@link #MIN_K_DOUBLE}) runs here. */
    static boolean applies(DataType type, long k) {
        long min = type == DataType.FLOAT ? 1 : type == DataType.DOUBLE ? MIN_K_DOUBLE : Long.MAX_VALUE;
        return enabled && k >= min && k <= MAX_K;
    }

    /** out = x W + b (b may be null), x [N, D], W [D, K], out [N, K], all float32 or all float64, dense. */
    static void forward(INDArray x, INDArray w, INDArray b, INDArray out) {
        int n = (int) x.size(0);
        int d = (int) x.size(1);
        int k = (int) w.size(1);
        if (x.dataType() == DataType.DOUBLE) {
            forwardD(x, w, b, out, n, d, k);
            return;
        }
        if (narrow(d, k)) {
            int kd = SkinnyKernels.dotOutputs(k);
            float[] wt = SkinnyKernels.transposeWeights(Dense.view(w).f, d, k, kd, d, SkinnyKernels.scratch(3, kd * d));
            FloatBuffer xb = Dense.view(x).f;
            FloatBuffer bf = b == null ? null : Dense.view(b).f;
            Dense o = Dense.view(out);
            int blocks = (n + SkinnyKernels.DOT_ROWS - 1) / SkinnyKernels.DOT_ROWS;
            forUnits(blocks, (long) n * d * kd, (from, to) ->
                    SkinnyKernels.forwardNarrowBlock(xb, wt, bf, o.f, n, d, k, from, to));
            return;
        }
        float[] wp = SkinnyKernels.padWeights(Dense.view(w).f, d, k, SkinnyKernels.scratch(3, d * SkinnyKernels.padded(k)));
        float[] bp = new float[SkinnyKernels.padded(k)];
        if (b != null) {
            Dense.view(b).f.get(0, bp, 0, k);
        }
        Dense dx = Dense.view(x);
        Dense o = Dense.view(out);
        int blocks = (n + SkinnyKernels.ROWS - 1) / SkinnyKernels.ROWS;
        forUnits(blocks, (long) n * d * k, (from, to) ->
                SkinnyKernels.forwardBlock(dx.f, wp, bp, o.f, n, d, k, from, to));
    }

    /** forward in float64: blocks of 8 rows ({@link SkinnyKernelsD#forwardBlock}), W and b padded to whole vectors. */
    private static void forwardD(INDArray x, INDArray w, INDArray b, INDArray out, int n, int d, int k) {
        int p = SkinnyKernelsD.padded(k);
        double[] wp = SkinnyKernelsD.padColumns(Dense.view(w).d, d, k, p, SkinnyKernelsD.scratch(3, d * p));
        double[] bp = new double[p];
        if (b != null) {
            Dense.view(b).d.get(0, bp, 0, k);
        }
        Dense dx = Dense.view(x);
        Dense o = Dense.view(out);
        forUnits((n + SkinnyKernels.ROWS - 1) / SkinnyKernels.ROWS, (long) n * d * k, (from, to) ->
                SkinnyKernelsD.forwardBlock(dx.d, wp, bp, o.d, n, d, k, from, to));
    }

    /** gw = x^T G, x [N, D], G [N, K], gw [D, K]. */
    static void weightGrad(INDArray x, INDArray g, INDArray gw) {
        int n = (int) x.size(0);
        int d = (int) x.size(1);
        int k = (int) g.size(1);
        if (x.dataType() == DataType.DOUBLE) {
            weightGradD(x, g, gw, n, d, k);
            return;
        }
        if (wideGrad(k)) {
            int p = SkinnyKernels.tiled(k);
            float[] gp = SkinnyKernels.padGrad(Dense.view(g).f, n, k, p, SkinnyKernels.scratch(4, n * p));
            float[] xs = SkinnyKernels.scratch(3, n * d + 4);
            Dense.view(x).f.get(0, xs, 0, n * d);
            Dense o = Dense.view(gw);
            forUnits((d + 3) / 4, (long) n * d * p, (from, to) ->
                    SkinnyKernels.weightGradWideBlock(xs, gp, o.f, n, d, k, from, to));
            return;
        }
        int kp = (k + SkinnyKernels.OUTS - 1) / SkinnyKernels.OUTS * SkinnyKernels.OUTS;
        float[] gp = SkinnyKernels.padGrad(Dense.view(g).f, n, k, kp, SkinnyKernels.scratch(4, n * kp));
        java.nio.ByteBuffer xb = x.data().asNio();
        Dense o = Dense.view(gw);
        int chunks = (d + SkinnyKernels.L - 1) / SkinnyKernels.L;
        forUnits(chunks, (long) n * d * k, (from, to) ->
                SkinnyKernels.weightGradBlock(xb, gp, o.f, n, d, k, from, to));
    }

    /** weightGrad in float64: the same choice of kernel, with {@link SkinnyKernelsD}'s tiles of 32 outputs. */
    private static void weightGradD(INDArray x, INDArray g, INDArray gw, int n, int d, int k) {
        Dense o = Dense.view(gw);
        int p = SkinnyKernelsD.tiled(k);
        if (wideGrad(k, p)) {
            double[] gp = SkinnyKernelsD.padColumns(Dense.view(g).d, n, k, p, SkinnyKernelsD.scratch(4, n * p));
            double[] xs = SkinnyKernelsD.scratch(3, n * d + 4);
            Dense.view(x).d.get(0, xs, 0, n * d);
            forUnits((d + 3) / 4, (long) n * d * p, (from, to) ->
                    SkinnyKernelsD.weightGradWideBlock(xs, gp, o.d, n, d, k, from, to));
            return;
        }
        int kp = (k + SkinnyKernels.OUTS - 1) / SkinnyKernels.OUTS * SkinnyKernels.OUTS;
        double[] gp = SkinnyKernelsD.padColumns(Dense.view(g).d, n, k, kp, SkinnyKernelsD.scratch(4, n * kp));
        java.nio.ByteBuffer xb = x.data().asNio();
        forUnits((d + SkinnyKernelsD.L - 1) / SkinnyKernelsD.L, (long) n * d * k, (from, to) ->
                SkinnyKernelsD.weightGradBlock(xb, gp, o.d, n, d, k, from, to));
    }

    /** gx = G W^T, G [N, K], W [D, K], gx [N, D]. */
    static void inputGrad(INDArray g, INDArray w, INDArray gx) {
        int n = (int) g.size(0);
        int k = (int) g.size(1);
        int d = (int) w.size(0);
        if (g.dataType() == DataType.DOUBLE) {
            inputGradD(g, w, gx, n, d, k);
            return;
        }
        Dense dg = Dense.view(g);
        Dense o = Dense.view(gx);
        if (k > MAX_K_INPUT_GRAD) {
            int p = SkinnyKernels.tiled(d);
            float[] wtp = SkinnyKernels.transposeWeights(Dense.view(w).f, d, k, k, p, SkinnyKernels.scratch(5, k * p));
            float[] gs = SkinnyKernels.scratch(4, (n + 3) * k);
            dg.f.get(0, gs, 0, n * k);
            forUnits((n + 3) / 4, (long) n * p * k, (from, to) ->
                    SkinnyKernels.inputGradWideBlock(gs, wtp, o.f, n, d, k, from, to));
            return;
        }
        float[] wt = SkinnyKernels.transposeWeights(Dense.view(w).f, d, k, k, d, SkinnyKernels.scratch(5, d * k));
        forUnits(n, (long) n * d * k, (from, to) -> SkinnyKernels.inputGradBlock(dg.f, wt, o.f, d, k, from, to));
    }

    /**
     * inputGrad in float64: always the tiles over four rows of G ({@link SkinnyKernelsD#inputGradWideBlock}).
     * The row loop that float32 runs up to {@link #MAX_K_INPUT_GRAD} streams all of W^T per row of G,
     * which in float64 is twice the bytes (62 KB at 784 x 10, past L1): on one core the tiles took
     * 84 against 118 us at 128 x 784 x 10, 13 against 19 at 128 x 128 x 10, 2.7 against 3.4 at 32 x 64 x 10
     * (BENCHMARKS.md, issue 14, float64 products).
     */
    private static void inputGradD(INDArray g, INDArray w, INDArray gx, int n, int d, int k) {
        int p = SkinnyKernelsD.tiled(d);
        double[] wtp = SkinnyKernelsD.transposeWeights(Dense.view(w).d, d, k, p, SkinnyKernelsD.scratch(5, k * p));
        double[] gs = SkinnyKernelsD.scratch(4, (n + 3) * k);
        Dense.view(g).d.get(0, gs, 0, n * k);
        Dense o = Dense.view(gx);
        forUnits((n + 3) / 4, (long) n * p * k, (from, to) ->
                SkinnyKernelsD.inputGradWideBlock(gs, wtp, o.d, n, d, k, from, to));
    }

    /**
     * Runs body over the units [0, units) of a product of {@code work} multiply-adds: on the calling
     * thread below {@link #PARALLEL_MIN}, else in {@link Parallel} chunks of about {@link #CHUNK_WORK}
     * multiply-adds (whole units), which depend on the shape alone.
     */
    static void forUnits(int units, long work, Parallel.ChunkBody body) {
        if (work < PARALLEL_MIN || units <= 1) {
            body.run(0, units);
            return;
        }
        long perUnit = Math.max(1, work / units);
        int chunk = (int) Math.max(1, Math.min(units, CHUNK_WORK / perUnit));
        Parallel.forChunks(units, chunk, body);
    }
}
