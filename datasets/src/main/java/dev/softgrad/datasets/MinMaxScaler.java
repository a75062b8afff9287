package dev.softgrad.datasets;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Min-max scaling fitted on a training part and applied unchanged to any other part:
 * {@code x' = (x - min) / (max - min)} per feature, with the minimum and maximum of the training
 * part, so the training part lands in [0, 1] and other parts may fall slightly outside. A feature
 * that is constant in the training part gets range 1 (as in scikit-learn's {@code MinMaxScaler}).
 * Computed in double precision and rounded once to the data's type.
 *
 * <pre>{@code
 * MinMaxScaler m = MinMaxScaler.fit(split.train());
 * Dataset test = m.transform(split.test());
 * }</pre>
 */
public final class MinMaxScaler {
    private final double[] min;
    private final double[] range;

    private MinMaxScaler(double[] min, double[] range) {
        this.min = min;
        this.range = range;
    }

    /** Fits the per-feature minimum and maximum of {@code train}. */
    public static MinMaxScaler fit(Dataset train) {
        Objects.requireNonNull(train, "train must not be null");
        double[][] stats = FeatureArrays.columnStats(train);
        double[] min = stats[2];
        double[] range = new double[min.length];
        for (int j = 0; j < min.length; j++) {
            double r = stats[3][j] - min[j];
            range[j] = r > 0 ? r : 1.0;
        }
        return new MinMaxScaler(min, range);
    }

    /** The fitted per-feature minima (a copy). */
    public double[] min() {
        return min.clone();
    }

    /** The fitted per-feature ranges {@code max - min}, or 1 for a constant feature (a copy). */
    public double[] range() {
        return range.clone();
    }

    /** A new data set with scaled features and the same labels, classes and name. */
    public Dataset transform(Dataset data) {
        Objects.requireNonNull(data, "data must not be null");
        return new Dataset(data.name(), transform(data.features()), data.labelsUnsafe(), data.classNames());
    }

    /**
     * Scales a feature matrix {@code [N, D]} (FLOAT or DOUBLE) into a new array of the same type.
     *
     * @throws IllegalArgumentException if D differs from the number of features fitted
     */
    public INDArray transform(INDArray features) {
        INDArray x = FeatureArrays.checkedMatrix(features, min.length, "MinMaxScaler");
        return FeatureArrays.affine(x, min, range);
    }
}
