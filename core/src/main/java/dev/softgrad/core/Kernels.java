package dev.softgrad.core;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element-wise loops over dense arrays, in Java over the arrays' memory: on the small arrays of a
 * training step a loop costs far less than one native ND4J call (see BENCHMARKS.md).
 */
final class Kernels {
    private Kernels() {
    }

    /** out = f(x), all of one shape. */
    static void map(INDArray x, INDArray out, DoubleUnaryOperator f) {
        Dense a = Dense.of(x);
        Dense o = Dense.of(out);
        if (a.f != null) {
            for (int i = 0; i < a.n; i++) {
                o.f.put(i, (float) f.applyAsDouble(a.f.get(i)));
            }
        } else {
            for (int i = 0; i < a.n; i++) {
                o.d.put(i, f.applyAsDouble(a.d.get(i)));
            }
        }
    }

    /** out = f(x, y), all of one shape. */
    static void zip(INDArray x, INDArray y, INDArray out, DoubleBinaryOperator f) {
        Dense a = Dense.of(x);
        Dense b = Dense.of(y);
        Dense o = Dense.of(out);
        if (a.f != null) {
            for (int i = 0; i < a.n; i++) {
                o.f.put(i, (float) f.applyAsDouble(a.f.get(i), b.f.get(i)));
            }
        } else {
            for (int i = 0; i < a.n; i++) {
                o.d.put(i, f.applyAsDouble(a.d.get(i), b.d.get(i)));
            }
        }
    }

    /** out = x + y, same shape. */
    static void add(INDArray x, INDArray y, INDArray out) {
        Dense a = Dense.of(x);
        Dense b = Dense.of(y);
        Dense o = Dense.of(out);
        if (a.f != null) {
            for (int i = 0; i < a.n; i++) {
                o.f.put(i, a.f.get(i) + b.f.get(i));
            }
        } else {
            for (int i = 0; i < a.n; i++) {
                o.d.put(i, a.d.get(i) + b.d.get(i));
            }
        }
    }

    /** acc += x, same shape. */
    static void addInPlace(INDArray acc, INDArray x) {
        add(acc, x, acc);
    }

    /** out = c * x. */
    static void scale(INDArray x, double c, INDArray out) {
        Dense a = Dense.of(x);
        Dense o = Dense.of(out);
        if (a.f != null) {
            float cf = (float) c;
            for (int i = 0; i < a.n; i++) {
                o.f.put(i, cf * a.f.get(i));
            }
        } else {
            for (int i = 0; i < a.n; i++) {
                o.d.put(i, c * a.d.get(i));
            }
        }
    }

    /** Every element of out set to v. */
    static void fill(INDArray out, double v) {
        Dense o = Dense.of(out);
        for (int i = 0; i < o.n; i++) {
            o.set(i, v);
        }
    }
}
