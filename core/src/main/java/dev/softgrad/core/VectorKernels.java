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
     * exactly as {@link SoftmaxRow#expShifted}, with {@link SoftmaxRow#exp} performed lane by lane:
     * the same operations in the same order.
     *
     * <p>One loop over whole vectors: the row's full blocks of eight, then, for a row whose length
     * is not a multiple of eight, the last eight elements again (the overlap recomputes the same
     * bits), whose new terms are added to their partials in index order as the scalar loop does.
     * Everything is in this one method on purpose: a helper taking or returning a vector is boxed
     * on JDK 17 whenever the JIT declines to inline it ("callee is too large"), several times slower.
     */
    static void expShifted(double[] z, double zMax, double tau, int k, double[] d, double[] e, double[] partial) {
        int bound = k & ~7;
        int full = bound / L;
        int count = full + (bound < k ? V : 0);
        DoubleVector acc0 = DoubleVector.zero(S);
        DoubleVector acc1 = DoubleVector.zero(S);
        for (int c = 0; c < count; c++) {
            int off = c < full ? c * L : k - 8 + (c - full) * L;
            DoubleVector x = DoubleVector.fromArray(S, z, off).sub(zMax);
            if (tau != 1.0) {
                x = x.div(tau);
            }
            x.intoArray(d, off);
            // e^x as SoftmaxRow.exp: Cody-Waite reduction, Horner written out, 2^n in two halves
            DoubleVector xc = x.max(SoftmaxRow.MIN_ARG);
            DoubleVector t = xc.fma(LOG2E, SHIFTER);
            DoubleVector n = t.sub(SoftmaxRow.SHIFTER);
            DoubleVector r = n.fma(MINUS_LN2_HI, xc);
            r = n.fma(MINUS_LN2_LO, r);
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
            LongVector ni = (LongVector) t.reinterpretAsLongs().sub(SoftmaxRow.SHIFTER_BITS);
            LongVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            LongVector n2 = ni.sub(n1);
            DoubleVector s1 = n1.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector s2 = n2.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector ex = q.mul(s1).mul(s2);
            ex.intoArray(e, off);
            if (c < full) { // a full block: lanes of vector c are partials (c * L) mod 8 ...
                if (V == 1 || (c & 1) == 0) {
                    acc0 = acc0.add(ex);
                } else {
                    acc1 = acc1.add(ex);
                }
            }
        }
        acc0.intoArray(partial, 0);
        if (V == 2) {
            acc1.intoArray(partial, L);
        }
        for (int j = bound; j < k; j++) {
            partial[j & 7] += e[j];
        }
    }

    private static final DoubleVector LOG2E = DoubleVector.broadcast(S, SoftmaxRow.LOG2E);
    private static final DoubleVector SHIFTER = DoubleVector.broadcast(S, SoftmaxRow.SHIFTER);
    private static final DoubleVector MINUS_LN2_HI = DoubleVector.broadcast(S, -SoftmaxRow.LN2_HI);
    private static final DoubleVector MINUS_LN2_LO = DoubleVector.broadcast(S, -SoftmaxRow.LN2_LO);
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
    private static final DoubleVector C13 = c(13);
    private static final DoubleVector C12 = c(12);
    private static final DoubleVector C11 = c(11);
    private static final DoubleVector C10 = c(10);
    private static final DoubleVector C9 = c(9);
    private static final DoubleVector C8 = c(8);
    private static final DoubleVector C7 = c(7);
    private static final DoubleVector C6 = c(6);
    private static final DoubleVector C5 = c(5);
    private static final DoubleVector C4 = c(4);
    private static final DoubleVector C3 = c(3);
    private static final DoubleVector C2 = c(2);

    /** 1/j! in every lane. */
    private static DoubleVector c(int j) {
        return DoubleVector.broadcast(S, SoftmaxRow.C[j]);
    }
}
