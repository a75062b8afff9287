package dev.softgrad.datasets;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shared checks and per-column loops over feature matrices for the scalers; not public API. */
final class FeatureArrays {
    private FeatureArrays() {
    }

    /** The array as a contiguous c-order [N, D] FLOAT or DOUBLE matrix with D columns, or an exception. */
    static INDArray checkedMatrix(INDArray x, int expectedColumns, String owner) {
        Objects.requireNonNull(x, "features must not be null");
        if (x.rank() != 2 || x.columns() != expectedColumns) {
            throw new IllegalArgumentException("features: " + owner + " was fitted on " + expectedColumns
                    + " features and expects shape [N, " + expectedColumns + "], got " + java.util.Arrays.toString(x.shape()));
        }
        if (x.dataType() != DataType.FLOAT && x.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("features: expected data type FLOAT or DOUBLE, got " + x.dataType());
        }
        if (x.isView() || x.ordering() != 'c' || x.data().length() != x.length()) {
            return x.dup('c');
        }
        return x;
    }

    /** Column statistics over a data set: [0] = per-column mean, [1] = population std, [2] = min, [3] = max. */
    static double[][] columnStats(Dataset data) {
        int d = data.numFeatures();
        int n = data.size();
        double[] x = data.featuresAsDoubles();
        double[] mean = new double[d];
        double[] min = new double[d];
        double[] max = new double[d];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j];
                mean[j] += v;
                min[j] = Math.min(min[j], v);
                max[j] = Math.max(max[j], v);
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] std = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double t = x[i * d + j] - mean[j];
                std[j] += t * t;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / n);
        }
        return new double[][] {mean, std, min, max};
    }

    /** out[i, j] = (x[i, j] - shift[j]) / scale[j], computed in double, rounded once to x's type. */
    static INDArray affine(INDArray x, double[] shift, double[] scale) {
        int d = shift.length;
        long n = x.rows();
        int total = Math.toIntExact(n * d);
        if (x.dataType() == DataType.FLOAT) {
            FloatBuffer src = x.data().asNioFloat();
            float[] out = new float[total];
            for (int i = 0; i < total; i++) {
                int j = i % d;
                out[i] = (float) ((src.get(i) - shift[j]) / scale[j]);
            }
            return Nd4j.create(out, x.shape(), DataType.FLOAT);
        }
        DoubleBuffer src = x.data().asNioDouble();
        double[] out = new double[total];
        for (int i = 0; i < total; i++) {
            int j = i % d;
            out[i] = (src.get(i) - shift[j]) / scale[j];
        }
        return Nd4j.create(out, x.shape(), DataType.DOUBLE);
    }

    static double[] map(double[] a, DoubleUnaryOperator f) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = f.applyAsDouble(a[i]);
        }
        return out;
    }
}
