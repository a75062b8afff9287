package dev.softgrad.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A bench main (not a test): one parallel loop of 16 chunks over W microseconds of arithmetic, as a
 * training step runs several of them back to back (the products and the loss), through
 * {@link Parallel} ({@link WorkerPool}'s spinning workers), through the common fork-join pool (what
 * {@code Parallel} used before: {@code IntStream.parallel()} over a shared chunk counter), and on one
 * thread. Microseconds per loop, wall clock, median and min..max of 15 samples after warm-up.
 *
 * <p>Run from the project root after {@code mvn -q -pl core test-compile}:
 * {@code java -cp core/target/test-classes:core/target/classes:CP dev.softgrad.core.ParallelBench}
 * (CP: the runtime class path, e.g. from {@code dependency:build-classpath}).
 */
final class ParallelBench {
    private ParallelBench() {
    }

    static volatile double sink;

    /** About 2 ns per term. */
    static double work(int from, int to) {
        double s = 0.0;
        for (int i = from; i < to; i++) {
            s += Math.sqrt(i);
        }
        return s;
    }

    /** The old loop: the common fork-join pool, workers taking chunks from a shared counter. */
    static double forkJoinSum(int n, int chunk) {
        int count = Parallel.chunks(n, chunk);
        double[] partial = new double[count];
        AtomicInteger next = new AtomicInteger();
        IntStream.range(0, Math.min(Parallel.workers(), count)).parallel().forEach(t -> {
            for (int c = next.getAndIncrement(); c < count; c = next.getAndIncrement()) {
                partial[c] = work(c * chunk, Math.min(n, c * chunk + chunk));
            }
        });
        double total = 0.0;
        for (double p : partial) {
            total += p;
        }
        return total;
    }

    static String time(Runnable loop, int inner) {
        for (int i = 0; i < 20 * inner; i++) {
            loop.run();
        }
        double[] us = new double[15];
        for (int r = 0; r < us.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < inner; i++) {
                loop.run();
            }
            us[r] = (System.nanoTime() - t0) / 1e3 / inner;
        }
        Arrays.sort(us);
        return String.format(Locale.ROOT, "%8.1f (%.1f..%.1f)", us[us.length / 2], us[0], us[us.length - 1]);
    }

    public static void main(String[] args) {
        System.out.println("workers " + Parallel.workers() + "; us per loop of 16 chunks: median (min..max)");
        System.out.println("terms    one thread            WorkerPool            fork-join pool");
        for (int n : new int[] {2_000, 8_000, 32_000, 128_000}) {
            int chunk = n / 16;
            int inner = Math.max(20, 2_000_000 / n);
            String serial = time(() -> sink = work(0, n), inner);
            String pool = time(() -> sink = Parallel.sum(n, chunk, ParallelBench::work), inner);
            String forkJoin = time(() -> sink = forkJoinSum(n, chunk), inner);
            System.out.printf(Locale.ROOT, "%7d %s %s %s%n", n, serial, pool, forkJoin);
        }
    }
}
