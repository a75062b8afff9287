package dev.softgrad.core;

/**
 * Deterministic parallel loops. The range [0, n) is cut into chunks of a size the caller derives
 * from the problem's shape alone ({@code [c * chunk, min(n, (c + 1) * chunk))}), never from the
 * number of cores; the workers take chunks in any order, but a reduction keeps one partial result
 * per chunk and adds the partials in chunk order. So a loss is the same bits on 1, 2 or 16 cores.
 *
 * <p>The worker count is read once: {@code -Dsoftgrad.threads=N} if set, else the available
 * processors. Tests change it with {@link #withWorkers} to prove that results do not depend on it.
 * One chunk (a small problem) runs on the calling thread with no task overhead; more run on the
 * caller and {@link WorkerPool}'s threads.
 */
final class Parallel {
    private Parallel() {
    }

    /** The workers a loop may use: -Dsoftgrad.threads, else the available processors (read once). */
    static final int DEFAULT_WORKERS = defaultWorkers();

    private static volatile int workers = DEFAULT_WORKERS;

    private static int defaultWorkers() {
        String p = System.getProperty("softgrad.threads");
        if (p != null) {
            try {
                int t = Integer.parseInt(p.trim());
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("-Dsoftgrad.threads must be an integer >= 1, got '" + p + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** The current worker count. */
    static int workers() {
        return workers;
    }

    /** Runs body with the worker count set to w (tests: results must not depend on it), then restores it. */
    static synchronized void withWorkers(int w, Runnable body) {
        if (w < 1) {
            throw new IllegalArgumentException("withWorkers: w must be >= 1, got " + w);
        }
        int before = workers;
        workers = w;
        try {
            body.run();
        } finally {
            workers = before;
        }
    }

    /** A loop body over the chunk [from, to). */
    interface ChunkBody {
        void run(int from, int to);
    }

    /** A loop body over the chunk [from, to) that returns the chunk's partial sum. */
    interface ChunkSum {
        double run(int from, int to);
    }

    /** The number of chunks of size {@code chunk} covering [0, n). */
    static int chunks(int n, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("Parallel: chunk must be >= 1, got " + chunk);
        }
        return n <= 0 ? 0 : (int) (((long) n + chunk - 1) / chunk);
    }

    /** Runs body over [0, n) in chunks of {@code chunk}, on up to {@link #workers()} threads. */
    static void forChunks(int n, int chunk, ChunkBody body) {
        int count = chunks(n, chunk);
        run(count, c -> body.run(c * chunk, Math.min(n, c * chunk + chunk)));
    }

    /**
     * The sum over [0, n) of body's per-chunk partial sums, added in chunk order: the same bits for
     * any worker count.
     */
    static double sum(int n, int chunk, ChunkSum body) {
        int count = chunks(n, chunk);
        if (count == 1) {
            return body.run(0, n);
        }
        double[] partial = new double[count];
        run(count, c -> partial[c] = body.run(c * chunk, Math.min(n, c * chunk + chunk)));
        double total = 0.0;
        for (double p : partial) {
            total += p;
        }
        return total;
    }

    /** A loop body over one chunk index. */
    interface ChunkIndex {
        void run(int c);
    }

    /** Runs chunk(c) for c in [0, count): inline for one chunk or one worker, else chunks shared by the workers. */
    private static void run(int count, ChunkIndex chunk) {
        int tasks = Math.min(workers, count);
        if (tasks <= 1) {
            for (int c = 0; c < count; c++) {
                chunk.run(c);
            }
            return;
        }
        WorkerPool.run(count, tasks, chunk);
    }
}
