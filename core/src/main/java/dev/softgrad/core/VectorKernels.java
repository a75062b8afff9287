package dev.softgrad.core;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD row kernels on float32 rows (the JDK's incubating Vector API). Loaded only through
 * {@link SoftmaxKernels} when the module {@code jdk.incubator.vector} is present
 * ({@code --add-modules jdk.incubator.vector}); otherwise the scalar double kernels run.
 *
 * <p>The exponential is softgrad's own ({@link #exp}), built only from IEEE operations that give
 * the same bits interpreted and compiled (multiply, add, fused multiply-add, conversions): the
 * JDK's vector {@code EXP} rounds differently before and after JIT compilation on JDK 17, which
 * made float32 training runs differ from run to run. Sums are reduced in a fixed lane order for
 * the same reason. Accuracy: within 1 ulp of the correctly rounded float result (tested).
 */
final class VectorKernels {
    private VectorKernels() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split for Cody-Waite range reduction: LN2_HI has few bits, so n * LN2_HI is exact. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding then subtracting it rounds a float to the nearest integer. */
    private static final float SHIFTER = 12582912f;
    /** Below this e^x is 0 in float32, subnormals included; -inf (a masked class) lands here too. */
    private static final float MIN_ARG = -110f;

    /**
     * e^x per lane for x <= 0 (softmax's shifted logits), deterministic and within 1 ulp: x = n ln2 + r, |r| <= ln2 / 2, e^r by its Taylor
     * polynomial of degree 7 (truncation error below 6e-9 relative) in Horner form with fused
     * multiply-adds, then scaled by 2^n as 2^(n/2) * 2^(n - n/2) so that subnormal results are right.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(MIN_ARG); // callers pass z - max(z) <= 0: no overflow to guard against
        FloatVector t = xc.fma(V_LOG2E, V_SHIFTER);                 // n + 1.5 * 2^23: n sits in the low mantissa bits
        FloatVector n = t.sub(SHIFTER);
        FloatVector r = n.fma(V_MINUS_LN2_HI, xc);                   // exact: n * LN2_HI needs few bits
        r = n.fma(V_MINUS_LN2_LO, r);
        FloatVector p = r.fma(V_C7, V_C6);
        p = p.fma(r, V_C5);
        p = p.fma(r, V_C4);
        p = p.fma(r, V_C3);
        p = p.fma(r, V_C2);
        p = p.fma(r, V_ONE);
        p = p.fma(r, V_ONE);
        IntVector ni = (IntVector) t.reinterpretAsInts().sub(SHIFTER_BITS); // n, without a float-to-int conversion
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    private static final FloatVector V_LOG2E = FloatVector.broadcast(S, LOG2E);
    private static final FloatVector V_SHIFTER = FloatVector.broadcast(S, SHIFTER);
    private static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);
    private static final FloatVector V_MINUS_LN2_HI = FloatVector.broadcast(S, -LN2_HI);
    private static final FloatVector V_MINUS_LN2_LO = FloatVector.broadcast(S, -LN2_LO);
    private static final FloatVector V_C7 = FloatVector.broadcast(S, 1f / 5040);
    private static final FloatVector V_C6 = FloatVector.broadcast(S, 1f / 720);
    private static final FloatVector V_C5 = FloatVector.broadcast(S, 1f / 120);
    private static final FloatVector V_C4 = FloatVector.broadcast(S, 1f / 24);
    private static final FloatVector V_C3 = FloatVector.broadcast(S, 1f / 6);
    private static final FloatVector V_C2 = FloatVector.broadcast(S, 0.5f);
    private static final FloatVector V_ONE = FloatVector.broadcast(S, 1f);

    /** The lanes of v added in index order (reduceLanes may add in any order). */
    private static double sumLanes(FloatVector v, float[] scratch) {
        v.intoArray(scratch, 0);
        double s = 0;
        for (int i = 0; i < S.length(); i++) {
            s += scratch[i];
        }
        return s;
    }

    /** Scratch for {@link #sumLanes}, one lane vector long. */
    static float[] laneScratch() {
        return new float[S.length()];
    }

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
    static double expShiftedOthers(float[] z, float m, int k, float[] e, float[] lanes) {
        int i = 0;
        int bound = S.loopBound(k);
        FloatVector sum = FloatVector.zero(S);
        int atMax = 0;
        for (; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, z, i);
            VectorMask<Float> isMax = v.compare(VectorOperators.EQ, m);
            FloatVector x = exp(v.sub(m));
            x.intoArray(e, i);
            sum = sum.add(x, isMax.not());
            atMax += isMax.trueCount();
        }
        double others = sumLanes(sum, lanes);
        for (; i < k; i++) {
            float x = exp(FloatVector.broadcast(S, z[i] - m)).lane(0); // the same exponential as the lanes
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
