package dev.softgrad.nn;

import dev.softgrad.core.Autograd;
import dev.softgrad.core.Dense;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A module that maps features [N, D] to class logits [N, K], with the questions one asks a trained
 * classifier: the predicted class, the top k classes, the class probabilities (optionally at a
 * temperature) and an {@link Evaluation} on a labelled data set. These run without recording a
 * graph. Subclasses: {@link SoftmaxClassifier}, {@link Mlp}.
 */
public abstract class Classifier extends Module {

    /** A classifier; subclasses register their parameters. */
    protected Classifier() {
    }

    /** D, the number of input features. */
    public abstract int numFeatures();

    /** K, the number of classes. */
    public abstract int numClasses();

    /**
     * The logits [N, K] of features [N, D], without recording a graph. Inside an open
     * {@code Arena} scope the result belongs to the scope.
     */
    public final INDArray logits(INDArray features) {
        checkFeatures(features);
        try (Autograd.Scope s = Autograd.noGrad()) {
            return forward(Tensor.constant(features)).value();
        }
    }

    /** The predicted class of each row: the index of its largest logit (the first one on ties). */
    public final int[] predict(INDArray features) {
        INDArray z = logits(features);
        int n = (int) z.size(0);
        int k = numClasses();
        Dense f = Dense.of(z);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = Argmax.index(f, i, k);
        }
        return out;
    }

    /** The {@code k} most probable classes of each row, most probable first ([N][k]; ties by lower index). */
    public final int[][] topK(INDArray features, int k) {
        if (k < 1 || k > numClasses()) {
            throw new IllegalArgumentException("topK: k must be in [1, " + numClasses() + "], got " + k);
        }
        INDArray z = logits(features);
        int n = (int) z.size(0);
        int c = numClasses();
        Dense f = Dense.of(z);
        int[][] out = new int[n][k];
        Integer[] idx = new Integer[c];
        for (int i = 0; i < n; i++) {
            int row = i * c;
            for (int j = 0; j < c; j++) {
                idx[j] = j;
            }
            java.util.Arrays.sort(idx, (a, b) -> {
                int cmp = Double.compare(f.get(row + b), f.get(row + a));
                return cmp != 0 ? cmp : Integer.compare(a, b);
            });
            for (int j = 0; j < k; j++) {
                out[i][j] = idx[j];
            }
        }
        return out;
    }

    /** softmax(z) of each row, [N, K] in the model's data type. */
    public final INDArray probabilities(INDArray features) {
        return probabilities(features, 1.0);
    }

    /**
     * softmax(z / T) of each row: {@code temperature} &gt; 1 flattens the distribution, &lt; 1 sharpens it
     * (the arg-max does not change). Computed with the row maximum subtracted.
     *
     * @param temperature T, a finite number > 0
     */
    public final INDArray probabilities(INDArray features, double temperature) {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("probabilities: temperature must be a finite number > 0, got " + temperature);
        }
        INDArray z = logits(features);
        try (Autograd.Scope s = Autograd.noGrad()) {
            return Losses.softmax(Tensor.constant(z), temperature).value(); // core's stable softmax(z / T)
        }
    }

    /**
     * The predicted class of each plain row: {@code rows} is [N][D], as a user's code holds data;
     * the values are rounded to the model's data type.
     *
     * @throws IllegalArgumentException if a row is null, has not D values, or holds a value that is
     *                                  not finite in the model's data type
     */
    public final int[] predict(double[][] rows) {
        if (Objects.requireNonNull(rows, "rows").length == 0) {
            return new int[0];
        }
        return predict(matrix("predict", rows));
    }

    /** softmax(z) of each plain row ([N][D], rounded to the model's data type), as [N][K] doubles. */
    public final double[][] probabilities(double[][] rows) {
        return probabilities(rows, 1.0);
    }

    /**
     * softmax(z / T) of each plain row ([N][D], rounded to the model's data type), as [N][K]
     * doubles; {@code temperature} as in {@link #probabilities(INDArray, double)}.
     *
     * @throws IllegalArgumentException as {@link #predict(double[][])} does, or for a bad temperature
     */
    public final double[][] probabilities(double[][] rows, double temperature) {
        if (Objects.requireNonNull(rows, "rows").length == 0) {
            return new double[0][];
        }
        INDArray p = probabilities(matrix("probabilities", rows), temperature);
        Dense d = Dense.of(p);
        int k = numClasses();
        double[][] out = new double[rows.length][k];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < k; j++) {
                out[i][j] = d.get(i * k + j);
            }
        }
        return out;
    }

    /** The rows as a [N, D] array of the model's data type, checked. */
    private INDArray matrix(String where, double[][] rows) {
        int d = numFeatures();
        double limit = dataType() == DataType.FLOAT ? Float.MAX_VALUE : Double.MAX_VALUE;
        double[] flat = new double[Math.multiplyExact(rows.length, d)];
        for (int i = 0; i < rows.length; i++) {
            double[] r = rows[i];
            if (r == null || r.length != d) {
                throw new IllegalArgumentException(where + ": rows[" + i + "]: expected " + d + " values (the model's features), got "
                        + (r == null ? "null" : r.length));
            }
            for (int j = 0; j < d; j++) {
                if (!(Math.abs(r[j]) <= limit)) {
                    throw new IllegalArgumentException(where + ": rows[" + i + "][" + j + "]: expected a finite number"
                            + (dataType() == DataType.FLOAT ? " within float32's range" : "") + ", got " + r[j]);
                }
            }
            System.arraycopy(r, 0, flat, i * d, d);
        }
        return Nd4j.create(flat, new long[] {rows.length, d}, DataType.DOUBLE).castTo(dataType());
    }

    /** Accuracy, mean cross-entropy, confusion matrix and per-class precision, recall and F1 on {@code data}. */
    public final Evaluation evaluate(Dataset data) {
        Objects.requireNonNull(data, "data");
        if (data.numClasses() > numClasses()) {
            throw new IllegalArgumentException("evaluate: data set '" + data.name() + "' has " + data.numClasses()
                    + " classes, the model " + numClasses());
        }
        List<String> names = data.numClasses() == numClasses() ? data.classNames() : Evaluation.indexNames(numClasses());
        return Evaluation.of(logits(data.features()), data.labels(), names);
    }

    private void checkFeatures(INDArray features) {
        Objects.requireNonNull(features, "features");
        if (features.rank() != 2 || features.size(1) != numFeatures()) {
            throw new IllegalArgumentException("features: expected shape [N, " + numFeatures() + "], got "
                    + java.util.Arrays.toString(features.shape()));
        }
        if (features.dataType() != dataType()) {
            throw new IllegalArgumentException("features: expected data type " + dataType() + " (the model's), got "
                    + features.dataType());
        }
    }

    /** out = softmax(invT * z[from..from+k)), max-shifted; returns log-sum-exp of the scaled row. */
    static double softmaxRow(Dense z, int from, int k, double invT, double[] out) {
        double[] row = out.length == k ? out : new double[k];
        boolean usable = false; // a finite entry and no NaN / +inf: otherwise a diverged model, NaN as before
        boolean bad = false;
        for (int j = 0; j < k; j++) {
            double v = z.get(from + j);
            row[j] = v;
            bad |= !(v < Double.POSITIVE_INFINITY);
            usable |= v > Double.NEGATIVE_INFINITY;
        }
        if (bad || !usable) {
            java.util.Arrays.fill(out, 0, k, Double.NaN);
            return Double.NaN;
        }
        double lse = Losses.softmaxRow(row, 1.0 / invT, row);
        if (row != out) {
            System.arraycopy(row, 0, out, 0, k);
        }
        return lse;
    }
}
