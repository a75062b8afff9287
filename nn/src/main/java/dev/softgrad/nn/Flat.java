package dev.softgrad.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to a dense, C-ordered float32 or float64 array through a direct view of its
 * memory (no native call per element). Every array softgrad makes is dense; arrays from users are
 * made dense before they get here.
 */
final class Flat {
    private final FloatBuffer f;
    private final DoubleBuffer d;
    final int n;

    private Flat(INDArray a) {
        if (a.ordering() != 'c' || a.offset() != 0 || a.data().length() != a.length()) {
            throw new IllegalArgumentException("expected a dense C-ordered array, got ordering " + a.ordering()
                    + ", offset " + a.offset() + ", buffer " + a.data().length() + " for " + a.length() + " elements");
        }
        this.n = Math.toIntExact(a.length());
        if (a.dataType() == DataType.FLOAT) {
            f = a.data().asNioFloat();
            d = null;
        } else if (a.dataType() == DataType.DOUBLE) {
            f = null;
            d = a.data().asNioDouble();
        } else {
            throw new IllegalArgumentException("expected a float32 or float64 array, got " + a.dataType());
        }
    }

    static Flat of(INDArray a) {
        return new Flat(a);
    }

    double get(int i) {
        return f != null ? f.get(i) : d.get(i);
    }

    void set(int i, double v) {
        if (f != null) {
            f.put(i, (float) v);
        } else {
            d.put(i, v);
        }
    }

    /** Sum of squares, accumulated in double. */
    double squaredNorm() {
        double s = 0;
        if (f != null) {
            for (int i = 0; i < n; i++) {
                double v = f.get(i);
                s += v * v;
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = d.get(i);
                s += v * v;
            }
        }
        return s;
    }

    /** Multiplies every element by c in place. */
    void scale(double c) {
        if (f != null) {
            float cf = (float) c;
            for (int i = 0; i < n; i++) {
                f.put(i, f.get(i) * cf);
            }
        } else {
            for (int i = 0; i < n; i++) {
                d.put(i, d.get(i) * c);
            }
        }
    }
}
