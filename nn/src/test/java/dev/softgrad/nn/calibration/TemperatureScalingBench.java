package dev.softgrad.nn.calibration;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Times the temperature fit, softmax(z / T) and the 15-bin ECE on seeded float32 logits of a few
 * shapes (warm-up, then the median and p10/p90 of repeated runs). Not a test: run it by hand, see
 * BENCHMARKS.md ("Calibration") for the command.
 *
 * <p>Arguments: seconds per case (default 2).
 */
public final class TemperatureScalingBench {

    private TemperatureScalingBench() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        int[][] shapes = {{1_000, 10}, {10_000, 10}, {10_000, 100}, {10_000, 1_000}};
        System.out.println("| logits [N, K] float32 | fit: median ms (p10-p90), iterations | softmax(z/T) ms | ECE (15 bins) ms |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (int[] s : shapes) {
            int[] labels = new int[s[0]];
            INDArray z = TemperatureScalingTest.randomLogits(s[0], s[1], 4.0, 2.0, 99, labels).castTo(DataType.FLOAT);
            TemperatureScaling.Result r = TemperatureScaling.fit(z, labels);
            double[] fit = time(seconds, () -> TemperatureScaling.fit(z, labels));
            INDArray p = TemperatureScaling.probabilities(z, r.temperature());
            double[] soft = time(seconds, () -> TemperatureScaling.probabilities(z, r.temperature()));
            double[] ece = time(seconds, () -> CalibrationMetrics.ece(p, labels));
            System.out.printf(Locale.ROOT, "| [%d, %d] | %.2f (%.2f-%.2f), %d, T = %.4f | %.2f | %.2f |%n", s[0], s[1],
                    fit[0], fit[1], fit[2], r.iterations(), r.temperature(), soft[0], ece[0]);
        }
    }

    /** Median, p10, p90 in ms of a task run repeatedly for about {@code seconds} after as long a warm-up. */
    static double[] time(double seconds, Runnable task) {
        long warmEnd = System.nanoTime() + (long) (seconds * 0.5e9);
        while (System.nanoTime() < warmEnd) {
            task.run();
        }
        double[] samples = new double[100_000];
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while ((System.nanoTime() < end || n < 5) && n < samples.length) {
            long t0 = System.nanoTime();
            task.run();
            samples[n++] = (System.nanoTime() - t0) / 1e6;
        }
        double[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        return new double[] {sorted[n / 2], sorted[n / 10], sorted[Math.min(n - 1, (9 * n) / 10)]};
    }
}
