package dev.softgrad.nn;

import dev.softgrad.core.Autograd;
import dev.softgrad.core.Dense;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

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
            out[i] = argmax(f, i * k, k);
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

    /** Accuracy, mean cross-entropy, confusion matrix and per-class precision, recall and F1 on {@code data}. */
    public final Evaluation evaluate(Dataset data) {
        Objects.requireNonNull(data, "data");
        if (data.numClasses() > numClasses()) {
            throw new IllegalArgumentException("evaluate: data set '" + data.name() + "' has " + data.numClasses()
                    + " classes, the model " + numClasses());
        }
        return Evaluation.of(logits(data.features()), data.labels(), numClasses());
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

    static int argmax(Dense f, int from, int k) {
        int best = 0;
        double bv = f.get(from);
        for (int j = 1; j < k; j++) {
            double v = f.get(from + j);
            if (v > bv) {
                bv = v;
                best = j;
            }
        }
        return best;
    }

    /** out = softmax(invT * z[from..from+k)), max-shifted; returns log-sum-exp of the scaled row. */
    static double softmaxRow(Dense z, int from, int k, double invT, double[] out) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            m = Math.max(m, z.get(from + j) * invT);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double e = Math.exp(z.get(from + j) * invT - m);
            out[j] = e;
            sum += e;
        }
        double inv = 1.0 / sum;
        for (int j = 0; j < k; j++) {
            out[j] *= inv;
        }
        return m + Math.log(sum);
    }
}
