package dev.softgrad.core;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD half of {@link SoftmaxRow}: the same exponentials and partial sums as its scalar
 * definition ({@link SoftmaxRow#expShifted}), a vector of doubles at a time (the JDK's incubating
 * Vector API). Loaded only when the module {@code jdk.incubator.vector} is present.
 *
 * <p>Same bits as the scalar code, by construction: every operation is one IEEE operation per lane
 * (subtract, divide, fused multiply-add, multiply, integer add and shift), rounded exactly as its
 * scalar counterpart, so lane j computes what the scalar loop computes for element j; and the sum
 * is kept as eight partials (element j into partial j mod 8), one vector of eight lanes or two of
 * four, filled in index order. The JDK's own vector {@code EXP} is not used: on JDK 17 it rounded
 * differently before and after JIT compilation.
 */
final class VectorKernels {
    private VectorKernels() {
    }

    /** The species of the kernel (tests build vectors of it). */
    static final VectorSpecies<Double> S = pick();

    /** Eight lanes (AVX-512) or four (AVX2); anything else would not split the eight partials evenly. */
    private static VectorSpecies<Double> pick() {
        VectorSpecies<Double> preferred = DoubleVector.SPECIES_PREFERRED;
        return preferred.length() >= 8 ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
    }

    private static final int L = S.length();
    /** Vectors per block of eight elements. */
    private static final int V = 8 / L;

    /** Rows shorter than one block stay in the scalar loop. */
    static final int MIN_LENGTH = 8;

    /**
     * d_j = (z_j - zMax) / tau, e_j = exp(d_j), and the eight partial sums of e (into partial),
     * exactly as {@link SoftmaxRow#expShifted}.
     */
    static void expShifted(double[] z, double zMax, double tau, int k, double[] d, double[] e, double[] partial) {
        int bound = k & ~7;
        DoubleVector acc0 = DoubleVector.zero(S);
        DoubleVector acc1 = DoubleVector.zero(S);
        boolean divide = tau != 1.0;
        for (int j = 0; j < bound; j += 8) {
            DoubleVector x0 = DoubleVector.fromArray(S, z, j).sub(zMax);
            if (divide) {
                x0 = x0.div(tau);
            }
            x0.intoArray(d, j);
            DoubleVector e0 = exp(x0);
            e0.intoArray(e, j);
            acc0 = acc0.add(e0);
            if (V == 2) {
                DoubleVector x1 = DoubleVector.fromArray(S, z, j + L).sub(zMax);
                if (divide) {
                    x1 = x1.div(tau);
                }
                x1.intoArray(d, j + L);
                DoubleVector e1 = exp(x1);
                e1.intoArray(e, j + L);
                acc1 = acc1.add(e1);
            }
        }
        acc0.intoArray(partial, 0);
        if (V == 2) {
            acc1.intoArray(partial, L);
        }
        for (int j = bound; j < k; j++) { // the tail continues the same partials
            double dj = SoftmaxRow.shifted(z[j], zMax, tau);
            double ej = SoftmaxRow.exp(dj);
            d[j] = dj;
            e[j] = ej;
            partial[j & 7] += ej;
        }
    }

    /** {@link SoftmaxRow#exp} lane by lane: the same operations in the same order. */
    static DoubleVector exp(DoubleVector x) {
        DoubleVector xc = x.max(SoftmaxRow.MIN_ARG);
        DoubleVector t = xc.fma(LOG2E, SHIFTER);
        DoubleVector n = t.sub(SoftmaxRow.SHIFTER);
        DoubleVector r = n.fma(MINUS_LN2_HI, xc);
        r = n.fma(MINUS_LN2_LO, r);
        DoubleVector q = COEF[13];
        for (int j = 12; j >= 1; j--) {
            q = q.fma(r, COEF[j]);
        }
        q = q.fma(r, ONE);
        LongVector ni = (LongVector) t.reinterpretAsLongs().sub(SoftmaxRow.SHIFTER_BITS);
        LongVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        LongVector n2 = ni.sub(n1);
        DoubleVector s1 = n1.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector s2 = n2.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return q.mul(s1).mul(s2);
    }

    private static final DoubleVector LOG2E = DoubleVector.broadcast(S, SoftmaxRow.LOG2E);
    private static final DoubleVector SHIFTER = DoubleVector.broadcast(S, SoftmaxRow.SHIFTER);
    private static final DoubleVector MINUS_LN2_HI = DoubleVector.broadcast(S, -SoftmaxRow.LN2_HI);
    private static final DoubleVector MINUS_LN2_LO = DoubleVector.broadcast(S, -SoftmaxRow.LN2_LO);
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
    private static final DoubleVector[] COEF = new DoubleVector[SoftmaxRow.C.length];

    static {
        for (int j = 0; j < COEF.length; j++) {
            COEF[j] = DoubleVector.broadcast(S, SoftmaxRow.C[j]);
        }
    }
}
