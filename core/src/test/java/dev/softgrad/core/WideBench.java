package dev.softgrad.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Experiment: the MLP's 128x784x128 products, BLAS vs the skinny kernels called directly. */
final class WideBench {
    public static void main(String[] args) {
        int n = 128, d = 784, k = Integer.parseInt(args.length > 0 ? args[0] : "128");
        INDArray x = TestArrays.uniform(1, -1, 1, DataType.FLOAT, n, d);
        INDArray w = TestArrays.uniform(2, -1, 1, DataType.FLOAT, d, k);
        INDArray b = TestArrays.uniform(3, -1, 1, DataType.FLOAT, k);
        INDArray g = TestArrays.uniform(4, -1, 1, DataType.FLOAT, n, k);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, k}, 'c');
        INDArray gw = Nd4j.createUninitialized(DataType.FLOAT, new long[] {d, k}, 'c');
        INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, d}, 'c');
        double flops = 2.0 * n * d * k;
        SkinnyProducts.enabled = false;
        for (int rep = 0; rep < 1; rep++) {
        System.out.println("BLAS affine | " + SkinnyBench.time(() -> MatMulOps.affine(x, w, b, out), flops));
        System.out.println("BLAS x^T G  | " + SkinnyBench.time(() -> MatMulOps.transposedTimes(x, g, gw), flops));
        System.out.println("BLAS G W^T  | " + SkinnyBench.time(() -> MatMulOps.timesTransposed(g, w, gx), flops));
        Parallel.withWorkers(1, () -> {
            System.out.println("kern affine | " + SkinnyBench.time(() -> SkinnyProducts.forward(x, w, b, out), flops));
            System.out.println("kern x^T G  | " + SkinnyBench.time(() -> SkinnyProducts.weightGrad(x, g, gw), flops));
            System.out.println("kern G W^T  | " + SkinnyBench.time(() -> SkinnyProducts.inputGrad(g, w, gx), flops));
        });
        }
    }
}
