package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Loss values and gradients are the same bits whatever the worker count: chunk boundaries come from
 * the shape alone and partial sums are added in chunk order ({@link Parallel}).
 */
class ReproducibleTest {

    static final int N = 4096;
    static final int K = 256;

    /** Loss bits and gradient bits of f on a fresh copy of z, with w workers. */
    static long[] run(INDArray z, Function<Tensor, Tensor> f, int w) {
        long[][] out = new long[1][];
        Parallel.withWorkers(w, () -> {
            Tensor t = Tensor.parameter(z.dup());
            Tensor loss = f.apply(t);
            loss.backward();
            double[] g = t.grad().data().asDouble();
            long[] bits = new long[g.length + 1];
            bits[0] = Double.doubleToRawLongBits(loss.value().getDouble(0));
            for (int i = 0; i < g.length; i++) {
                bits[i + 1] = Double.doubleToRawLongBits(g[i]);
            }
            out[0] = bits;
        });
        return out[0];
    }

    static void assertSameBitsOnAnyWorkerCount(String name, INDArray z, Function<Tensor, Tensor> f) {
        long[] one = run(z, f, 1);
        for (int w : new int[] {2, 8}) {
            long[] many = run(z, f, w);
            assertEquals(one[0], many[0], name + ": loss bits with 1 vs " + w + " workers ("
                    + Double.longBitsToDouble(one[0]) + " vs " + Double.longBitsToDouble(many[0]) + ")");
            assertArrayEquals(one, many, name + ": gradient bits with 1 vs " + w + " workers");
        }
        // the same call repeated on many workers: no run-to-run variation either
        for (int rep = 0; rep < 3; rep++) {
            assertEquals(one[0], run(z, f, 8)[0], name + ": repeated call with 8 workers");
        }
    }

    @Test
    void lossesAreTheSameBitsOnOneTwoAndEightWorkers() {
        assertTrue(Parallel.chunks(N, Rows.chunkRows(K)) > 8, "the problem spans more chunks than workers");
        INDArray z = TestArrays.uniform(7, -30, 30, DataType.DOUBLE, N, K);
        INDArray teacher = TestArrays.uniform(8, -30, 30, DataType.DOUBLE, N, K);
        int[] y = LossesGradCheckTest.labels(N, K, 9);
        assertSameBitsOnAnyWorkerCount("crossEntropy", z, t -> Losses.crossEntropy(t, y));
        assertSameBitsOnAnyWorkerCount("labelSmoothing", z, t -> Losses.labelSmoothing(t, y, 0.1));
        assertSameBitsOnAnyWorkerCount("distill", z, t -> Losses.distill(t, teacher, 2.0, y, 0.5));
        INDArray q = Losses.softmax(Tensor.constant(teacher), 1.0).value();
        assertSameBitsOnAnyWorkerCount("crossEntropy(probabilities)", z,
                t -> Losses.crossEntropy(t, q, SoftmaxCrossEntropy.Options.DEFAULT));
        assertSameBitsOnAnyWorkerCount("zLoss", z, t -> Losses.zLoss(t, 1e-3));
        assertSameBitsOnAnyWorkerCount("logSumExp", z, t -> Losses.logSumExp(t, 0.5).sum());
    }

    @Test
    void float32LossesAreTheSameBitsOnOneTwoAndEightWorkers() {
        INDArray z = TestArrays.uniform(10, -30, 30, DataType.FLOAT, N, K);
        int[] y = LossesGradCheckTest.labels(N, K, 11);
        assertSameBitsOnAnyWorkerCount("crossEntropy float32", z, t -> Losses.crossEntropy(t, y));
    }

    @Test
    void workerCountIsRestoredAndValidated() {
        int before = Parallel.workers();
        Parallel.withWorkers(3, () -> assertEquals(3, Parallel.workers()));
        assertEquals(before, Parallel.workers());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Parallel.withWorkers(0, () -> { }));
        assertTrue(e.getMessage().contains("w must be >= 1, got 0"), e.getMessage());
        // chunk sums are added in chunk order: a sum whose order matters gives the sequential answer
        double[] v = new double[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 3 == 0 ? 1e16 : 1.0) * (i % 2 == 0 ? 1 : -1) + i * 1e-3;
        }
        double sequential = 0;
        for (int c = 0; c < v.length; c += 7) {
            double part = 0;
            for (int i = c; i < Math.min(v.length, c + 7); i++) {
                part += v[i];
            }
            sequential += part;
        }
        double expected = sequential;
        for (int w : new int[] {1, 2, 8}) {
            Parallel.withWorkers(w, () -> assertEquals(expected, Parallel.sum(v.length, 7, (from, to) -> {
                double part = 0;
                for (int i = from; i < to; i++) {
                    part += v[i];
                }
                return part;
            }), 0.0, "chunk-order sum with " + w + " workers"));
        }
    }
}
