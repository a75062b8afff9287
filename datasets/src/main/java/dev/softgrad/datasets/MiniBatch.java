package dev.softgrad.datasets;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One minibatch handed out by a {@link MiniBatchIterator}: features {@code [B, D]}, labels
 * {@code [B]} and the same labels one-hot {@code [B, K]}, in the data set's data type.
 *
 * <p><b>Reused buffers:</b> the iterator refills the same arrays for every batch of the same size,
 * so a batch is valid only until the next call to {@link MiniBatchIterator#next()}. Do not modify
 * the arrays; {@code dup()} or clone what must outlive the step.
 */
public final class MiniBatch {
    private final INDArray features;
    private final INDArray oneHot;
    private final int[] labels;
    private final int[] rows;
    private final int numFeatures;
    private final int numClasses;
    private final FloatBuffer featuresF;
    private final DoubleBuffer featuresD;
    private final FloatBuffer oneHotF;
    private final DoubleBuffer oneHotD;

    MiniBatch(int size, int numFeatures, int numClasses, DataType type) {
        this.numFeatures = numFeatures;
        this.numClasses = numClasses;
        this.features = Nd4j.create(type, size, numFeatures);
        this.oneHot = Nd4j.create(type, size, numClasses);
        this.labels = new int[size];
        this.rows = new int[size];
        boolean f = type == DataType.FLOAT;
        this.featuresF = f ? features.data().asNioFloat() : null;
        this.featuresD = f ? null : features.data().asNioDouble();
        this.oneHotF = f ? oneHot.data().asNioFloat() : null;
        this.oneHotD = f ? null : oneHot.data().asNioDouble();
    }

    /** Copies the given source rows into the buffers; {@code order[from..from+size)} names them. */
    void fill(Dataset data, FloatBuffer srcF, DoubleBuffer srcD, int[] order, int from) {
        int d = numFeatures;
        int k = numClasses;
        int[] y = data.labelsUnsafe();
        for (int i = 0; i < labels.length; i++) {
            int r = order[from + i];
            rows[i] = r;
            int prev = labels[i];
            labels[i] = y[r];
            if (featuresF != null) {
                featuresF.put(i * d, srcF, r * d, d);
                oneHotF.put(i * k + prev, 0f);
                oneHotF.put(i * k + y[r], 1f);
            } else {
                featuresD.put(i * d, srcD, r * d, d);
                oneHotD.put(i * k + prev, 0.0);
                oneHotD.put(i * k + y[r], 1.0);
            }
        }
    }

    /** Features {@code [B, D]}, c-order; overwritten by the next batch. */
    public INDArray features() {
        return features;
    }

    /** Labels {@code [B]}, not copied: do not modify; overwritten by the next batch. */
    public int[] labels() {
        return labels;
    }

    /** Labels one-hot {@code [B, K]}, c-order; overwritten by the next batch. */
    public INDArray oneHot() {
        return oneHot;
    }

    /** The rows of the data set this batch holds, in batch order; not copied, overwritten by the next batch. */
    public int[] rows() {
        return rows;
    }

    /** B, the number of rows in this batch. */
    public int size() {
        return labels.length;
    }
}
