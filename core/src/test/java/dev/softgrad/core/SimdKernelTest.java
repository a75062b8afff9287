package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.SoftmaxCrossEntropy.Options;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The SIMD float32 cross-entropy path agrees with the scalar double path and refuses the same input. */
class SimdKernelTest {

    private final boolean before = SoftmaxKernels.enabled;

    @AfterEach
    void restore() {
        SoftmaxKernels.enabled = before;
    }

    static INDArray[] run(INDArray z, int[] y, Options o, boolean simd) {
        SoftmaxKernels.enabled = simd;
        Tensor t = Tensor.parameter(z.dup());
        Tensor l = Losses.crossEntropy(t, y, o);
        l.backward(Nd4j.ones(l.dataType(), l.shape()));
        return new INDArray[] {l.value().castTo(DataType.DOUBLE), t.grad().castTo(DataType.DOUBLE)};
    }

    @Test
    void simdAndScalarPathsAgree() {
        Assumptions.assumeTrue(SoftmaxKernels.AVAILABLE,
                "jdk.incubator.vector is not in this JVM (run with --add-modules jdk.incubator.vector)");
        // sizes around the vector width, a large parallel case, extreme rows, ties at the maximum and ignored rows
        int[][] sizes = {{1, 64}, {3, 79}, {5, 80}, {7, 81}, {4, 130}, {300, 1000}};
        SoftmaxKernels.enabled = true;
        SoftTargetKernel.Target labels0 = new SoftTargetKernel.Labels(new int[] {0, 0}, 1.0, Options.DEFAULT);
        Tensor wide = Tensor.constant(TestArrays.uniform(1, -1, 1, DataType.FLOAT, 2, 64));
        Tensor narrow = Tensor.constant(TestArrays.uniform(1, -1, 1, DataType.FLOAT, 2, 63));
        assertTrue(SoftmaxKernels.hardLabels("t", wide, labels0, 1.0, 1.0) != null, "K = 64 takes the SIMD path");
        assertTrue(SoftmaxKernels.hardLabels("t", narrow, labels0, 1.0, 1.0) == null, "K = 63 stays scalar");
        for (int[] nk : sizes) {
            int n = nk[0];
            int k = nk[1];
            INDArray z = TestArrays.uniform(n * 31L + k, -20, 20, DataType.FLOAT, n, k);
            z.putScalar(0, 0, 88.7f);
            if (k > 2) {
                z.putScalar(0, 1, 88.7f); // a tie at the maximum
                z.putScalar(n - 1, k - 1, -3e38f);
            }
            int[] y = LossesGradCheckTest.labels(n, k, k);
            if (n > 2) {
                y[1] = -100;
            }
            for (Options o : new Options[] {Options.DEFAULT, Options.DEFAULT.withClassWeights(weights(k)),
                Options.DEFAULT.withReduction(SoftmaxCrossEntropy.Reduction.NONE)}) {
                INDArray[] a = run(z, y, o, true);
                INDArray[] b = run(z, y, o, false);
                double lossErr = a[0].sub(b[0]).amaxNumber().doubleValue();
                double gradErr = a[1].sub(b[1]).amaxNumber().doubleValue();
                assertTrue(lossErr <= 1e-5 * Math.max(1, b[0].amaxNumber().doubleValue()), n + "x" + k + " loss " + lossErr);
                assertTrue(gradErr <= 1e-6, n + "x" + k + " gradient " + gradErr);
            }
        }
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
        Assumptions.assumeTrue(SoftmaxKernels.AVAILABLE, "jdk.incubator.vector is not in this JVM");
        SoftmaxKernels.enabled = true;
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

    /** Trains a float32 linear softmax classifier with 100 classes (the SIMD path) and returns its weights. */
    static float[] train(int steps) {
        INDArray x = TestArrays.uniform(5, -1, 1, DataType.FLOAT, 64, 20);
        int[] y = LossesGradCheckTest.labels(64, 100, 9);
        Tensor w = Tensor.parameter(org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 20, 100));
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
        Assumptions.assumeTrue(SoftmaxKernels.AVAILABLE, "jdk.incubator.vector is not in this JVM");
        SoftmaxKernels.enabled = true;
        float[] first = train(40);
        for (int run = 0; run < 40; run++) {
            assertTrue(java.util.Arrays.equals(first, train(40)), "run " + run + " differs from the first");
        }
    }
}
