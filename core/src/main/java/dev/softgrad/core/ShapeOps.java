package dev.softgrad.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Reshape and transpose. */
final class ShapeOps {
    private ShapeOps() {
    }

    static long[] resolve(long[] from, long[] to) {
        long total = 1;
        for (long s : from) {
            total *= s;
        }
        long known = 1;
        int infer = -1;
        long[] r = to.clone();
        for (int i = 0; i < r.length; i++) {
            if (r[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: at most one size may be -1, got "
                            + Check.shape(to));
                }
                infer = i;
            } else if (r[i] < 0) {
                throw new IllegalArgumentException("reshape: sizes must be >= 0 or -1, got " + Check.shape(to));
            } else {
                known *= r[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                throw new ShapeMismatchException("reshape: cannot infer -1 in " + Check.shape(to) + " from "
                        + Check.shape(from) + " (" + total + " elements)");
            }
            r[infer] = total / known;
            known = total;
        }
        if (known != total) {
            throw new ShapeMismatchException("reshape: " + Check.shape(from) + " (" + total + " elements) cannot become "
                    + Check.shape(to) + " (" + known + " elements)");
        }
        return r;
    }

    // d reshape = g reshaped back
    static Tensor reshape(Tensor a, long[] shape) {
        long[] from = a.shape();
        long[] to = resolve(from, shape);
        INDArray out = a.value().reshape('c', to);
        return Tensor.record("reshape", out, g -> new INDArray[] {g.reshape('c', from)}, a);
    }

    static INDArray transpose2d(INDArray x) {
        long[] s = x.shape();
        int r = (int) s[0];
        int c = (int) s[1];
        INDArray out = Dense.alloc(x.dataType(), new long[] {c, r});
        Dense dx = Dense.view(x);
        Dense o = Dense.view(out);
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                o.set(j * r + i, dx.get(i * c + j));
            }
        }
        return out;
    }

    // d transpose = g transposed
    static Tensor transpose(Tensor a) {
        if (a.rank() < 2) {
            return a;
        }
        if (a.rank() > 2) {
            throw new IllegalArgumentException("transpose: rank-2 tensor expected, got shape "
                    + Check.shape(a.shape()) + " (use reshape for other layouts)");
        }
        INDArray out = transpose2d(a.value());
        return Tensor.record("transpose", out, g -> new INDArray[] {transpose2d(g)}, a);
    }
}
