package dev.softgrad.datasets;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Standardisation fitted on a training part and applied unchanged to any other part:
 * {@code z = (x - mean) / std} per feature, with the mean and the population standard deviation
 * (divisor N, as scikit-learn's {@code StandardScaler}) of the training part. A feature that is
 * constant in the training part gets scale 1 (it is only centred), so nothing is divided by zero.
 * Statistics and transforms are computed in double precision and rounded once to the data's type.
 *
 * <pre>{@code
 * Standardizer s = Standardizer.fit(split.train());
 * Dataset train = s.transform(split.train());   // each feature: mean 0, std 1
 * Dataset test = s.transform(split.test());     // same shift and scale, fitted on train only
 * }</pre>
 */
public final class Standardizer {
    private final double[] mean;
    private final double[] scale;

    private Standardizer(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /** Fits the per-feature mean and standard deviation of {@code train}. */
    public static Standardizer fit(Dataset train) {
        Objects.requireNonNull(train, "train must not be null");
        double[][] stats = FeatureArrays.columnStats(train);
        return new Standardizer(stats[0], FeatureArrays.map(stats[1], s -> s > 0 ? s : 1.0));
    }

    /**
     * The standardizer with these statistics, e.g. as saved from {@link #mean()} and {@link #scale()}
     * of a fitted one: it transforms exactly as that one did.
     *
     * @param mean  per-feature means, finite, at least one
     * @param scale per-feature divisors, finite and &gt; 0, as many as means
     */
    public static Standardizer of(double[] mean, double[] scale) {
        Objects.requireNonNull(mean, "mean must not be null");
        Objects.requireNonNull(scale, "scale must not be null");
        if (mean.length == 0 || scale.length != mean.length) {
            throw new IllegalArgumentException("Standardizer.of: expected as many scales as means (at least one), got "
                    + mean.length + " means and " + scale.length + " scales");
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("Standardizer.of: mean[" + j + "] must be finite, got " + mean[j]);
            }
            if (!(scale[j] > 0) || !Double.isFinite(scale[j])) {
                throw new IllegalArgumentException("Standardizer.of: scale[" + j + "] must be finite and > 0, got " + scale[j]);
            }
        }
        return new Standardizer(mean.clone(), scale.clone());
    }

    /** D, the number of features fitted. */
    public int numFeatures() {
        return mean.length;
    }

    /** The fitted per-feature means (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** The fitted per-feature divisors: the standard deviation, or 1 for a constant feature (a copy). */
    public double[] scale() {
        return scale.clone();
    }

    /** A new data set with standardised features and the same labels, classes and name. */
    public Dataset transform(Dataset data) {
        Objects.requireNonNull(data, "data must not be null");
        return new Dataset(data.name(), transform(data.features()), data.labelsUnsafe(), data.classNames());
    }

    /**
     * Standardises a feature matrix {@code [N, D]} (FLOAT or DOUBLE) into a new array of the same type.
     *
     * @throws IllegalArgumentException if D differs from the number of features fitted
     */
    public INDArray transform(INDArray features) {
        INDArray x = FeatureArrays.checkedMatrix(features, mean.length, "Standardizer");
        return FeatureArrays.affine(x, mean, scale);
    }

    /**
     * Standardises plain rows ({@code [N][D]}, in double): a new array, the input unchanged.
     *
     * @throws IllegalArgumentException if a row is null or does not have D values
     */
    public double[][] transform(double[][] rows) {
        Objects.requireNonNull(rows, "rows must not be null");
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double[] r = rows[i];
            if (r == null || r.length != mean.length) {
                throw new IllegalArgumentException("rows[" + i + "]: Standardizer was fitted on " + mean.length
                        + " features, got " + (r == null ? "null" : r.length + " values"));
            }
            out[i] = new double[r.length];
            for (int j = 0; j < r.length; j++) {
                out[i][j] = (r[j] - mean[j]) / scale[j];
            }
        }
        return out;
    }
}
