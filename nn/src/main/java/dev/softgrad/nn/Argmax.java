package dev.softgrad.nn;

import dev.softgrad.core.Dense;
import java.util.function.IntToDoubleFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The predicted class of a row of logits or probabilities (the index of its largest entry, the
 * first one on ties, as {@code torch.argmax} and NumPy do), and the number of rows predicted right:
 * the one arg-max that {@link Classifier#predict}, {@link Evaluation}, {@link Trainer}, the
 * {@link TrainingProgress} bar and the calibration package use.
 */
public final class Argmax {
    private Argmax() {
    }

    /** The index j in [0, k) of the largest {@code row.applyAsDouble(from + j)}, the first on ties. */
    public static int index(IntToDoubleFunction row, int from, int k) {
        int best = 0;
        double bestValue = row.applyAsDouble(from);
        for (int j = 1; j < k; j++) {
            double v = row.applyAsDouble(from + j);
            if (v > bestValue) {
                bestValue = v;
                best = j;
            }
        }
        return best;
    }

    /** The arg-max of row {@code i} of a dense row-major [N, k] array. */
    public static int index(Dense z, int i, int k) {
        return index(z::get, i * k, k);
    }

    /** How many rows of the scores [N, K] have their arg-max at the label. */
    public static long countCorrect(INDArray scores, int[] labels) {
        Dense z = Dense.of(scores);
        int k = (int) scores.size(1);
        long c = 0;
        for (int i = 0; i < labels.length; i++) {
            if (index(z, i, k) == labels[i]) {
                c++;
            }
        }
        return c;
    }
}
