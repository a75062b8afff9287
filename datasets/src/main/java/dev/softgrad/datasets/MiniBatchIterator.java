package dev.softgrad.datasets;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Minibatches over a data set, one epoch at a time, without allocating per batch: at most two
 * {@link MiniBatch} objects exist (full size, and the smaller last batch unless {@code dropLast}),
 * and {@link #next()} refills and returns one of them.
 *
 * <p>With {@code shuffle}, epoch {@code e} visits the rows in a permutation that depends only on
 * {@code (seed, e)}, identical on every machine. Without it, rows come in data-set order.
 * {@link #hasNext()} turns false at the end of an epoch; {@link #reset()} starts the next one.
 *
 * <pre>{@code
 * MiniBatchIterator batches = new MiniBatchIterator(train, 32, true, false, 7);
 * for (int epoch = 0; epoch < 10; epoch++, batches.reset()) {
 *     while (batches.hasNext()) {
 *         MiniBatch b = batches.next();          // b.features() [32, D], b.oneHot() [32, K]
 *         ...                                    // b is overwritten by the next call
 *     }
 * }
 * }</pre>
 */
public final class MiniBatchIterator implements Iterator<MiniBatch> {
    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final int[] order;
    private final int batchesPerEpoch;
    private final MiniBatch full;
    private MiniBatch tail;
    private final FloatBuffer srcF;
    private final DoubleBuffer srcD;
    private int epoch;
    private int position;

    /**
     * @param data      the data set; its features are read in place, not copied
     * @param batchSize B &ge; 1; with {@code dropLast}, at most N
     * @param shuffle   whether each epoch visits the rows in a fresh seeded permutation
     * @param dropLast  whether to skip the last batch when it has fewer than B rows
     * @param seed      seed of the permutations (ignored without {@code shuffle})
     */
    public MiniBatchIterator(Dataset data, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        this.data = Objects.requireNonNull(data, "data must not be null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: expected >= 1, got " + batchSize);
        }
        int n = data.size();
        if (dropLast && batchSize > n) {
            throw new IllegalArgumentException("batchSize: with dropLast it must be at most the " + n + " rows of '"
                    + data.name() + "' or no batch is left, got " + batchSize);
        }
        this.batchSize = Math.min(batchSize, n);
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
        this.order = new int[n];
        this.batchesPerEpoch = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
        this.full = new MiniBatch(this.batchSize, data.numFeatures(), data.numClasses(), data.dataType());
        boolean f = data.dataType() == DataType.FLOAT;
        this.srcF = f ? data.features().data().asNioFloat() : null;
        this.srcD = f ? null : data.features().data().asNioDouble();
        startEpoch(0);
    }

    /** Shuffled batches, keeping the last smaller batch. */
    public static MiniBatchIterator shuffled(Dataset data, int batchSize, long seed) {
        return new MiniBatchIterator(data, batchSize, true, false, seed);
    }

    /** Batches in data-set order, keeping the last smaller batch (for evaluation). */
    public static MiniBatchIterator inOrder(Dataset data, int batchSize) {
        return new MiniBatchIterator(data, batchSize, false, false, 0);
    }

    private void startEpoch(int e) {
        epoch = e;
        position = 0;
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Rng.derived(seed, e).shuffle(order);
        }
    }

    /** Starts the next epoch (a new permutation when shuffling), whether or not this one was finished. */
    public void reset() {
        startEpoch(epoch + 1);
    }

    /** The current epoch, 0 for the first. */
    public int epoch() {
        return epoch;
    }

    /** Batches in each epoch: {@code ceil(N / B)}, or {@code floor(N / B)} with {@code dropLast}. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    @Override
    public boolean hasNext() {
        int left = order.length - position;
        return dropLast ? left >= batchSize : left > 0;
    }

    /**
     * The next batch of this epoch, in a reused buffer valid until the next call.
     *
     * @throws NoSuchElementException at the end of the epoch (call {@link #reset()})
     */
    @Override
    public MiniBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " is finished after " + batchesPerEpoch
                    + " batches: call reset() to start the next one");
        }
        int left = order.length - position;
        MiniBatch b;
        if (left >= batchSize) {
            b = full;
        } else {
            if (tail == null) {
                tail = new MiniBatch(left, data.numFeatures(), data.numClasses(), data.dataType());
            }
            b = tail;
        }
        b.fill(data, srcF, srcD, order, position);
        position += b.size();
        return b;
    }
}
