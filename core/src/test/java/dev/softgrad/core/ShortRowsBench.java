package dev.softgrad.core;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A bench main (not a test): mean cross-entropy against labels, forward + backward in an
 * {@link Arena}, on short rows, through the short-row kernel ({@link ShortRows}, vector and scalar
 * forms) and through the row kernel ({@link SoftmaxRow}), on one worker; microseconds per call
 * (wall median and min..max, this thread's CPU median, as {@link SkinnyBench#time}) and ns per
 * element of thread CPU. Also the K = 1000 row-kernel figure the short rows are compared with.
 *
 * <p>Run from the project root after {@code mvn -q -pl core test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp core/target/test-classes:core/target/classes:CP dev.softgrad.core.ShortRowsBench}.
 */
final class ShortRowsBench {
    private ShortRowsBench() {
    }

    public static void main(String[] args) {
        System.out.println("| logits | path | wall us (min..max) | thread CPU us | ns per element (CPU) |");
        System.out.println("| --- | --- | --- | --- | --- |");
        int[][] shapes = {{32, 10}, {1797, 10}, {819200, 10}, {8192, 1000}};
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int[] s : shapes) {
                int n = s[0];
                int k = s[1];
                Tensor z = Tensor.parameter(TestArrays.uniform(7, -3, 3, type, n, k));
                int[] y = new Random(8).ints(n, 0, k).toArray();
                Arena arena = new Arena();
                Runnable call = () -> {
                    try (Arena.Scope scope = arena.open()) {
                        Losses.crossEntropy(z, y).backward();
                    }
                };
                String[] paths = k < 16 ? new String[] {"short rows, vector", "short rows, scalar", "row kernel"}
                        : new String[] {"row kernel"};
                for (String path : paths) {
                    ShortRows.enabled = !path.equals("row kernel");
                    SoftmaxRow.simd = SoftmaxRow.SIMD_AVAILABLE && !path.endsWith("scalar");
                    String[] r = new String[1];
                    // SkinnyBench.time sizes its loop by a flop count: 20 "flops" per element
                    Parallel.withWorkers(1, () -> r[0] = SkinnyBench.time(call, 20.0 * n * k));
                    double cpu = Double.parseDouble(r[0].split("\\|")[1].trim());
                    System.out.printf(java.util.Locale.ROOT, "| %s [%d, %d] | %s | %s | %.2f |%n",
                            type == DataType.FLOAT ? "f32" : "f64", n, k, path,
                            r[0].substring(0, r[0].lastIndexOf('|')).trim(), cpu * 1e3 / ((double) n * k));
                }
                ShortRows.enabled = true;
                SoftmaxRow.simd = SoftmaxRow.SIMD_AVAILABLE;
            }
        }
    }
}
