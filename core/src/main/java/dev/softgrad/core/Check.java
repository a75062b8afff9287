package dev.softgrad.core;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument checks shared by the operations; every message names the operation and what came. */
final class Check {
    private Check() {
    }

    static String shape(long[] s) {
        return Arrays.toString(s);
    }

    static String dtype(DataType t) {
        return t == DataType.FLOAT ? "float32" : t == DataType.DOUBLE ? "float64" : t.toString();
    }

    static void floating(String op, String arg, INDArray a) {
        if (a == null) {
            throw new IllegalArgumentException(op + ": " + arg + " must not be null");
        }
        DataType t = a.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException(op + ": " + arg + " must be float32 or float64, got "
                    + dtype(t) + " with shape " + shape(a.shape()));
        }
    }

    static void sameType(String op, Tensor a, Tensor b) {
        if (a.dataType() != b.dataType()) {
            throw new DataTypeMismatchException(op + ": data types differ: " + dtype(a.dataType()) + " "
                    + shape(a.shape()) + " vs " + dtype(b.dataType()) + " " + shape(b.shape())
                    + " (softgrad never converts silently; use Tensor.cast)");
        }
    }

    static void sameShape(String op, long[] a, long[] b) {
        if (!Arrays.equals(a, b)) {
            throw new ShapeMismatchException(op + ": shapes differ: " + shape(a) + " vs " + shape(b));
        }
    }

    static int axis(String op, int axis, int rank) {
        int ax = axis < 0 ? axis + rank : axis;
        if (ax < 0 || ax >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " out of range for rank " + rank
                    + " (expected " + (-rank) + " <= axis < " + rank + ")");
        }
        return ax;
    }

    static void finite(String op, String arg, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(op + ": " + arg + " must be finite, got " + v);
        }
    }
}
