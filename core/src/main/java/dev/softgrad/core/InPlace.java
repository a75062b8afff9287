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

    /** y += a * x. */
    public static void axpy(double a, INDArray x, INDArray y) {
        check("axpy", y, x);
        Dense dx = Dense.view(x);
        Dense dy = Dense.view(y);
        if (dx.f != null) {
            float af = (float) a;
            for (int i = 0; i < dx.n; i++) {
                dy.f.put(i, dy.f.get(i) + af * dx.f.get(i));
            }
        } else {
            for (int i = 0; i < dx.n; i++) {
                dy.d.put(i, dy.d.get(i) + a * dx.d.get(i));
            }
        }
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

    /** y = x. */
    public static void copy(INDArray x, INDArray y) {
        scaleAdd(0.0, y, 1.0, x);
    }
}
