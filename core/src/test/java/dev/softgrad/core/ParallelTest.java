package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link Parallel}'s loops on {@link WorkerPool}: every chunk once, sums in chunk order, errors and nesting. */
class ParallelTest {

    /** Terms whose sum depends on the order of addition (magnitudes from 1e-8 to 1e8). */
    private static double[] terms(int n, long seed) {
        Random r = new Random(seed);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(17) - 8);
        }
        return t;
    }

    private static double chunkSum(double[] t, int from, int to) {
        double s = 0.0;
        for (int i = from; i < to; i++) {
            s += t[i];
        }
        return s;
    }

    @Test
    void sumIsTheChunkOrderSumOnAnyWorkerCount() {
        double[] t = terms(10_007, 1);
        int chunk = 97;
        double expected = 0.0; // partial sums of the chunks, added in chunk order
        for (int from = 0; from < t.length; from += chunk) {
            expected += chunkSum(t, from, Math.min(t.length, from + chunk));
        }
        for (int w : new int[] {1, 2, 3, 8}) {
            for (int rep = 0; rep < 200; rep++) {
                double[] got = new double[1];
                Parallel.withWorkers(w, () -> got[0] = Parallel.sum(t.length, chunk, (a, b) -> chunkSum(t, a, b)));
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got[0]),
                        "workers " + w + ", repetition " + rep);
            }
        }
    }

    @Test
    void everyChunkRunsExactlyOnce() {
        for (int w : new int[] {2, 3, 8}) {
            for (int count : new int[] {2, 3, 17, 1000}) {
                for (int rep = 0; rep < 100; rep++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(count);
                    Parallel.withWorkers(w, () -> Parallel.forChunks(count, 1, (from, to) -> runs.incrementAndGet(from)));
                    for (int c = 0; c < count; c++) {
                        assertEquals(1, runs.get(c), "chunk " + c + " of " + count + ", workers " + w);
                    }
                }
            }
        }
    }

    @Test
    void theLowestFailingChunksErrorIsThrownWhateverTheWorkers() {
        for (int w : new int[] {1, 2, 8}) {
            for (int rep = 0; rep < 100; rep++) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.withWorkers(w,
                        () -> Parallel.forChunks(64, 1, (from, to) -> {
                            if (from == 40 || from == 9 || from == 63) {
                                throw new IllegalArgumentException("chunk " + from);
                            }
                        })));
                assertEquals("chunk 9", e.getMessage(), "workers " + w);
            }
        }
    }

    @Test
    void theCallerAndAWorkerRunChunksAtTheSameTime() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch both = new CountDownLatch(2);
        boolean[] met = new boolean[2];
        Parallel.withWorkers(2, () -> Parallel.forChunks(2, 1, (from, to) -> {
            threads.add(Thread.currentThread().getName());
            both.countDown();
            try {
                met[from] = both.await(20, TimeUnit.SECONDS); // only true if the other chunk runs meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(met[0] && met[1], "both chunks waited for each other: they ran on two threads at once");
        assertEquals(2, threads.size(), "threads: " + threads);
    }

    @Test
    void aLoopInsideALoopAndLoopsFromTwoThreadsComplete() {
        double[] t = terms(5000, 2);
        double[] one = new double[1];
        Parallel.withWorkers(1, () -> one[0] = Parallel.sum(t.length, 50, (a, b) -> chunkSum(t, a, b)));
        double expected = one[0];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            double[] inner = new double[8];
            Parallel.withWorkers(2, () -> Parallel.forChunks(8, 1, (from, to) ->
                    inner[from] = Parallel.sum(t.length, 50, (a, b) -> chunkSum(t, a, b))));
            for (double v : inner) {
                assertEquals(expected, v, 0.0);
            }
            double[] fromThread = new double[2];
            Thread other = new Thread(() -> {
                for (int r = 0; r < 200; r++) {
                    fromThread[1] = Parallel.sum(t.length, 50, (a, b) -> chunkSum(t, a, b));
                }
            });
            other.start();
            for (int r = 0; r < 200; r++) {
                fromThread[0] = Parallel.sum(t.length, 50, (a, b) -> chunkSum(t, a, b));
            }
            other.join();
            assertEquals(expected, fromThread[0], 0.0);
            assertEquals(expected, fromThread[1], 0.0);
        });
    }
}
