package dev.softgrad.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads behind {@link Parallel}: a fixed set of daemon workers that wait for the next loop by
 * spinning for a short while ({@link #SPIN_NANOS}: a quarter of it on the spot, the rest yielding the
 * core to any other thread that is ready) before they park, as OpenMP's workers do.
 *
 * <p>Why not the common fork-join pool: a training step runs several short parallel loops (the two
 * products, the loss) a few microseconds apart; a parked fork-join worker takes tens of microseconds
 * to wake, which on a 128-row batch is as long as its share of the work. A worker that is still
 * spinning starts at once. The cost is up to {@link #SPIN_NANOS} of a core's time after each loop.
 *
 * <p>One loop runs at a time: a loop started while another is running (from another thread, or
 * from inside a loop's body) runs on its caller's thread alone. Which thread runs which chunk never
 * changes a result ({@link Parallel}'s chunks and their order are fixed by the shape), so this only
 * decides speed. Where chunks throw, the exception of the lowest chunk index is rethrown after all
 * chunks have run, so the error a caller sees does not depend on the worker count either.
 */
final class WorkerPool {
    private WorkerPool() {
    }

    /** How long an idle worker spins for the next loop before it parks: {@code -Dsoftgrad.spinMicros}, default 100. */
    static final long SPIN_NANOS = 1000L * Long.getLong("softgrad.spinMicros", 100L);

    /** One parallel loop: chunks [0, count), handed out in index order to whichever thread asks. */
    private static final class Job {
        final int count;
        /** Workers 1 .. helpers join; the others (left from a larger worker count) keep waiting. */
        final int helpers;
        final Parallel.ChunkIndex body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        /** The exception of the lowest failed chunk, and that chunk (guarded by this). */
        Throwable error;
        int errorChunk = Integer.MAX_VALUE;

        Job(int count, int helpers, Parallel.ChunkIndex body) {
            this.count = count;
            this.helpers = helpers;
            this.body = body;
        }

        /** Runs chunks until none is left. */
        void work() {
            for (int c = next.getAndIncrement(); c < count; c = next.getAndIncrement()) {
                try {
                    body.run(c);
                } catch (Throwable t) {
                    synchronized (this) {
                        if (c < errorChunk) {
                            errorChunk = c;
                            error = t;
                        }
                    }
                }
                finished.incrementAndGet();
            }
        }
    }

    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static volatile Job current;
    /** Incremented for each job posted; a worker waits for it to change. */
    private static final AtomicInteger GENERATION = new AtomicInteger();
    private static Worker[] workers = new Worker[0];

    private static final class Worker extends Thread {
        final int index;
        volatile boolean parked;

        Worker(int index) {
            super("softgrad-worker-" + index);
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            int seen = GENERATION.get();
            while (true) {
                long start = System.nanoTime();
                while (GENERATION.get() == seen) {
                    long waited = System.nanoTime() - start;
                    if (waited < SPIN_NANOS / 4) {
                        Thread.onSpinWait();
                    } else if (waited < SPIN_NANOS) {
                        Thread.yield(); // still ready within microseconds, but gives a busy core to other threads
                    } else {
                        parked = true;
                        if (GENERATION.get() == seen) { // posted before parked was visible: do not sleep
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                seen = GENERATION.get();
                Job job = current;
                if (job != null && index <= job.helpers) {
                    job.work();
                }
            }
        }
    }

    /**
     * Runs chunk(c) for every c in [0, count) on the caller and up to {@code threads - 1} workers;
     * returns when all have run. The caller runs them alone when another loop is in progress.
     */
    static void run(int count, int threads, Parallel.ChunkIndex chunk) {
        if (!BUSY.compareAndSet(false, true)) {
            for (int c = 0; c < count; c++) { // nested, or another thread's loop is running
                chunk.run(c);
            }
            return;
        }
        Job job = new Job(count, threads - 1, chunk);
        try {
            Worker[] ws = ensure(threads - 1);
            current = job;
            GENERATION.incrementAndGet();
            for (int w = 0; w < threads - 1; w++) {
                if (ws[w].parked) {
                    LockSupport.unpark(ws[w]);
                }
            }
            job.work();
            for (int spins = 0; job.finished.get() < count; spins++) { // a worker is finishing its last chunk
                if (spins < 1000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield(); // that worker may be waiting for this core
                }
            }
        } finally {
            current = null;
            BUSY.set(false);
        }
        synchronized (job) {
            if (job.error instanceof RuntimeException e) {
                throw e;
            }
            if (job.error instanceof Error e) {
                throw e;
            }
            if (job.error != null) {
                throw new IllegalStateException(job.error);
            }
        }
    }

    /** The first n workers, started on first use (only the loop's caller, holding BUSY, grows the array). */
    private static Worker[] ensure(int n) {
        Worker[] ws = workers;
        if (ws.length < n) {
            Worker[] grown = java.util.Arrays.copyOf(ws, n);
            for (int w = ws.length; w < n; w++) {
                grown[w] = new Worker(w + 1);
                grown[w].start();
            }
            workers = grown;
            ws = grown;
        }
        return ws;
    }
}
