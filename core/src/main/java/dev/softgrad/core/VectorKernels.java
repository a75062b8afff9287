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
        for (int j = 0; j < bound; j += 8) {
            acc0 = acc0.add(expAt(z, j, zMax, tau, d, e));
            if (V == 2) {
                acc1 = acc1.add(expAt(z, j + L, zMax, tau, d, e));
            }
        }
        acc0.intoArray(partial, 0);
        if (V == 2) {
            acc1.intoArray(partial, L);
        }
        if (bound < k) {
            // the tail: the last eight elements again as whole vectors (the overlap recomputes the same
            // bits), then the tail's terms added to their partials in index order, as the scalar loop does
            for (int v = 0; v < V; v++) {
                expAt(z, k - 8 + v * L, zMax, tau, d, e);
            }
            for (int j = bound; j < k; j++) {
                partial[j & 7] += e[j];
            }
        }
    }

    /** One vector from offset j: d = (z - zMax) / tau and e = exp(d) stored; returns e. */
    private static DoubleVector expAt(double[] z, int j, double zMax, double tau, double[] d, double[] e) {
        DoubleVector x = DoubleVector.fromArray(S, z, j).sub(zMax);
        if (tau != 1.0) {
            x = x.div(tau);
        }
        x.intoArray(d, j);
        DoubleVector ex = exp(x);
        ex.intoArray(e, j);
        return ex;
    }

    /** {@link SoftmaxRow#exp} lane by lane: the same operations in the same order. */
    static DoubleVector exp(DoubleVector x) {
        DoubleVector xc = x.max(SoftmaxRow.MIN_ARG);
        DoubleVector t = xc.fma(LOG2E, SHIFTER);
        DoubleVector n = t.sub(SoftmaxRow.SHIFTER);
        DoubleVector r = n.fma(MINUS_LN2_HI, xc);
        r = n.fma(MINUS_LN2_LO, r);
        // Horner, written out: a loop over an array of vectors would box them on JDK 17 (~15x slower)
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
        return q.mul(s1).mul(s2);
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
