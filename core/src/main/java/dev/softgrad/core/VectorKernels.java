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
        int i = 0;
        int bound = S.loopBound(k);
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        VectorMask<Float> bad = S.maskAll(false);
        for (; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, z, i);
            bad = bad.or(v.test(VectorOperators.IS_NAN)).or(v.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
            acc = acc.max(v);
        }
        if (bad.anyTrue()) {
            return Float.NaN;
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < k; i++) { // the scalar tail: masked vector ops allocate on JDK 17
            float v = z[i];
            if (v != v || v == Float.POSITIVE_INFINITY) {
                return Float.NaN;
            }
            m = Math.max(m, v);
        }
        return m;
    }

    /**
     * e[j] = exp(z[j] - m); returns the sum of the terms other than one maximal term (ties count
     * their extra 1s), so the row's log-sum is m + log1p(result), exact for confident rows.
     */
    static double expShiftedOthers(float[] z, float m, int k, float[] e) {
        int i = 0;
        int bound = S.loopBound(k);
        FloatVector sum = FloatVector.zero(S);
        int atMax = 0;
        for (; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, z, i);
            VectorMask<Float> isMax = v.compare(VectorOperators.EQ, m);
            FloatVector x = v.sub(m).lanewise(VectorOperators.EXP);
            x.intoArray(e, i);
            sum = sum.add(x, isMax.not());
            atMax += isMax.trueCount();
        }
        double others = sum.reduceLanes(VectorOperators.ADD);
        for (; i < k; i++) {
            float x = (float) Math.exp(z[i] - m);
            e[i] = x;
            if (z[i] == m) {
                atMax++;
            } else {
                others += x;
            }
        }
        return others + (atMax - 1);
    }

    /** e[j] *= f. */
    static void scale(float[] e, int k, float f) {
        int i = 0;
        int bound = S.loopBound(k);
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, e, i).mul(f).intoArray(e, i);
        }
        for (; i < k; i++) {
            e[i] *= f;
        }
    }
}
