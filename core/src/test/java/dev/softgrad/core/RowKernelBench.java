package dev.softgrad.core;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * A bench main (not a test): what the row kernels cost per element on a row that sits in the L1
 * cache, this thread's CPU time, no ND4J and no loss around them: the float path's exponentials
 * ({@link VectorKernels#expShiftedF}, which includes its partial sums, and {@link VectorKernels#sumBlocksF}
 * alone), its first-maximum scan ({@link VectorKernels#maxF}, {@link VectorKernels#firstIndexF}), the scalar definitions of both, and
 * the double path's kernels ({@link VectorKernels#expShifted}, {@link VectorKernels#firstMax}). What a
 * loss costs beyond these (the streams, the per-row work, the memory) is the difference from
 * {@code LossFamilyBench}'s figures.
 *
 * <p>Run from the project root after {@code mvn -q -pl core test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp core/target/test-classes:core/target/classes:CP dev.softgrad.core.RowKernelBench [K ...]}
 * (CP: core's runtime class path; the kernels themselves need no ND4J).
 */
final class RowKernelBench {
    private RowKernelBench() {
    }

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /** Median over nine rounds of this thread's CPU ns per element, after a warm-up. */
    static double nsPerElement(Runnable body, int k) {
        int inner = Math.max(1, 20_000_000 / k);
        for (int w = 0; w < 10; w++) {
            for (int i = 0; i < inner; i++) {
                body.run();
            }
        }
        double[] r = new double[9];
        for (int round = 0; round < r.length; round++) {
            long t0 = MX.getCurrentThreadCpuTime();
            for (int i = 0; i < inner; i++) {
                body.run();
            }
            r[round] = (MX.getCurrentThreadCpuTime() - t0) / (double) inner / k;
        }
        Arrays.sort(r);
        return r[r.length / 2];
    }

    public static void main(String[] args) {
        int[] ks = args.length == 0 ? new int[] {100, 1000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.println("| K | kernel | ns per element (thread CPU, median of 9) |");
        System.out.println("| --- | --- | --- |");
        for (int k : ks) {
            int padded = SoftmaxRow.paddedLengthF(k);
            float[] z = new float[padded];
            double[] zd = new double[k];
            Random r = new Random(1);
            for (int j = 0; j < k; j++) {
                z[j] = (float) (3 * r.nextGaussian());
                zd[j] = z[j];
            }
            Arrays.fill(z, k, padded, Float.NEGATIVE_INFINITY);
            float zMax = 20f; // every exponential in the normal range but a few
            float lo = SoftmaxRow.floorArg(zMax, 1.0);
            float[] e = new float[padded];
            double[] partial = new double[SoftmaxRow.PARTIALS_F];
            double[] d = new double[k];
            double[] ed = new double[k];
            double[] partialD = new double[8];
            row(k, "float exponentials + partial sums (vector)", nsPerElement(
                    () -> VectorKernels.expShiftedF(z, zMax, 1f, lo, k, e, partial), k));
            row(k, "float exponentials + partial sums (vector), tau = 0.5", nsPerElement(
                    () -> VectorKernels.expShiftedF(z, zMax, 0.5f, lo, k, e, partial), k));
            row(k, "float partial sums alone (vector)", nsPerElement(
                    () -> VectorKernels.sumBlocksF(e, padded, partial), k));
            row(k, "float first maximum (vector)", nsPerElement(() -> VectorKernels.firstIndexF(z, VectorKernels.maxF(z, k)), k));
            row(k, "float exponentials + partial sums (scalar)", nsPerElement(
                    () -> SoftmaxRow.expShiftedF(z, zMax, 1f, lo, k, e, partial), k));
            row(k, "double exponentials + partial sums (vector)", nsPerElement(
                    () -> VectorKernels.expShifted(zd, 20.0, 1.0, k, d, ed, partialD), k));
            row(k, "double first maximum (vector)", nsPerElement(() -> VectorKernels.firstMax(zd, k), k));
        }
    }

    private static void row(int k, String kernel, double ns) {
        System.out.printf(Locale.ROOT, "| %d | %s | %.3f |%n", k, kernel, ns);
    }
}
