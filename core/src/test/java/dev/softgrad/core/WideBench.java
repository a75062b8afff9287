package dev.softgrad.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A bench main (not a test): the hidden layer's products of the MLP workload (BENCHMARKS.md),
 * 128 x 784 x K (K = 128 by default, the first argument), through BLAS ({@code cblas_sgemm}, as many
 * threads as {@code -Dsoftgrad.blasThreads}) and through the skinny kernels on one worker, called
 * directly whatever K; printed as {@link SkinnyBench} prints (wall us, thread CPU us, GFLOP/s).
 *
 * <p>Run from the project root after {@code mvn -q -pl core test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp core/target/test-classes:core/target/classes:CP dev.softgrad.core.WideBench 128}.
 */
final class WideBench {
    private WideBench() {
    }

    public static void main(String[] args) {
        int n = 128;
        int d = 784;
        int k = Integer.parseInt(args.length > 0 ? args[0] : "128");
        SkinnyBench.Operands o = SkinnyBench.Operands.of(n, d, k);
        INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, d}, 'c');
        double flops = 2.0 * n * d * k;
        SkinnyProducts.enabled = false;
        System.out.println("BLAS x W + b | " + SkinnyBench.time(() -> MatMulOps.affine(o.x(), o.w(), o.b(), o.out()), flops));
        System.out.println("BLAS x^T G   | " + SkinnyBench.time(() -> MatMulOps.transposedTimes(o.x(), o.g(), o.gw()), flops));
        System.out.println("BLAS G W^T   | " + SkinnyBench.time(() -> MatMulOps.timesTransposed(o.g(), o.w(), gx), flops));
        Parallel.withWorkers(1, () -> {
            System.out.println("kernels x W + b | " + SkinnyBench.time(() -> SkinnyProducts.forward(o.x(), o.w(), o.b(), o.out()), flops));
            System.out.println("kernels x^T G   | " + SkinnyBench.time(() -> SkinnyProducts.weightGrad(o.x(), o.g(), o.gw()), flops));
            System.out.println("kernels G W^T   | " + SkinnyBench.time(() -> SkinnyProducts.inputGrad(o.g(), o.w(), gx), flops));
        });
    }
}
