package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training through the float32 kernels ends where float64 training (BLAS) ends: W2 and W4 of
 * BENCHMARKS.md at reduced size (minibatch SGD over Gaussian class clusters; full-batch steps),
 * final mean cross-entropy over the whole set equal to 1e-6.
 */
class SkinnyTrainingTest {

    /** 10 balanced Gaussian clusters: means N(0, 0.1^2) per feature (scaled by spread), rows mean + N(0, 1). */
    static INDArray clusters(int n, int d, double spread, int[] labels, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] means = new double[10][d];
        for (double[] m : means) {
            for (int t = 0; t < d; t++) {
                m[t] = spread * gaussian(r);
            }
        }
        INDArray x = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {n, d}, 'c');
        Dense dx = Dense.view(x);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            for (int t = 0; t < d; t++) {
                dx.set(i * d + t, means[labels[i]][t] + gaussian(r));
            }
        }
        return x;
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Trains W [D, 10], b from zero by SGD over batches of {@code batch} rows for {@code steps} passes; returns the final loss in double. */
    static double train(INDArray xAll, int[] y, DataType type, int batch, int epochs, double lr) {
        int n = (int) xAll.size(0);
        int d = (int) xAll.size(1);
        INDArray x = xAll.castTo(type);
        Tensor w = Tensor.parameter(Nd4j.zeros(type, d, 10));
        Tensor b = Tensor.parameter(Nd4j.zeros(type, 10));
        for (int e = 0; e < epochs; e++) {
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                Tensor xb = Tensor.constant(batch >= n ? x : x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).dup('c'));
                int[] yb = java.util.Arrays.copyOfRange(y, from, to);
                w.zeroGrad();
                b.zeroGrad();
                Functional.softmaxCrossEntropy(Functional.linear(xb, w, b), yb).backward();
                InPlace.axpy(-lr, w.grad(), w.value());
                InPlace.axpy(-lr, b.grad(), b.value());
            }
        }
        Tensor logits = Functional.linear(Tensor.constant(xAll), Tensor.constant(w.value().castTo(DataType.DOUBLE)),
                Tensor.constant(b.value().castTo(DataType.DOUBLE)));
        return Functional.softmaxCrossEntropy(logits, y).item();
    }

    @Test
    void minibatchEpochAgreesWithFloat64() {
        int[] y = new int[1500];
        INDArray x = clusters(1500, 196, 0.1, y, 2026);
        assertTrue(SkinnyProducts.applies(DataType.FLOAT, 10) || !SkinnyProducts.AVAILABLE);
        double f32 = train(x, y, DataType.FLOAT, 128, 1, 0.1);
        double f64 = train(x, y, DataType.DOUBLE, 128, 1, 0.1);
        assertTrue(f64 < Math.log(10), "training lowered the loss below log 10: " + f64);
        assertEquals(f64, f32, 1e-6);
    }

    @Test
    void fullBatchStepsAgreeWithFloat64() {
        int[] y = new int[600];
        INDArray x = clusters(600, 64, 0.5, y, 7);
        double f32 = train(x, y, DataType.FLOAT, 600, 100, 0.5);
        double f64 = train(x, y, DataType.DOUBLE, 600, 100, 0.5);
        assertTrue(f64 < 1.0, "training lowered the loss: " + f64);
        assertEquals(f64, f32, 1e-6);
    }
}
