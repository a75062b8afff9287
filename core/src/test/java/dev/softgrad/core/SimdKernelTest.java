package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.SoftmaxCrossEntropy.Options;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SIMD row kernel and the scalar one give the same bits on every node, type, temperature and
 * row length, and refuse the same input with the same message.
 */
class SimdKernelTest {

    private final boolean before = SoftmaxRow.simd;

    @AfterEach
    void restore() {
        SoftmaxRow.simd = before;
    }

    /** Loss and gradient of f on a fresh copy of z, as raw bits, with the SIMD kernel on or off. */
    static long[] bits(INDArray z, Function<Tensor, Tensor> f, boolean simd) {
        SoftmaxRow.simd = simd;
        Tensor t = Tensor.parameter(z.dup());
        Tensor l = f.apply(t);
        l.backward(Nd4j.ones(l.dataType(), l.shape()));
        double[] v = l.value().data().asDouble();
        double[] g = t.grad().data().asDouble();
        long[] out = new long[v.length + g.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Double.doubleToRawLongBits(v[i]);
        }
        for (int i = 0; i < g.length; i++) {
            out[v.length + i] = Double.doubleToRawLongBits(g[i]);
        }
        return out;
    }

    /** The message of the exception f throws on z, or "no exception". */
    static String failure(INDArray z, Function<Tensor, Tensor> f, boolean simd) {
        SoftmaxRow.simd = simd;
        try {
            f.apply(Tensor.parameter(z.dup()));
            return "no exception";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    static Map<String, Function<Tensor, Tensor>> nodes(int n, int k, INDArray teacher, double tau) {
        int[] y = LossesGradCheckTest.labels(n, k, n * 7L + k);
        if (n > 2) {
            y[1] = -100;
        }
        INDArray q = LossesGradCheckTest.distributions(n, k, k).castTo(teacher.dataType());
        Options o = Options.DEFAULT.withTemperature(tau);
        Map<String, Function<Tensor, Tensor>> m = new LinkedHashMap<>();
        m.put("crossEntropy", t -> Losses.crossEntropy(t, y, o));
        m.put("crossEntropy weighted NONE", t -> Losses.crossEntropy(t, y,
                o.withClassWeights(weights(k)).withReduction(SoftmaxCrossEntropy.Reduction.NONE)));
        m.put("crossEntropy probabilities", t -> Losses.crossEntropy(t, q, o));
        m.put("labelSmoothing", t -> Losses.labelSmoothing(t, y, 0.1, LabelSmoothing.Mode.UNIFORM, o));
        m.put("distill", t -> Losses.distill(t, teacher, tau, y, 0.3));
        m.put("zLoss", t -> Losses.zLoss(t, 0.01));
        m.put("softmax", t -> Losses.softmax(t, tau));
        m.put("logSoftmax", t -> Losses.logSoftmax(t, tau));
        m.put("logSumExp", t -> Losses.logSumExp(t, tau));
        return m;
    }

    @Test
    void simdAndScalarKernelsGiveTheSameBitsEverywhere() {
        Assumptions.assumeTrue(SoftmaxRow.SIMD_AVAILABLE,
                "jdk.incubator.vector is not in this JVM (run with --add-modules jdk.incubator.vector)");
        // row lengths around the vector width and the block of eight, a wide row, extreme values and ties
        int[][] sizes = {{3, 1}, {4, 7}, {5, 8}, {3, 9}, {6, 10}, {2, 15}, {3, 16}, {4, 17}, {2, 63}, {3, 64},
            {2, 100}, {40, 1000}};
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int[] nk : sizes) {
                int n = nk[0];
                int k = nk[1];
                INDArray z = TestArrays.uniform(n * 31L + k, -20, 20, type, n, k);
                z.putScalar(0, 0, 88.7);
                if (k > 2) {
                    z.putScalar(0, 1, 88.7); // a tie at the maximum
                    z.putScalar(n - 1, k - 1, -3e38);
                }
                INDArray teacher = TestArrays.uniform(n * 37L + k, -5, 5, type, n, k);
                for (double tau : new double[] {1.0, 0.3, 7.0}) {
                    for (Map.Entry<String, Function<Tensor, Tensor>> e : nodes(n, k, teacher, tau).entrySet()) {
                        long[] simd = bits(z, e.getValue(), true);
                        long[] scalar = bits(z, e.getValue(), false);
                        assertArrayEquals(scalar, simd, e.getKey() + " " + type + " " + n + "x" + k + " tau=" + tau);
                    }
                }
            }
        }
    }

    @Test
    void simdAndScalarKernelsRefuseTheSameInputWithTheSameMessage() {
        Assumptions.assumeTrue(SoftmaxRow.SIMD_AVAILABLE, "jdk.incubator.vector is not in this JVM");
        int n = 3;
        int k = 70;
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray teacher = TestArrays.uniform(3, -5, 5, type, n, k);
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
                INDArray z = TestArrays.uniform(4, -5, 5, type, n, k);
                z.putScalar(1, 23, bad); // row 1 is ignored by the label-based nodes: still refused
                for (Map.Entry<String, Function<Tensor, Tensor>> e : nodes(n, k, teacher, 1.0).entrySet()) {
                    String simd = failure(z, e.getValue(), true);
                    assertEquals(failure(z, e.getValue(), false), simd, e.getKey() + " " + type);
                    assertTrue(simd.contains("[1, 23] = " + (bad != bad ? "NaN" : "Infinity")),
                            e.getKey() + " " + type + ": " + simd);
                }
            }
        }
    }

    /**
     * The streamed float path (the kernel copying the next row in and writing the last gradient row
     * out as it computes, {@code SoftmaxRow.load} with a next row) gives the scalar path's bits over
     * several chunks of rows on 1 and 8 workers, with rows that leave the stream in between:
     * ignored rows at a chunk's edges, an ignored row whose every logit is -inf, a row too large for
     * the float path (it takes the double path), a row of one repeated value (distillation streams
     * its teacher's and its student's rows); and again after a call
     * that failed half-way through a chunk on the same thread (its row buffers are reused). The same
     * for float64 arrays, whose rows stream through the double kernel.
     */
    @Test
    void streamedRowsGiveTheScalarBitsAcrossChunksAndWorkers() {
        Assumptions.assumeTrue(SoftmaxRow.SIMD_AVAILABLE, "jdk.incubator.vector is not in this JVM");
        // chunks of 65 rows at K = 1000 (not a whole number of blocks of sixteen), 655 at K = 100: rows 64
        // and 65 straddle the first edge at K = 1000
        int[][] sizes = {{150, 1000}, {700, 100}, {300, 203}};
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int[] nk : sizes) {
                int n = nk[0];
                int k = nk[1];
                INDArray dense = floats(n * 13L + k, -20, 20, n, k).castTo(type);
                dense.putScalar(5, 2, 1e12); // |max z| above 2^31: the double path, between streamed rows
                for (int j = 0; j < k; j++) {
                    dense.putScalar(6, j, 0.5);
                }
                INDArray labelled = dense.dup();
                for (int j = 0; j < k; j++) {
                    labelled.putScalar(3, j, Double.NEGATIVE_INFINITY); // ignored below, so allowed
                }
                int[] y = LossesGradCheckTest.labels(n, k, n + k);
                for (int i : new int[] {3, 64, 65, n - 1}) {
                    y[i] = -100;
                }
                INDArray q = LossesGradCheckTest.distributions(n, k, 3).castTo(type);
                Map<String, Function<Tensor, Tensor>> labels = new LinkedHashMap<>();
                labels.put("crossEntropy", t -> Losses.crossEntropy(t, y));
                labels.put("crossEntropy weighted NONE tau=2", t -> Losses.crossEntropy(t, y, Options.DEFAULT
                        .withTemperature(2.0).withClassWeights(weights(k)).withReduction(SoftmaxCrossEntropy.Reduction.NONE)));
                labels.put("labelSmoothing", t -> Losses.labelSmoothing(t, y, 0.1));
                Map<String, Function<Tensor, Tensor>> targets = new LinkedHashMap<>();
                targets.put("crossEntropy probabilities", t -> Losses.crossEntropy(t, q, Options.DEFAULT));
                INDArray teacher = floats(n * 17L + k, -5, 5, n, k).castTo(type);
                targets.put("distill T=2", t -> Losses.distill(t, teacher, 2.0, y, 0.3));
                for (boolean hard : new boolean[] {true, false}) {
                    INDArray z = hard ? labelled : dense;
                    for (Map.Entry<String, Function<Tensor, Tensor>> e : (hard ? labels : targets).entrySet()) {
                        long[] scalar = bits(z, e.getValue(), false);
                        for (int workers : new int[] {1, 8}) {
                            Parallel.withWorkers(workers, () -> assertArrayEquals(scalar, bits(z, e.getValue(), true),
                                    e.getKey() + " " + type + " " + n + "x" + k + " on " + workers + " workers"));
                        }
                        INDArray broken = z.dup();
                        broken.putScalar(40, 7, Double.NaN);
                        Parallel.withWorkers(1, () -> assertTrue(failure(broken, e.getValue(), true).contains("[40, 7] = NaN")));
                        Parallel.withWorkers(1, () -> assertArrayEquals(scalar, bits(z, e.getValue(), true),
                                e.getKey() + " " + n + "x" + k + " after a failed call"));
                    }
                }
                // a bad target row in the middle of a chunk, read from the stream: the same message
                INDArray badQ = q.dup();
                badQ.putScalar(40, 7, -0.5);
                Function<Tensor, Tensor> bad = t -> Losses.crossEntropy(t, badQ, Options.DEFAULT);
                String streamed = failure(dense, bad, true);
                assertEquals(failure(dense, bad, false), streamed);
                assertTrue(streamed.contains("targets[40, 7] = -0.5"), streamed);
            }
        }
    }

    /**
     * Label smoothing fills its target row once per chunk of rows where it is the same for every row:
     * each row's loss and gradient on a batch of 130 rows (one chunk) are the bits of that row alone
     * (a chunk of one row, filled for it), in every mode, with class weights, float32 and float64, SIMD
     * and scalar (and a row with masked classes among them where the mode allows them).
     */
    @Test
    void smoothingRowsInABatchGiveTheBitsOfEachRowAlone() {
        int n = 130;
        int k = 40;
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray plain = TestArrays.uniform(7, -8, 8, type, n, k);
            INDArray masked = plain.dup(); // masked classes: only UNIFORM_UNMASKED takes them (a row's own spread)
            masked.putScalar(7, 3, Double.NEGATIVE_INFINITY);
            masked.putScalar(7, 5, Double.NEGATIVE_INFINITY);
            int[] y = LossesGradCheckTest.labels(n, k, 11);
            y[7] = 0;
            y[20] = -100;
            Options o = Options.DEFAULT.withClassWeights(weights(k)).withReduction(SoftmaxCrossEntropy.Reduction.NONE);
            for (LabelSmoothing.Mode mode : LabelSmoothing.Mode.values()) {
                INDArray z = mode == LabelSmoothing.Mode.UNIFORM_UNMASKED ? masked : plain;
                for (boolean simd : SoftmaxRow.SIMD_AVAILABLE ? new boolean[] {true, false} : new boolean[] {false}) {
                    long[] batch = bits(z, t -> Losses.labelSmoothing(t, y, 0.2, mode, o), simd);
                    for (int i = 0; i < n; i++) {
                        INDArray zi = z.getRow(i, true).dup('c');
                        int[] yi = {y[i]};
                        long[] alone = bits(zi, t -> Losses.labelSmoothing(t, yi, 0.2, mode, o), simd);
                        assertEquals(alone[0], batch[i], mode + " " + type + " loss of row " + i);
                        assertArrayEquals(java.util.Arrays.copyOfRange(alone, 1, 1 + k),
                                java.util.Arrays.copyOfRange(batch, n + i * k, n + (i + 1) * k),
                                mode + " " + type + " gradient of row " + i);
                    }
                }
            }
        }
    }

    /** checkDistribution's outcome on row q: "ok" or the message. */
    static String distributionCheck(double[] q, boolean simd) {
        SoftmaxRow.simd = simd;
        try {
            SoftmaxCrossEntropy.checkDistribution("op", "targets", 0, q, q.length);
            return "ok";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * The vector quick accept of a target row gives the exact check's decision and message on rows
     * just inside and just outside the 1e-6 tolerance, and on rows with a negative, NaN or +inf entry.
     */
    @Test
    void targetRowCheckDecidesAlikeWithTheVectorQuickAccept() {
        Assumptions.assumeTrue(SoftmaxRow.SIMD_AVAILABLE, "jdk.incubator.vector is not in this JVM");
        int k = 1000;
        for (double excess : new double[] {0, 0.5e-6, 0.989e-6, 0.995e-6, 1.005e-6, 2e-6, -0.995e-6, -1.005e-6}) {
            double[] q = new double[k];
            java.util.Arrays.fill(q, 1.0 / k);
            q[3] += excess;
            String simd = distributionCheck(q, true);
            assertEquals(distributionCheck(q, false), simd, "excess " + excess);
            assertEquals(Math.abs(excess) < 1e-6, simd.equals("ok"), "excess " + excess + ": " + simd);
        }
        for (double bad : new double[] {-1e-300, Double.NaN, Double.POSITIVE_INFINITY}) {
            double[] q = new double[k];
            java.util.Arrays.fill(q, 1.0 / k);
            q[517] = bad;
            String simd = distributionCheck(q, true);
            assertEquals(distributionCheck(q, false), simd);
            assertTrue(simd.contains("targets[0, 517]"), simd);
        }
    }

    /**
     * The float path's vector maximum ({@link VectorKernels#maxF}) is Math.max's over the row, NaN
     * where a NaN is anywhere, and the first index equal to it is the scalar scan's, on
     * rows mixing signed zeros, ties, -inf, +inf, NaN (positive and negative bit patterns) and
     * subnormals, run often enough that the JIT compiles both kernels.
     */
    @Test
    void vectorMaximumAndFirstIndexAreTheScalarScans() {
        Assumptions.assumeTrue(SoftmaxRow.SIMD_AVAILABLE && VectorKernels.FLOAT_LANES,
                "jdk.incubator.vector is not in this JVM, or no sixteen float lanes");
        float[] pool = {0f, -0f, 1f, -1f, 3.5f, -3.5f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.NEGATIVE_INFINITY, 1e-40f, -2e-39f};
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int it = 0; it < 60_000; it++) {
            int k = 16 + r.nextInt(120);
            float[] z = new float[SoftmaxRow.paddedLengthF(k)];
            for (int j = 0; j < k; j++) {
                z[j] = r.nextInt(3) == 0 ? pool[r.nextInt(pool.length)] : (float) r.nextGaussian();
            }
            java.util.Arrays.fill(z, k, z.length, Float.NEGATIVE_INFINITY);
            int special = r.nextInt(6);
            if (special == 1) {
                z[r.nextInt(k)] = Float.NaN;
            } else if (special == 2) {
                z[r.nextInt(k)] = Float.intBitsToFloat(0xffc00001); // a NaN with its sign bit set
            } else if (special == 3) {
                z[r.nextInt(k)] = Float.POSITIVE_INFINITY;
            } else if (special == 4) {
                java.util.Arrays.fill(z, 0, k, Float.NEGATIVE_INFINITY);
            }
            float expected = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                expected = Math.max(expected, z[j]);
            }
            float max = VectorKernels.maxF(z, k);
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(max), "row " + it + ", k = " + k);
            if (Float.isFinite(max)) {
                assertEquals(SoftmaxRow.firstMaxScalarF(z, k, "op", "z", 0), VectorKernels.firstIndexF(z, max),
                        "row " + it);
            }
        }
    }

    /** Uniform float32 [n, k] (filled as a Java array: putScalar on 150,000 elements takes seconds). */
    static INDArray floats(long seed, double lo, double hi, int n, int k) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] a = new float[n * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble(lo, hi);
        }
        return Nd4j.create(a, new long[] {n, k}, 'c');
    }

    static double[] weights(int k) {
        double[] w = new double[k];
        for (int j = 0; j < k; j++) {
            w[j] = 1 + (j % 3);
        }
        return w;
    }

    @Test
    void simdPathKeepsTinyLossesAndRefusesBadLogits() {
        Assumptions.assumeTrue(SoftmaxRow.SIMD_AVAILABLE, "jdk.incubator.vector is not in this JVM");
        SoftmaxRow.simd = true;
        double[][] conf = new double[1][64];
        conf[0][0] = 88.8;
        conf[0][1] = 1.0;
        java.util.Arrays.fill(conf[0], 2, 64, -1e4);
        Tensor confident = Tensor.fromRows(conf, DataType.FLOAT);
        double l = Losses.crossEntropy(confident, new int[] {0}).item();
        assertTrue(l > 0 && l < 1e-30, "log1p keeps the 7e-39 loss: " + l);
        float[] row = new float[70];
        row[23] = Float.NaN;
        Tensor bad = Tensor.constant(Nd4j.create(row, new long[] {1, 70}, DataType.FLOAT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(bad, new int[] {0}));
        assertTrue(e.getMessage().contains("logits[0, 23] = NaN"), e.getMessage());
        row[23] = Float.NEGATIVE_INFINITY;
        Tensor masked = Tensor.constant(Nd4j.create(row, new long[] {1, 70}, DataType.FLOAT));
        assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(masked, new int[] {23}));
        assertEquals(Math.log(69), Losses.crossEntropy(masked, new int[] {0}).item(), 1e-6);
    }

    /** Trains a float32 linear softmax classifier with 100 classes (the SIMD kernel) and returns its weights. */
    static float[] train(int steps) {
        return train(steps, 100);
    }

    /** The same with {@code classes} classes (10: the short-row kernel). */
    static float[] train(int steps, int classes) {
        INDArray x = TestArrays.uniform(5, -1, 1, DataType.FLOAT, 64, 20);
        int[] y = LossesGradCheckTest.labels(64, classes, 9);
        Tensor w = Tensor.parameter(org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 20, classes));
        Tensor xt = Tensor.constant(x);
        Arena arena = new Arena();
        for (int s = 0; s < steps; s++) {
            try (Arena.Scope sc = arena.open()) {
                w.zeroGrad();
                Losses.crossEntropy(Functional.linear(xt, w, null), y).backward();
                InPlace.axpy(-0.5, w.grad(), w.value());
            }
        }
        return w.value().data().asFloat();
    }

    @Test
    void simdTrainingRunsAreBitIdenticalBeforeAndAfterJitCompilation() {
        Assumptions.assumeTrue(SoftmaxRow.SIMD_AVAILABLE, "jdk.incubator.vector is not in this JVM");
        SoftmaxRow.simd = true;
        float[] first = train(40);
        for (int run = 0; run < 40; run++) {
            assertTrue(java.util.Arrays.equals(first, train(40)), "run " + run + " differs from the first");
        }
    }
}
