package dev.softgrad.core;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy/PyTorch broadcasting: shapes are aligned at their last axis; two sizes agree when equal or
 * when one is 1. The gradient of a broadcast operand is the upstream gradient summed over the axes
 * along which the operand was repeated ({@link #reduceTo}).
 */
final class Broadcast {
    private Broadcast() {
    }

    static long[] resultShape(String op, long[] a, long[] b) {
        if (Arrays.equals(a, b)) {
            return a;
        }
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long da = i < r - a.length ? 1 : a[i - (r - a.length)];
            long db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeMismatchException(op + ": shapes " + Check.shape(a) + " and " + Check.shape(b)
                        + " cannot be broadcast (axis " + i + " of the result: " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Element strides of an operand of shape {@code s} seen in the index space of {@code out}: 0 where repeated. */
    static int[] strides(long[] s, long[] out) {
        int r = out.length;
        int[] st = new int[r];
        int stride = 1;
        for (int i = s.length - 1; i >= 0; i--) {
            int j = i + (r - s.length);
            st[j] = s[i] == 1 ? 0 : stride;
            stride *= (int) s[i];
        }
        return st;
    }

    /** out = f(a, b) with broadcasting; out has the broadcast shape. */
    static void apply(INDArray a, INDArray b, INDArray out, DoubleBinaryOperator f) {
        long[] os = out.shape();
        if (Arrays.equals(a.shape(), os) && Arrays.equals(b.shape(), os)) {
            Kernels.zip(a, b, out, f);
            return;
        }
        Dense da = Dense.view(a);
        Dense db = Dense.view(b);
        Dense o = Dense.view(out);
        if (o.n == 0) {
            return;
        }
        int r = os.length;
        int[] sa = strides(a.shape(), os);
        int[] sb = strides(b.shape(), os);
        int inner = (int) os[r - 1];
        int ia = sa[r - 1];
        int ib = sb[r - 1];
        int[] idx = new int[r];
        int offA = 0;
        int offB = 0;
        int k = 0;
        int outer = o.n / inner;
        for (int q = 0; q < outer; q++) {
            for (int j = 0; j < inner; j++) {
                o.set(k++, f.applyAsDouble(da.get(offA + j * ia), db.get(offB + j * ib)));
            }
            for (int dim = r - 2; dim >= 0; dim--) {
                idx[dim]++;
                offA += sa[dim];
                offB += sb[dim];
                if (idx[dim] < os[dim]) {
                    break;
                }
                offA -= sa[dim] * (int) os[dim];
                offB -= sb[dim] * (int) os[dim];
                idx[dim] = 0;
            }
        }
    }

    /** g summed down to {@code shape} (g itself when the shapes are equal). */
    static INDArray reduceTo(INDArray g, long[] shape) {
        long[] gs = g.shape();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        INDArray out = Dense.zeros(g.dataType(), shape);
        Dense dg = Dense.view(g);
        Dense o = Dense.view(out);
        if (dg.n == 0) {
            return out;
        }
        int r = gs.length;
        int[] so = strides(shape, gs);
        int inner = (int) gs[r - 1];
        int io = so[r - 1];
        int[] idx = new int[r];
        int off = 0;
        int k = 0;
        int outer = dg.n / inner;
        for (int q = 0; q < outer; q++) {
            for (int j = 0; j < inner; j++) {
                o.add(off + j * io, dg.get(k++));
            }
            for (int dim = r - 2; dim >= 0; dim--) {
                idx[dim]++;
                off += so[dim];
                if (idx[dim] < gs[dim]) {
                    break;
                }
                off -= so[dim] * (int) gs[dim];
                idx[dim] = 0;
            }
        }
        return out;
    }
}
