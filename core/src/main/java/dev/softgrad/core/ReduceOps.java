package dev.softgrad.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sums, means and maxima, over all elements or along one axis. An axis reduction views the array
 * as [outer, n, inner] (n the size of the axis) and loops over that view.
 */
final class ReduceOps {
    private ReduceOps() {
    }

    // sum: d/da_i = g ; mean: g / n
    static Tensor sumAll(Tensor a, boolean mean) {
        Dense d = a.dense();
        double s = 0.0;
        for (int i = 0; i < d.n; i++) {
            s += d.get(i);
        }
        double scale = mean ? 1.0 / d.n : 1.0;
        INDArray out = Dense.alloc(a.dataType(), new long[0]);
        Dense.view(out).set(0, s * scale);
        long[] shape = a.shape();
        return Tensor.record(mean ? "mean" : "sum", out, g -> {
            INDArray ga = Dense.alloc(g.dataType(), shape);
            Kernels.fill(ga, Dense.view(g).get(0) * scale);
            return new INDArray[] {ga};
        }, a);
    }

    private static long[] reducedShape(long[] shape, int ax, boolean keepDims) {
        if (keepDims) {
            long[] r = shape.clone();
            r[ax] = 1;
            return r;
        }
        long[] r = new long[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != ax) {
                r[j++] = shape[i];
            }
        }
        return r;
    }

    private static int[] outerNInner(long[] shape, int ax) {
        int outer = 1;
        int inner = 1;
        for (int i = 0; i < ax; i++) {
            outer *= (int) shape[i];
        }
        for (int i = ax + 1; i < shape.length; i++) {
            inner *= (int) shape[i];
        }
        return new int[] {outer, (int) shape[ax], inner};
    }

    // sum along axis: d/da[o, j, i] = g[o, i] ; mean: g[o, i] / n
    static Tensor sumAxis(Tensor a, int axis, boolean keepDims, boolean mean) {
        String op = mean ? "mean" : "sum";
        long[] shape = a.shape();
        int ax = Check.axis(op, axis, shape.length);
        int[] oni = outerNInner(shape, ax);
        int outer = oni[0];
        int n = oni[1];
        int inner = oni[2];
        double scale = mean ? 1.0 / n : 1.0;
        INDArray out = Dense.alloc(a.dataType(), reducedShape(shape, ax, keepDims));
        Dense x = a.dense();
        Dense o = Dense.view(out);
        for (int p = 0; p < outer; p++) {
            for (int i = 0; i < inner; i++) {
                double s = 0.0;
                for (int j = 0; j < n; j++) {
                    s += x.get((p * n + j) * inner + i);
                }
                o.set(p * inner + i, s * scale);
            }
        }
        return Tensor.record(op, out, g -> {
            INDArray ga = Dense.alloc(g.dataType(), shape);
            Dense dg = Dense.view(g);
            Dense dga = Dense.view(ga);
            for (int p = 0; p < outer; p++) {
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < inner; i++) {
                        dga.set((p * n + j) * inner + i, dg.get(p * inner + i) * scale);
                    }
                }
            }
            return new INDArray[] {ga};
        }, a);
    }

    // max along axis: the gradient goes to the first maximal element of each slice
    static Tensor maxAxis(Tensor a, int axis, boolean keepDims) {
        long[] shape = a.shape();
        int ax = Check.axis("max", axis, shape.length);
        int[] oni = outerNInner(shape, ax);
        int outer = oni[0];
        int n = oni[1];
        int inner = oni[2];
        if (n == 0) {
            throw new IllegalArgumentException("max: axis " + axis + " of shape " + Check.shape(shape)
                    + " is empty; a maximum needs at least one element");
        }
        INDArray out = Dense.alloc(a.dataType(), reducedShape(shape, ax, keepDims));
        int[] argmax = new int[outer * inner];
        Dense x = a.dense();
        Dense o = Dense.view(out);
        for (int p = 0; p < outer; p++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                double m = x.get(p * n * inner + i);
                for (int j = 1; j < n; j++) {
                    double v = x.get((p * n + j) * inner + i);
                    // NaN propagates, as in PyTorch: the first NaN wins
                    if (v > m || (Double.isNaN(v) && !Double.isNaN(m))) {
                        m = v;
                        best = j;
                    }
                }
                o.set(p * inner + i, m);
                argmax[p * inner + i] = best;
            }
        }
        return Tensor.record("max", out, g -> {
            INDArray ga = Dense.zeros(g.dataType(), shape);
            Dense dg = Dense.view(g);
            Dense dga = Dense.view(ga);
            for (int p = 0; p < outer; p++) {
                for (int i = 0; i < inner; i++) {
                    dga.set((p * n + argmax[p * inner + i]) * inner + i, dg.get(p * inner + i));
                }
            }
            return new INDArray[] {ga};
        }, a);
    }
}
