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
 * and GFLOP/s (2 N D K per product). With the argument {@code float32} or {@code float64} [rounds]: the
 * three products of that type on W1, W2, W4 and MLP shapes, kernels and BLAS interleaved on one worker
 * ({@link #interleaved}).
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
            return of(DataType.FLOAT, n, d, k);
        }

        static Operands of(DataType t, int n, int d, int k) {
            return new Operands(TestArrays.uniform(1, -1, 1, t, n, d), TestArrays.uniform(2, -1, 1, t, d, k),
                    TestArrays.uniform(3, -1, 1, t, k), TestArrays.uniform(4, -1, 1, t, n, k),
                    Nd4j.createUninitialized(t, new long[] {n, k}, 'c'), Nd4j.createUninitialized(t, new long[] {d, k}, 'c'));
        }
    }

    /**
     * With an argument {@code float32} or {@code float64}: the three products of that type through the
     * kernels and through BLAS on one worker, interleaved (kernels, BLAS, kernels, ... per round, after
     * warming both up), in thread-CPU microseconds per call, median and min..max over the rounds, and the
     * ratio of the medians. Without: the float32 table of wall and CPU times per path.
     */
    public static void main(String[] args) {
        if (args.length > 0) {
            interleaved(args[0].equals("float64") ? DataType.DOUBLE : DataType.FLOAT, args.length > 1 ? Integer.parseInt(args[1]) : 11);
            return;
        }
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

    static void interleaved(DataType type, int rounds) {
        System.out.println("| " + type + " product | kernels: thread CPU us (min..max) | BLAS | kernels / BLAS |");
        System.out.println("| --- | --- | --- | --- |");
        int[][] shapes = {{128, 784, 10}, {1797, 64, 10}, {32, 64, 10}, {128, 784, 128}, {128, 128, 10}};
        if (System.getProperty("shapes") != null) { // -Dshapes=NxDxK,NxDxK
            shapes = Arrays.stream(System.getProperty("shapes").split(",")).map(
                    t -> Arrays.stream(t.split("x")).mapToInt(Integer::parseInt).toArray()).toArray(int[][]::new);
        }
        int[][] chosen = shapes;
        Parallel.withWorkers(1, () -> {
            for (int[] s : chosen) {
                Operands o = Operands.of(type, s[0], s[1], s[2]);
                INDArray gx = Nd4j.createUninitialized(type, new long[] {s[0], s[1]}, 'c');
                Runnable[] products = {() -> MatMulOps.affine(o.x(), o.w(), o.b(), o.out()),
                    () -> MatMulOps.transposedTimes(o.x(), o.g(), o.gw()), () -> MatMulOps.timesTransposed(o.g(), o.w(), gx)};
                String[] names = {"x W + b", "x^T G", "G W^T"};
                double flops = 2.0 * s[0] * s[1] * s[2];
                int inner = Math.max(1, (int) (4e7 / flops));
                for (int p = 0; p < 3; p++) {
                    double[][] us = new double[2][rounds];
                    for (int r = -3; r < rounds; r++) { // three rounds of warm-up, not recorded
                        for (int path = 0; path < 2; path++) {
                            SkinnyProducts.enabled = path == 0;
                            long c0 = THREADS.getCurrentThreadCpuTime();
                            for (int i = 0; i < (r < 0 ? 20 * inner : inner); i++) {
                                products[p].run();
                            }
                            if (r >= 0) {
                                us[path][r] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e3 / inner;
                            }
                        }
                    }
                    SkinnyProducts.enabled = true;
                    Arrays.sort(us[0]);
                    Arrays.sort(us[1]);
                    int m = rounds / 2;
                    System.out.println(String.format(Locale.ROOT, "| %dx%dx%d %s | %.1f (%.1f..%.1f) | %.1f (%.1f..%.1f) | %.2f |",
                            s[0], s[1], s[2], names[p], us[0][m], us[0][0], us[0][rounds - 1], us[1][m], us[1][0],
                            us[1][rounds - 1], us[0][m] / us[1][m]));
                }
            }
        });
    }
}
