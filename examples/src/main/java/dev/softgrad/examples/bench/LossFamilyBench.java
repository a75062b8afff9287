package dev.softgrad.examples.bench;

import dev.softgrad.core.Arena;
import dev.softgrad.core.Losses;
import dev.softgrad.core.SoftmaxCrossEntropy;
import dev.softgrad.core.Tensor;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward + backward into z.grad of every softmax-family loss on the shapes of issue 10, one
 * tab-separated line per case (name, median us, p10, p90), for {@code bench/loss_family.sh}, which
 * runs it interleaved with {@code bench/pytorch/loss_family.py} (the same cases in PyTorch) and
 * tabulates both. Arguments: seconds per case (default 1.5), and {@code cpu} to time the calling
 * thread's CPU time instead of wall time (run it with {@code -Dsoftgrad.threads=1}: on a shared
 * machine the CPU time of one thread is far steadier than the wall clock).
 */
public final class LossFamilyBench {
    private LossFamilyBench() {
    }

    static INDArray uniform(int n, int k, long seed, DataType type, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble(lo, hi);
        }
        return Nd4j.create(a, new long[] {n, k}, DataType.DOUBLE).castTo(type);
    }

    static int[] labels(int n, int k) {
        SplittableRandom r = new SplittableRandom(2);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(k);
        }
        return y;
    }

    interface LossOf {
        Tensor apply(Tensor z);
    }

    static boolean cpu;

    /** Median, p10, p90 of us per call of body: wall time, or with {@link #cpu} this thread's CPU time. */
    static double[] measure(StepBench.Body body, double sec, int inner) {
        if (!cpu) {
            return StepBench.measure(body, sec, inner);
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long warmEnd = mx.getCurrentThreadCpuTime() + (long) (sec * 0.3e9);
        while (mx.getCurrentThreadCpuTime() < warmEnd) {
            body.run();
        }
        java.util.List<Double> samples = new java.util.ArrayList<>();
        long end = mx.getCurrentThreadCpuTime() + (long) (sec * 1e9);
        while (mx.getCurrentThreadCpuTime() < end) {
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < inner; i++) {
                body.run();
            }
            samples.add((mx.getCurrentThreadCpuTime() - t0) / 1e3 / inner);
        }
        java.util.Collections.sort(samples);
        int n = samples.size();
        return new double[] {samples.get(n / 10), samples.get(n / 2), samples.get((n * 9) / 10), n};
    }

    static void time(String name, INDArray z0, LossOf f, double sec) {
        Tensor z = Tensor.parameter(z0);
        Arena arena = new Arena();
        double[] sink = new double[1];
        int inner = z0.length() < 10_000 ? 64 : 1;
        double[] t = measure(() -> {
            try (Arena.Scope s = arena.open()) {
                z.zeroGrad();
                Tensor loss = f.apply(z);
                loss.backward();
                sink[0] += loss.item();
            }
        }, sec, inner);
        if (!Double.isFinite(sink[0])) {
            throw new IllegalStateException(name + ": non-finite loss");
        }
        System.out.printf(Locale.ROOT, "%s\t%.1f\t%.1f\t%.1f%n", name, t[1], t[0], t[2]);
    }

    public static void main(String[] args) {
        double sec = args.length > 0 ? Double.parseDouble(args[0]) : 1.5;
        cpu = args.length > 1 && args[1].equals("cpu");
        int n = 8192;
        int k = 1000;
        INDArray z = uniform(n, k, 1, DataType.FLOAT, -5, 5);
        int[] y = labels(n, k);
        INDArray teacher = uniform(n, k, 3, DataType.FLOAT, -5, 5);
        INDArray q = Losses.softmax(Tensor.constant(teacher), 1.0).value();
        time("CE f32 [8192,1000]", z, t -> Losses.crossEntropy(t, y), sec);
        time("smoothing 0.1 f32 [8192,1000]", z, t -> Losses.labelSmoothing(t, y, 0.1), sec);
        time("prob targets f32 [8192,1000]", z, t -> Losses.crossEntropy(t, q, SoftmaxCrossEntropy.Options.DEFAULT), sec);
        time("distill T=4 a=0.5 f32 [8192,1000]", z, t -> Losses.distill(t, teacher, 4.0, y, 0.5), sec);
        time("CE f64 [8192,1000]", z.castTo(DataType.DOUBLE), t -> Losses.crossEntropy(t, y), sec);
        for (int kk : new int[] {10, 100, 1000, 10000}) {
            int nn = 8_192_000 / kk;
            time("CE f32 sweep [" + nn + "," + kk + "]", uniform(nn, kk, 5, DataType.FLOAT, -5, 5),
                    t -> Losses.crossEntropy(t, labelsOf(nn, kk)), sec);
        }
        time("CE f32 [32,10]", uniform(32, 10, 7, DataType.FLOAT, -5, 5), t -> Losses.crossEntropy(t, labels(32, 10)), sec);
        // the bandwidth floor: the same bytes copied in Java (bulk, one thread)
        if (cpu) {
            return; // the copy is timed on the wall clock only
        }
        double[] c = LossBench.copyRows(z, Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, k}, 'c'), sec, 1);
        System.out.printf(Locale.ROOT, "copy f32 [8192,1000]\t%.1f\t%.1f\t%.1f%n", c[1], c[0], c[2]);
    }

    private static final java.util.Map<Integer, int[]> LABELS = new java.util.HashMap<>();

    static int[] labelsOf(int n, int k) {
        return LABELS.computeIfAbsent(k, kk -> labels(n, kk));
    }
}
