package dev.softgrad.core;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD row kernels on float32 rows (the JDK's incubating Vector API; its EXP is within 1 ulp of
 * the exact result, the same bound as {@link Math#exp}). Loaded only through
 * {@link SoftmaxKernels} when the module {@code jdk.incubator.vector} is present
 * ({@code --add-modules jdk.incubator.vector}); otherwise the scalar double kernels run.
 */
final class VectorKernels {
    private VectorKernels() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * The row maximum; NaN if the row holds a NaN or +inf (the caller then reports the element with
     * the scalar kernel).
     */
    static float max(float[] z, int k) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        VectorMask<Float> bad = S.maskAll(false);
        for (int i = 0; i < k; i += S.length()) {
            VectorMask<Float> in = S.indexInRange(i, k); // the last, partial vector is masked, not scalar
            FloatVector v = FloatVector.fromArray(S, z, i, in);
            bad = bad.or(v.test(VectorOperators.IS_NAN, in)).or(v.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY, in));
            acc = acc.blend(acc.max(v), in);
        }
        if (bad.anyTrue()) {
            return Float.NaN;
        }
        return acc.reduceLanes(VectorOperators.MAX);
    }

    /**
     * e[j] = exp(z[j] - m); returns the sum of the terms other than one maximal term (ties count
     * their extra 1s), so the row's log-sum is m + log1p(result), exact for confident rows.
     */
    static double expShiftedOthers(float[] z, float m, int k, float[] e) {
        FloatVector sum = FloatVector.zero(S);
        int atMax = 0;
        for (int i = 0; i < k; i += S.length()) {
            VectorMask<Float> in = S.indexInRange(i, k);
            FloatVector v = FloatVector.fromArray(S, z, i, in);
            VectorMask<Float> isMax = v.compare(VectorOperators.EQ, m, in);
            FloatVector x = v.sub(m).lanewise(VectorOperators.EXP);
            x.intoArray(e, i, in);
            sum = sum.add(x, in.andNot(isMax));
            atMax += isMax.trueCount();
        }
        return sum.reduceLanes(VectorOperators.ADD) + (atMax - 1);
    }

    /** e[j] *= f. */
    static void scale(float[] e, int k, float f) {
        for (int i = 0; i < k; i += S.length()) {
            VectorMask<Float> in = S.indexInRange(i, k);
            FloatVector.fromArray(S, e, i, in).mul(f).intoArray(e, i, in);
        }
    }
}
