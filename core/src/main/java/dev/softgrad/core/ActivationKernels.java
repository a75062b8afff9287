package dev.softgrad.core;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD half of {@link Activations}: tanh and sigmoid and their backward passes over a chunk of
 * doubles, a vector at a time, performing lane by lane exactly the scalar definitions' IEEE
 * operations (e^x as {@link SoftmaxRow#exp}: Cody-Waite reduction, Horner with fused multiply-adds,
 * 2^n as 2^(n + 53) 2^-53; the same divisions, negations and selections), so the bits are those of the
 * scalar code. Loaded only when the module {@code jdk.incubator.vector} is present. The exponential
 * is written inside the loop rather than called: on JDK 17 a helper taking a vector is boxed when
 * the JIT declines to inline it (see {@link VectorKernels}).
 */
final class ActivationKernels {
    private ActivationKernels() {
    }

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** v[i] = f(v[i]) for i < n, f = {@link Activations#TANH} or {@link Activations#SIGMOID}. */
    static void forward(int f, double[] v, int n) {
        boolean tanh = f == Activations.TANH;
        int whole = n - n % L;
        for (int i = 0; i < whole; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, v, i);
            DoubleVector a = x.abs();
            DoubleVector arg = tanh ? a.mul(-2.0) : a.neg();
            // e = e^arg, as SoftmaxRow.exp
            DoubleVector xc = arg.max(SoftmaxRow.MIN_ARG);
            DoubleVector t = xc.fma(LOG2E, SHIFTER);
            DoubleVector nf = t.sub(SoftmaxRow.SHIFTER);
            DoubleVector r = nf.fma(MINUS_LN2_HI, xc);
            r = nf.fma(MINUS_LN2_LO, r);
            DoubleVector q = C13.fma(r, C12);
            q = q.fma(r, C11);
            q = q.fma(r, C10);
            q = q.fma(r, C9);
            q = q.fma(r, C8);
            q = q.fma(r, C7);
            q = q.fma(r, C6);
            q = q.fma(r, C5);
            q = q.fma(r, C4);
            q = q.fma(r, C3);
            q = q.fma(r, C2);
            q = q.fma(r, ONE);
            q = q.fma(r, ONE);
            LongVector bits = (LongVector) t.reinterpretAsLongs().add(SoftmaxRow.SCALE_BIAS);
            DoubleVector scale = bits.lanewise(VectorOperators.LSHL, 52).max(0L).reinterpretAsDoubles();
            DoubleVector e = q.mul(scale).mul(SoftmaxRow.TWO_M53);
            DoubleVector onePlusE = ONE.add(e);
            DoubleVector y;
            if (tanh) {
                DoubleVector tv = ONE.sub(e).div(onePlusE);
                tv = tv.blend(tv.neg(), x.compare(VectorOperators.LT, 0.0));
                DoubleVector small = x.mul(x.mul(x).fma(MINUS_THIRD, ONE));
                y = tv.blend(small, a.compare(VectorOperators.LT, Activations.TANH_SMALL));
            } else {
                VectorMask<Double> nonNegative = x.compare(VectorOperators.GE, 0.0);
                y = e.div(onePlusE).blend(ONE.div(onePlusE), nonNegative);
            }
            y.intoArray(v, i);
        }
        for (int i = whole; i < n; i++) {
            v[i] = tanh ? Activations.tanh(v[i]) : Activations.sigmoid(v[i]);
        }
    }

    /** g[i] = g[i] (1 - y[i]^2) (tanh) or g[i] y[i] (1 - y[i]) (sigmoid) for i < n. */
    static void backward(int f, double[] g, double[] y, int n) {
        boolean tanh = f == Activations.TANH;
        int whole = n - n % L;
        for (int i = 0; i < whole; i += L) {
            DoubleVector gv = DoubleVector.fromArray(S, g, i);
            DoubleVector yv = DoubleVector.fromArray(S, y, i);
            DoubleVector out = tanh ? gv.mul(ONE.sub(yv.mul(yv))) : gv.mul(yv).mul(ONE.sub(yv));
            out.intoArray(g, i);
        }
        for (int i = whole; i < n; i++) {
            g[i] = tanh ? g[i] * (1 - y[i] * y[i]) : g[i] * y[i] * (1 - y[i]);
        }
    }

    private static DoubleVector all(double v) {
        return DoubleVector.broadcast(S, v);
    }

    private static final DoubleVector LOG2E = all(SoftmaxRow.LOG2E);
    private static final DoubleVector SHIFTER = all(SoftmaxRow.SHIFTER);
    private static final DoubleVector MINUS_LN2_HI = all(-SoftmaxRow.LN2_HI);
    private static final DoubleVector MINUS_LN2_LO = all(-SoftmaxRow.LN2_LO);
    private static final DoubleVector ONE = all(1.0);
    private static final DoubleVector MINUS_THIRD = all(Activations.MINUS_THIRD);
    private static final DoubleVector C13 = all(SoftmaxRow.C[13]);
    private static final DoubleVector C12 = all(SoftmaxRow.C[12]);
    private static final DoubleVector C11 = all(SoftmaxRow.C[11]);
    private static final DoubleVector C10 = all(SoftmaxRow.C[10]);
    private static final DoubleVector C9 = all(SoftmaxRow.C[9]);
    private static final DoubleVector C8 = all(SoftmaxRow.C[8]);
    private static final DoubleVector C7 = all(SoftmaxRow.C[7]);
    private static final DoubleVector C6 = all(SoftmaxRow.C[6]);
    private static final DoubleVector C5 = all(SoftmaxRow.C[5]);
    private static final DoubleVector C4 = all(SoftmaxRow.C[4]);
    private static final DoubleVector C3 = all(SoftmaxRow.C[3]);
    private static final DoubleVector C2 = all(SoftmaxRow.C[2]);
}
