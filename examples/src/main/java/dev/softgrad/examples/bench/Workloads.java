package dev.softgrad.examples.bench;

import dev.softgrad.core.Arena;
import dev.softgrad.core.Functional;
import dev.softgrad.core.Tensor;
import dev.softgrad.nn.Sgd;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The softgrad side of {@code bench/compare.py}: the workloads W1, W2, W4 and the MLP epoch of
 * BENCHMARKS.md ("Training at the speed of memory"), on data the script wrote (raw little-endian
 * float32 / int32 files, so that PyTorch trains on the same numbers), written the way the README
 * writes a training loop: {@link Functional#linear}, {@link Functional#softmaxCrossEntropy},
 * {@link Sgd}, one {@link Arena} scope per step, the loss read every step. Prints one JSON object
 * per workload with wall and process CPU seconds per sample and the final loss.
 *
 * <p>Run: {@code java ... Workloads DATA_DIR [w1 w2 w4 mlp w1long w1curve mlpcold w1fused w2fused w4fused
 * w1longfused w1curvefused]}; the {@code fused} variants run the same steps through the README's one
 * documented call {@link Functional#linearCrossEntropyGrad} instead of the graph (the same bits).
 */
public final class Workloads {
    private Workloads() {
    }

    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Wall, process CPU and this (the main) thread's CPU time of a stretch of work. On a shared
     * machine the main thread's CPU time is the work itself, without the JIT compiler, GC and, with
     * one worker, any other thread.
     */
    static final class Clock {
        final long wall0 = System.nanoTime();
        final long cpu0 = OS.getProcessCpuTime();
        final long thread0 = THREADS.getCurrentThreadCpuTime();

        double[] stop(double divide) {
            return new double[] {(System.nanoTime() - wall0) / 1e9 / divide, (OS.getProcessCpuTime() - cpu0) / 1e9 / divide,
                (THREADS.getCurrentThreadCpuTime() - thread0) / 1e9 / divide};
        }
    }

    static ByteBuffer read(Path p) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
    }

    static INDArray floats(Path p, long... shape) throws IOException {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        a.data().asNioFloat().put(read(p).asFloatBuffer());
        return a;
    }

    static int[] ints(Path p) throws IOException {
        ByteBuffer b = read(p);
        int[] v = new int[b.remaining() / 4];
        b.asIntBuffer().get(v);
        return v;
    }

    /** The rows rows[from, to) of x copied into batch: a user's gather, timed as part of the epoch. */
    static void gather(FloatBuffer x, int d, int[] rows, int from, int to, FloatBuffer batch) {
        for (int i = from; i < to; i++) {
            batch.put((i - from) * d, x, rows[i] * d, d);
        }
    }

    /**
     * One SGD step of the linear softmax classifier on (x, y); returns the loss. {@code fused}: through
     * the README's one documented call, {@link Functional#linearCrossEntropyGrad} (no graph, no arena;
     * the same bits), else through the graph as the README's autograd loop.
     */
    static double step(Arena arena, Sgd sgd, Tensor x, Tensor w, Tensor b, int[] y, boolean fused) {
        if (fused) {
            sgd.zeroGrad();
            double loss = Functional.linearCrossEntropyGrad(x, w, b, y);
            sgd.step();
            return loss;
        }
        try (Arena.Scope s = arena.open()) {
            Tensor loss = Functional.softmaxCrossEntropy(Functional.linear(x, w, b), y);
            sgd.zeroGrad();
            loss.backward();
            sgd.step();
            return loss.item();
        }
    }

    static Tensor zeros(long... shape) {
        return Tensor.parameter(Nd4j.zeros(DataType.FLOAT, shape));
    }

    /** Mean cross-entropy of x W + b against y over the whole set, in double. */
    static double fullLoss(INDArray x, int[] y, Tensor... layers) {
        Tensor h = Tensor.constant(x.castTo(DataType.DOUBLE));
        for (int l = 0; l < layers.length; l += 2) {
            if (l > 0) {
                h = h.tanh();
            }
            h = Functional.linear(h, layers[l].cast(DataType.DOUBLE).detach(), layers[l + 1].cast(DataType.DOUBLE).detach());
        }
        return Functional.softmaxCrossEntropy(h, y).item();
    }

    static final StringBuilder OUT = new StringBuilder();

    static void emit(String name, String unit, List<double[]> samples, double finalLoss) {
        StringBuilder wall = new StringBuilder();
        StringBuilder cpu = new StringBuilder();
        StringBuilder main = new StringBuilder();
        for (double[] s : samples) {
            wall.append(wall.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", s[0]));
            cpu.append(cpu.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", s[1]));
            main.append(main.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", s[2]));
        }
        System.out.printf(Locale.ROOT, "{\"workload\": \"%s\", \"unit\": \"%s\", \"wall\": [%s], \"cpu\": [%s], \"main_cpu\": [%s], "
                + "\"final_loss\": %.10f}%n", name, unit, wall, cpu, main, finalLoss);
    }

    /** W1: 32x64 -> 10, one batch, 200 + 2,000 warm-up steps, 5 x 2,000 timed (us per step); w1long adds steps to 40,000 and 5 x 2,000 more. */
    static void w1(Path dir, boolean longRun, boolean fused) throws IOException {
        Tensor x = Tensor.constant(floats(dir.resolve("w1_x.f32"), 32, 64));
        int[] y = ints(dir.resolve("w1_y.i32"));
        Tensor w = zeros(64, 10);
        Tensor b = zeros(10);
        Sgd sgd = new Sgd(List.of(w, b), Sgd.Config.plain(0.1));
        Arena arena = new Arena();
        for (int i = 0; i < 2200; i++) {
            step(arena, sgd, x, w, b, y, fused);
        }
        emit(fused ? "W1 fused" : "W1", "us/step", fiveBlocks(() -> step(arena, sgd, x, w, b, y, fused)),
                step(arena, sgd, x, w, b, y, fused));
        if (longRun) {
            for (int i = 12201; i < 40000; i++) {
                step(arena, sgd, x, w, b, y, fused);
            }
            emit(fused ? "W1 fused after 40,000 steps" : "W1 after 40,000 steps", "us/step",
                    fiveBlocks(() -> step(arena, sgd, x, w, b, y, fused)), step(arena, sgd, x, w, b, y, fused));
        }
    }

    /** Five timed blocks of 2,000 steps, us per step. */
    static List<double[]> fiveBlocks(Runnable step) {
        List<double[]> samples = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            Clock c = new Clock();
            for (int i = 0; i < 2000; i++) {
                step.run();
            }
            samples.add(scale(c.stop(2000), 1e6));
        }
        return samples;
    }

    /** W1's first 40,000 steps in blocks of 1,000: wall, process CPU and this thread's CPU, us per step. */
    static void w1Curve(Path dir, boolean fused) throws IOException {
        Tensor x = Tensor.constant(floats(dir.resolve("w1_x.f32"), 32, 64));
        int[] y = ints(dir.resolve("w1_y.i32"));
        Tensor w = zeros(64, 10);
        Tensor b = zeros(10);
        Sgd sgd = new Sgd(List.of(w, b), Sgd.Config.plain(0.1));
        Arena arena = new Arena();
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("steps, wall us/step, process CPU us/step, main thread CPU us/step");
        for (int blk = 0; blk < 40; blk++) {
            Clock c = new Clock();
            long t0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < 1000; i++) {
                step(arena, sgd, x, w, b, y, fused);
            }
            double[] t = scale(c.stop(1000), 1e6);
            System.out.printf(Locale.ROOT, "%d, %.1f, %.1f, %.1f%n", (blk + 1) * 1000, t[0], t[1],
                    (threads.getCurrentThreadCpuTime() - t0) / 1e3 / 1000);
        }
    }

    static double[] scale(double[] v, double f) {
        return new double[] {v[0] * f, v[1] * f, v[2] * f};
    }

    /** W2 (mlp = false) or the MLP epoch: one epoch, batch 128, lr 0.1, rows gathered by the stored permutation. */
    static void epoch(Path dir, boolean mlp, int warmup, int reps, boolean fused) throws IOException {
        int n = 60000;
        int d = 784;
        INDArray xAll = floats(dir.resolve("w2_x.f32"), n, d);
        int[] yAll = ints(dir.resolve("w2_y.i32"));
        int[] perm = ints(dir.resolve("w2_perm.i32"));
        FloatBuffer xs = xAll.data().asNioFloat();
        int batch = 128;
        List<double[]> samples = new ArrayList<>();
        double finalLoss = 0;
        for (int r = -warmup; r < reps; r++) {
            Tensor[] layers = mlp
                    ? new Tensor[] {Tensor.parameter(floats(dir.resolve("mlp_w1.f32"), 784, 128)),
                        Tensor.parameter(floats(dir.resolve("mlp_b1.f32"), 128)),
                        Tensor.parameter(floats(dir.resolve("mlp_w2.f32"), 128, 10)),
                        Tensor.parameter(floats(dir.resolve("mlp_b2.f32"), 10))}
                    : new Tensor[] {zeros(d, 10), zeros(10)};
            Sgd sgd = new Sgd(List.of(layers), Sgd.Config.plain(0.1));
            Arena arena = new Arena();
            INDArray full = Nd4j.createUninitialized(DataType.FLOAT, new long[] {batch, d}, 'c');
            INDArray last = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n % batch, d}, 'c');
            int[] yFull = new int[batch];
            int[] yLast = new int[n % batch];
            Clock c = new Clock();
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                INDArray xb = to - from == batch ? full : last;
                int[] yb = to - from == batch ? yFull : yLast;
                gather(xs, d, perm, from, to, xb.data().asNioFloat());
                for (int i = from; i < to; i++) {
                    yb[i - from] = yAll[perm[i]];
                }
                Tensor x = Tensor.constant(xb);
                if (fused) {
                    step(arena, sgd, x, layers[0], layers[1], yb, true);
                    continue;
                }
                try (Arena.Scope s = arena.open()) {
                    Tensor logits = mlp
                            ? Functional.linear(Functional.linear(x, layers[0], layers[1]).tanh(), layers[2], layers[3])
                            : Functional.linear(x, layers[0], layers[1]);
                    Tensor loss = Functional.softmaxCrossEntropy(logits, yb);
                    sgd.zeroGrad();
                    loss.backward();
                    sgd.step();
                    loss.item();
                }
            }
            double[] t = c.stop(1);
            if (r >= 0) {
                samples.add(t);
                finalLoss = fullLoss(xAll, yAll, layers);
            }
        }
        emit(mlp ? "MLP epoch" : fused ? "W2 fused" : "W2", "s/epoch", samples, finalLoss);
    }

    /** W4: 200 full-batch steps on the 8x8 digits / 16 (1797 x 64 -> 10), lr 0.5, zero init. */
    static void w4(Path dir, int warmup, int reps, boolean fused) throws IOException {
        INDArray xArr = floats(dir.resolve("digits_x.f32"), 1797, 64);
        int[] y = ints(dir.resolve("digits_y.i32"));
        Tensor x = Tensor.constant(xArr);
        List<double[]> samples = new ArrayList<>();
        double finalLoss = 0;
        for (int r = -warmup; r < reps; r++) {
            Tensor w = zeros(64, 10);
            Tensor b = zeros(10);
            Sgd sgd = new Sgd(List.of(w, b), Sgd.Config.plain(0.5));
            Arena arena = new Arena();
            Clock c = new Clock();
            for (int i = 0; i < 200; i++) {
                step(arena, sgd, x, w, b, y, fused);
            }
            double[] t = c.stop(1);
            if (r >= 0) {
                samples.add(t);
                finalLoss = fullLoss(xArr, y, w, b);
            }
        }
        emit(fused ? "W4 fused" : "W4", "s/200 steps", samples, finalLoss);
    }

    /** Runs the named workloads (default: all) on the data in args[0]. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench-data");
        List<String> which = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("w1", "w2", "w4", "mlp");
        for (String wl : which) {
            switch (wl) {
                case "w1" -> w1(dir, false, false);
                case "w1long" -> w1(dir, true, false);
                case "w1curve" -> w1Curve(dir, false);
                case "w2" -> epoch(dir, false, 1, 3, false);
                case "w4" -> w4(dir, 2, 3, false);
                case "mlp" -> epoch(dir, true, 1, 3, false);
                case "mlpcold" -> epoch(dir, true, 0, 4, false); // the first epochs too: the JIT's warm-up, as a user sees it
                // the linear classifier's workloads through Functional.linearCrossEntropyGrad (same bits)
                case "w1fused" -> w1(dir, false, true);
                case "w1longfused" -> w1(dir, true, true);
                case "w1curvefused" -> w1Curve(dir, true);
                case "w2fused" -> epoch(dir, false, 1, 3, true);
                case "w4fused" -> w4(dir, 2, 3, true);
                default -> throw new IllegalArgumentException("unknown workload '" + wl + "'; expected w1, w1long, w1curve, w2, w4,"
                        + " mlp, mlpcold, w1fused, w1longfused, w1curvefused, w2fused, w4fused");
            }
        }
    }
}
