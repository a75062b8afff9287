package dev.softgrad.examples.bench;

import dev.softgrad.core.Arena;
import dev.softgrad.core.Functional;
import dev.softgrad.core.Tensor;
import dev.softgrad.nn.Sgd;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A bench main: the cost of single operations and of one full SGD step of a linear softmax
 * classifier (graph, fused linear + cross-entropy, backward, update, zeroing), with warm-up,
 * reporting medians and the 10th/90th percentiles in microseconds as a Markdown table.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests -Pbench} (see BENCHMARKS.md), or
 * with {@code java ... StepBench [seconds-per-case]}.
 */
public final class StepBench {
    private StepBench() {
    }

    interface Body {
        void run();
    }

    /** Runs body repeatedly for about {@code seconds}, in samples of {@code inner} calls, after a warm-up. */
    static double[] measure(Body body, double seconds, int inner) {
        long warmEnd = System.nanoTime() + (long) (seconds * 0.3e9);
        while (System.nanoTime() < warmEnd) {
            body.run();
        }
        double[] samples = new double[200_000];
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end && n < samples.length) {
            long t0 = System.nanoTime();
            for (int i = 0; i < inner; i++) {
                body.run();
            }
            samples[n++] = (System.nanoTime() - t0) / 1e3 / inner;
        }
        double[] s = Arrays.copyOf(samples, n);
        Arrays.sort(s);
        return new double[] {s[n / 10], s[n / 2], s[(n * 9) / 10], n};
    }

    static void row(String name, double[] r) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %d |%n", name, r[1], r[0], r[2], (long) r[3]);
    }

    static INDArray uniform(SplittableRandom rnd, DataType t, long... shape) {
        INDArray a = Nd4j.createUninitialized(t, shape, 'c');
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, rnd.nextDouble(-1, 1));
        }
        return a;
    }

    /** One classifier and its step, preallocated parameters and data. */
    static final class Step implements Body {
        final Tensor x;
        final Tensor w;
        final Tensor b;
        final int[] labels;
        final Sgd sgd;
        final Arena arena;
        double lastLoss;

        Step(int n, int d, int k, long seed, boolean useArena) {
            arena = useArena ? new Arena() : null;
            SplittableRandom rnd = new SplittableRandom(seed);
            x = Tensor.constant(uniform(rnd, DataType.FLOAT, n, d));
            w = Tensor.parameter(uniform(rnd, DataType.FLOAT, d, k).muli(0.01));
            b = Tensor.parameter(Nd4j.zeros(DataType.FLOAT, k));
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = rnd.nextInt(k);
            }
            sgd = new Sgd(List.of(w, b), Sgd.Config.plain(0.01));
        }

        @Override
        public void run() {
            if (arena == null) {
                body();
                return;
            }
            try (Arena.Scope s = arena.open()) {
                body();
            }
        }

        private void body() {
            sgd.zeroGrad();
            Tensor loss = Functional.softmaxCrossEntropy(Functional.linear(x, w, b), labels);
            loss.backward();
            sgd.step();
            lastLoss = loss.item();
        }
    }

    /** Runs every case; the optional argument is the seconds per case (default 3). */
    public static void main(String[] args) {
        double sec = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        SplittableRandom rnd = new SplittableRandom(1);
        INDArray a = uniform(rnd, DataType.FLOAT, 32, 10);
        INDArray bArr = uniform(rnd, DataType.FLOAT, 32, 10);
        Tensor ta = Tensor.parameter(a);
        Tensor tb = Tensor.constant(bArr);
        Tensor ca = Tensor.constant(a);
        System.out.printf(Locale.ROOT, "java %s, %s, %d cores, ND4J %s threads=%s%n", System.getProperty("java.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                Nd4j.getBackend().getClass().getSimpleName(), System.getenv().getOrDefault("OMP_NUM_THREADS", "default"));
        System.out.println("| case (float32) | median us | p10 | p90 | samples |");
        System.out.println("|---|---:|---:|---:|---:|");
        row("ND4J `INDArray.add` [32,10], allocating", measure(() -> a.add(bArr), sec, 16));
        INDArray out = a.dup();
        row("ND4J `INDArray.addi` [32,10], in place", measure(() -> out.addi(bArr), sec, 16));
        row("softgrad `Tensor.add` [32,10], constants (no graph)", measure(() -> ca.add(tb), sec, 16));
        row("softgrad `Tensor.add` [32,10], recorded (graph node)", measure(() -> ta.add(tb), sec, 16));
        Step allocating = new Step(32, 64, 10, 7, false);
        row("SGD step, linear softmax classifier 32x64 -> 10, allocating", measure(allocating, sec, 4));
        Step small = new Step(32, 64, 10, 7, true);
        row("SGD step, linear softmax classifier 32x64 -> 10, in an Arena", measure(small, sec, 4));
        Step large = new Step(128, 784, 10, 8, true);
        row("SGD step, linear softmax classifier 128x784 -> 10, in an Arena", measure(large, sec, 1));
        if (!(Double.isFinite(small.lastLoss) && Double.isFinite(large.lastLoss))) {
            throw new IllegalStateException("non-finite loss in the benchmark");
        }
        // steady state: the same small step over a longer run, first vs last window
        double longSec = args.length > 1 ? Double.parseDouble(args[1]) : 0;
        if (longSec > 0) {
            double[] first = measure(small, 2, 4);
            long end = System.nanoTime() + (long) (longSec * 1e9);
            while (System.nanoTime() < end) {
                small.run();
            }
            double[] last = measure(small, 2, 4);
            row("SGD step 32x64 -> 10, first 2 s window", first);
            row("SGD step 32x64 -> 10, after " + longSec + " s", last);
        }
    }
}
