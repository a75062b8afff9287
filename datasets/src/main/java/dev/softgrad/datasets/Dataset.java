package dev.softgrad.datasets;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A labelled data set: features {@code [N, D]} (float32 or float64, c-order, finite), integer labels
 * {@code [N]} in {@code [0, K)}, {@code K} class names and a name.
 *
 * <p>The constructor validates everything and throws {@link IllegalArgumentException} naming the
 * argument, what was expected and what came. Labels and class names are copied; the features array
 * is kept as given (made c-order and contiguous first if it was a view or f-order), so treat
 * {@link #features()} as read-only: every operation of this module returns new arrays.
 *
 * <pre>{@code
 * Dataset data = Datasets.embeddedDefault();
 * Split split = Split.stratified(data, 0.2, 7);
 * Standardizer scaler = Standardizer.fit(split.train());
 * Dataset train = scaler.transform(split.train());
 * }</pre>
 */
public final class Dataset {
    private final String name;
    private final INDArray features;
    private final int[] labels;
    private final List<String> classNames;

    /**
     * @param name       a short non-blank name, used in messages and reports
     * @param features   {@code [N, D]} with N, D &ge; 1, data type FLOAT or DOUBLE, all finite
     * @param labels     N labels, each in {@code [0, classNames.size())}; copied
     * @param classNames at least one distinct, non-null name; copied
     * @throws IllegalArgumentException on any violation, naming the argument and the offending value
     */
    public Dataset(String name, INDArray features, int[] labels, List<String> classNames) {
        this.name = checkName(name);
        this.classNames = checkClassNames(classNames);
        Objects.requireNonNull(features, "features must not be null");
        if (features.rank() != 2) {
            throw new IllegalArgumentException("features of '" + name + "': expected rank 2 [N, D], got shape "
                    + java.util.Arrays.toString(features.shape()));
        }
        DataType type = features.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("features of '" + name + "': expected data type FLOAT or DOUBLE, got " + type);
        }
        long rows = features.rows();
        long cols = features.columns();
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("features of '" + name + "': expected at least 1 row and 1 column, got shape "
                    + java.util.Arrays.toString(features.shape()));
        }
        if (rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("features of '" + name + "': expected at most " + (Integer.MAX_VALUE - 8)
                    + " values, got " + rows + " x " + cols);
        }
        if (features.isView() || features.ordering() != 'c' || features.data().length() != rows * cols) {
            features = features.dup('c');
        }
        this.features = features;
        Objects.requireNonNull(labels, "labels must not be null");
        if (labels.length != rows) {
            throw new IllegalArgumentException("labels of '" + name + "': expected " + rows
                    + " (one per feature row), got " + labels.length);
        }
        int k = this.classNames.size();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("labels of '" + name + "': label at row " + i + " is " + labels[i]
                        + ", expected a value in [0, " + k + ") for classes " + this.classNames);
            }
        }
        this.labels = labels.clone();
        checkFinite();
    }

    /**
     * Builds a float32 data set from a row-major primitive array (one copy into native memory).
     *
     * @param numFeatures D; {@code features.length} must be a positive multiple of it
     */
    public static Dataset of(String name, float[] features, int numFeatures, int[] labels, List<String> classNames) {
        Objects.requireNonNull(features, "features must not be null");
        long n = checkRowMajor(features.length, numFeatures, labels);
        return new Dataset(name, Nd4j.create(features, new long[] {n, numFeatures}, DataType.FLOAT), labels, classNames);
    }

    /**
     * Builds a float64 data set from a row-major primitive array (one copy into native memory).
     *
     * @param numFeatures D; {@code features.length} must be a positive multiple of it
     */
    public static Dataset of(String name, double[] features, int numFeatures, int[] labels, List<String> classNames) {
        Objects.requireNonNull(features, "features must not be null");
        long n = checkRowMajor(features.length, numFeatures, labels);
        return new Dataset(name, Nd4j.create(features, new long[] {n, numFeatures}, DataType.DOUBLE), labels, classNames);
    }

    /** Builds a float32 or float64 data set from row-major doubles (rounded to float for FLOAT). */
    static Dataset of(String name, double[] features, int numFeatures, int[] labels, List<String> classNames,
            DataType type) {
        if (type == DataType.DOUBLE) {
            return of(name, features, numFeatures, labels, classNames);
        }
        if (type != DataType.FLOAT) {
            throw new IllegalArgumentException("data type: expected FLOAT or DOUBLE, got " + type);
        }
        float[] f = new float[features.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) features[i];
        }
        return of(name, f, numFeatures, labels, classNames);
    }

    private static long checkRowMajor(int length, int numFeatures, int[] labels) {
        Objects.requireNonNull(labels, "labels must not be null");
        if (numFeatures < 1) {
            throw new IllegalArgumentException("numFeatures: expected >= 1, got " + numFeatures);
        }
        if (length == 0 || length % numFeatures != 0) {
            throw new IllegalArgumentException("features: expected a positive multiple of numFeatures=" + numFeatures
                    + " values, got " + length);
        }
        return length / numFeatures;
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: expected a non-blank string, got " + (name == null ? "null" : "'" + name + "'"));
        }
        return name;
    }

    private static List<String> checkClassNames(List<String> classNames) {
        Objects.requireNonNull(classNames, "classNames must not be null");
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("classNames: expected at least one class name, got none");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < classNames.size(); i++) {
            String c = classNames.get(i);
            if (c == null) {
                throw new IllegalArgumentException("classNames: entry " + i + " is null");
            }
            if (!seen.add(c)) {
                throw new IllegalArgumentException("classNames: expected distinct names, '" + c + "' appears twice in " + classNames);
            }
        }
        return List.copyOf(classNames);
    }

    private void checkFinite() {
        int d = numFeatures();
        if (features.dataType() == DataType.FLOAT) {
            FloatBuffer b = features.data().asNioFloat();
            for (int i = 0, n = b.limit(); i < n; i++) {
                if (!Float.isFinite(b.get(i))) {
                    throw nonFinite(i / d, i % d, b.get(i));
                }
            }
        } else {
            DoubleBuffer b = features.data().asNioDouble();
            for (int i = 0, n = b.limit(); i < n; i++) {
                if (!Double.isFinite(b.get(i))) {
                    throw nonFinite(i / d, i % d, b.get(i));
                }
            }
        }
    }

    private IllegalArgumentException nonFinite(int row, int col, double v) {
        return new IllegalArgumentException("features of '" + name + "': expected finite values, got " + v
                + " at row " + row + ", column " + col);
    }

    /** The name given at construction. */
    public String name() {
        return name;
    }

    /** The feature matrix {@code [N, D]}, c-order, FLOAT or DOUBLE. Not copied: do not modify it. */
    public INDArray features() {
        return features;
    }

    /** FLOAT or DOUBLE. */
    public DataType dataType() {
        return features.dataType();
    }

    /** A copy of the labels, one per row, each in {@code [0, numClasses())}. */
    public int[] labels() {
        return labels.clone();
    }

    /** The label of row {@code i}. */
    public int label(int i) {
        if (i < 0 || i >= labels.length) {
            throw new IllegalArgumentException("row index: expected a value in [0, " + labels.length + "), got " + i);
        }
        return labels[i];
    }

    /** The class names (unmodifiable); {@code classNames().get(k)} names label {@code k}. */
    public List<String> classNames() {
        return classNames;
    }

    /** K, the number of classes (the size of {@link #classNames()}, not the number of distinct labels seen). */
    public int numClasses() {
        return classNames.size();
    }

    /** N, the number of rows. */
    public int size() {
        return labels.length;
    }

    /** D, the number of features per row. */
    public int numFeatures() {
        return features.columns();
    }

    /** How many rows carry each label: an array of length {@link #numClasses()}. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }

    /** The same data under another name. The features array is shared. */
    public Dataset withName(String newName) {
        return new Dataset(newName, features, labels, classNames);
    }

    /** The same data with features converted to {@code type} (FLOAT or DOUBLE); this if already so. */
    public Dataset asType(DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("type: expected FLOAT or DOUBLE, got " + type);
        }
        if (type == dataType()) {
            return this;
        }
        return new Dataset(name, features.castTo(type), labels, classNames);
    }

    /**
     * A new data set made of the given rows in the given order (repeats allowed), with copied features.
     *
     * @param rows indices in {@code [0, size())}, at least one
     */
    public Dataset subset(String newName, int[] rows) {
        Objects.requireNonNull(rows, "rows must not be null");
        if (rows.length == 0) {
            throw new IllegalArgumentException("rows: expected at least one row index, got none");
        }
        int d = numFeatures();
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            if (r < 0 || r >= labels.length) {
                throw new IllegalArgumentException("rows: entry " + i + " is " + r + ", expected a value in [0, " + labels.length + ")");
            }
            y[i] = labels[r];
        }
        if (dataType() == DataType.FLOAT) {
            FloatBuffer src = features.data().asNioFloat();
            float[] x = new float[Math.multiplyExact(rows.length, d)];
            for (int i = 0; i < rows.length; i++) {
                src.get(rows[i] * d, x, i * d, d);
            }
            return of(newName, x, d, y, classNames);
        }
        DoubleBuffer src = features.data().asNioDouble();
        double[] x = new double[Math.multiplyExact(rows.length, d)];
        for (int i = 0; i < rows.length; i++) {
            src.get(rows[i] * d, x, i * d, d);
        }
        return of(newName, x, d, y, classNames);
    }

    /** The labels one-hot encoded: {@code [N, K]} in this data set's data type. */
    public INDArray oneHot() {
        return oneHot(labels, numClasses(), dataType());
    }

    /**
     * One-hot encodes labels: row {@code i} has a 1 in column {@code labels[i]} and 0 elsewhere.
     *
     * @param labels     N &ge; 1 labels in {@code [0, numClasses)}
     * @param numClasses K &ge; 1
     * @param type       FLOAT or DOUBLE
     * @return a new {@code [N, K]} c-order array
     */
    public static INDArray oneHot(int[] labels, int numClasses, DataType type) {
        Objects.requireNonNull(labels, "labels must not be null");
        if (labels.length == 0) {
            throw new IllegalArgumentException("labels: expected at least one label, got none");
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses: expected >= 1, got " + numClasses);
        }
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("type: expected FLOAT or DOUBLE, got " + type);
        }
        long[] shape = {labels.length, numClasses};
        int size = Math.multiplyExact(labels.length, numClasses);
        if (type == DataType.FLOAT) {
            float[] out = new float[size];
            for (int i = 0; i < labels.length; i++) {
                out[i * numClasses + checkLabel(labels, i, numClasses)] = 1f;
            }
            return Nd4j.create(out, shape, DataType.FLOAT);
        }
        double[] out = new double[size];
        for (int i = 0; i < labels.length; i++) {
            out[i * numClasses + checkLabel(labels, i, numClasses)] = 1.0;
        }
        return Nd4j.create(out, shape, DataType.DOUBLE);
    }

    private static int checkLabel(int[] labels, int i, int numClasses) {
        int y = labels[i];
        if (y < 0 || y >= numClasses) {
            throw new IllegalArgumentException("labels: entry " + i + " is " + y + ", expected a value in [0, " + numClasses + ")");
        }
        return y;
    }

    /** Row-major copy of the features as doubles (for fitting and transforms in double precision). */
    double[] featuresAsDoubles() {
        if (dataType() == DataType.DOUBLE) {
            double[] x = new double[size() * numFeatures()];
            features.data().asNioDouble().get(0, x);
            return x;
        }
        FloatBuffer b = features.data().asNioFloat();
        double[] x = new double[b.limit()];
        for (int i = 0; i < x.length; i++) {
            x[i] = b.get(i);
        }
        return x;
    }

    /** Labels without a copy, for this package's loops. */
    int[] labelsUnsafe() {
        return labels;
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ": " + size() + " x " + numFeatures() + " " + dataType() + ", " + numClasses() + " classes]";
    }
}
