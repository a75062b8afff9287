package dev.softgrad.core;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A bench main (not a test): the thin products of W1, W2 and W4 (BENCHMARKS.md) through the skinny
 * kernels on one worker, on all workers, and through BLAS ({@code cblas_sgemm}, one thread), in
 * microseconds per call (wall and this thread's CPU, median and min..max of 15 samples after warm-up)
 * and GFLOP/s (2 N D K per product).
 *
 * <p>Run from the project root after {@code mvn -q -pl core test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp core/target/test-classes:core/target/classes:CP dev.softgrad.core.SkinnyBench}.
 */
final class SkinnyBench {
    private SkinnyBench() {
    }

    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static String time(Runnable body, double flops) {
        int inner = Math.max(1, (int) (2e7 / flops));
        for (int i = 0; i < 30 * inner; i++) {
            body.run();
        }
        double[] wall = new double[15];
        double[] cpu = new double[15];
        for (int r = 0; r < wall.length; r++) {
            long w0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < inner; i++) {
                body.run();
            }
            wall[r] = (System.nanoTime() - w0) / 1e3 / inner;
            cpu[r] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e3 / inner;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return String.format(Locale.ROOT, "%.1f (%.1f..%.1f) | %.1f | %.1f", wall[7], wall[0], wall[14], cpu[7],
                flops / wall[7] / 1e3);
    }

    /** Seeded float32 operands of an [n, d] x [d, k] product and its outputs: x, w, b, upstream g, out, gw. */
    record Operands(INDArray x, INDArray w, INDArray b, INDArray g, INDArray out, INDArray gw) {
        static Operands of(int n, int d, int k) {
            return new Operands(TestArrays.uniform(1, -1, 1, DataType.FLOAT, n, d),
                    TestArrays.uniform(2, -1, 1, DataType.FLOAT, d, k), TestArrays.uniform(3, -1, 1, DataType.FLOAT, k),
                    TestArrays.uniform(4, -1, 1, DataType.FLOAT, n, k),
                    Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, k}, 'c'),
                    Nd4j.createUninitialized(DataType.FLOAT, new long[] {d, k}, 'c'));
        }
    }

    public static void main(String[] args) {
        System.out.println("| product | path | wall us (min..max) | thread CPU us | GFLOP/s (wall) |");
        System.out.println("| --- | --- | --- | --- | --- |");
        int[][] shapes = {{32, 64, 10}, {128, 784, 10}, {1797, 64, 10}};
        for (int[] s : shapes) {
            int n = s[0];
            int d = s[1];
            int k = s[2];
            Operands o = Operands.of(n, d, k);
            INDArray x = o.x();
            INDArray w = o.w();
            INDArray b = o.b();
            INDArray g = o.g();
            INDArray out = o.out();
            INDArray gw = o.gw();
            double flops = 2.0 * n * d * k;
            String name = n + "x" + d + "x" + k;
            for (String path : new String[] {"kernels, 1 worker", "kernels, " + Parallel.DEFAULT_WORKERS + " workers", "BLAS"}) {
                SkinnyProducts.enabled = !path.equals("BLAS");
                int workers = path.contains("1 worker") ? 1 : Parallel.DEFAULT_WORKERS;
                String[] r = new String[2];
                Parallel.withWorkers(workers, () -> {
                    r[0] = time(() -> MatMulOps.affine(x, w, b, out), flops);
                    r[1] = time(() -> MatMulOps.transposedTimes(x, g, gw), flops);
                });
                System.out.println("| " + name + " x W + b | " + path + " | " + r[0] + " |");
                System.out.println("| " + name + " x^T G | " + path + " | " + r[1] + " |");
            }
        }
    }
}
