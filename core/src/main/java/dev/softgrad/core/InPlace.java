package dev.softgrad.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * In-place updates of dense arrays in Java loops, for optimisers and other code outside the graph
 * that must not allocate (one native ND4J call costs more than the whole loop on small arrays).
 * Arrays must be dense, C-ordered float32 or float64 arrays of one type and length, as every
 * {@link Tensor} value and gradient is.
 */
public final class InPlace {
    private InPlace() {
    }

    private static void check(String op, INDArray y, INDArray x) {
        Check.floating(op, "target", y);
        Check.floating(op, "source", x);
        if (!Dense.isDense(y) || !Dense.isDense(x)) {
            throw new IllegalArgumentException(op + ": arrays must be dense and C-ordered (Tensor values and gradients are)");
        }
        if (y.dataType() != x.dataType()) {
            throw new DataTypeMismatchException(op + ": data types differ: " + Check.dtype(y.dataType()) + " vs "
                    + Check.dtype(x.dataType()));
        }
        if (y.length() != x.length()) {
            throw new ShapeMismatchException(op + ": lengths differ: " + Check.shape(y.shape()) + " vs "
                    + Check.shape(x.shape()));
        }
    }

    /** y += a * x (one chunked, allocation-free pass; split over the cores for large arrays). */
    public static void axpy(double a, INDArray x, INDArray y) {
        check("axpy", y, x);
        Kernels.axpby(a, x, 1.0, y, y);
    }

    /** y = c * y + a * x. */
    public static void scaleAdd(double c, INDArray y, double a, INDArray x) {
        check("scaleAdd", y, x);
        Dense dx = Dense.view(x);
        Dense dy = Dense.view(y);
        for (int i = 0; i < dx.n; i++) {
            dy.set(i, c * dy.get(i) + a * dx.get(i));
        }
    }

    /** y = x (whatever y held before, NaN included). */
    public static void copy(INDArray x, INDArray y) {
        check("copy", y, x);
        Kernels.copy(x, y);
    }
}
