package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * softgrad's exponential ({@link SoftmaxRow#exp}): within 1 ulp of the exact value, and its vector
 * form (inside {@link VectorKernels#expShifted}) gives the same bits, cold and after JIT compilation.
 */
class VectorExpTest {

    static final MathContext MC = new MathContext(40);

    /** e^x to 40 digits: (e^(x / 2^20))^(2^20), the inner one by its Taylor series. */
    static BigDecimal exactExp(double x) {
        BigDecimal y = new BigDecimal(x).divide(BigDecimal.valueOf(1L << 20), MC);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int j = 1; j < 12; j++) {
            term = term.multiply(y, MC).divide(BigDecimal.valueOf(j), MC);
            sum = sum.add(term, MC);
        }
        for (int j = 0; j < 20; j++) {
            sum = sum.multiply(sum, MC);
        }
        return sum;
    }

    /** e^x through the vector kernel: a row of eight x's against zMax = 0 and tau = 1, so d = x. */
    static double vexp(double x) {
        double[] z = new double[8];
        java.util.Arrays.fill(z, x);
        double[] e = new double[8];
        VectorKernels.expShifted(z, 0.0, 1.0, 8, new double[8], e, new double[8]);
        return e[3];
    }

    @Test
    void withinOneUlpOfTheExactExponentialDownToSubnormals() {
        SplittableRandom r = new SplittableRandom(1);
        double worst = 0;
        double at = 0;
        for (int i = 0; i < 3000; i++) {
            double x = i < 2000 ? -r.nextDouble(0, 40) : -r.nextDouble(40, 745);
            double got = SoftmaxRow.exp(x);
            BigDecimal exact = exactExp(x);
            double ulp = Math.ulp(exact.doubleValue());
            double err = new BigDecimal(got).subtract(exact, MC).abs().doubleValue() / ulp;
            if (err > worst) {
                worst = err;
                at = x;
            }
        }
        assertTrue(worst <= 1.0, "worst error " + worst + " ulp at x = " + at);
        assertEquals(0.0, SoftmaxRow.exp(Double.NEGATIVE_INFINITY), 0.0, "a masked class: exactly 0");
        assertEquals(0.0, SoftmaxRow.exp(-746), 0.0, "below half the smallest subnormal: 0");
        assertEquals(1.0, SoftmaxRow.exp(0.0), 0.0, "e^0 = 1 exactly: the max term of a row");
        double sub = SoftmaxRow.exp(-720);
        assertTrue(sub > 0 && sub < Double.MIN_NORMAL, "subnormal results are kept, not flushed: " + sub);
        assertEquals(Math.exp(-720), sub, Math.ulp(sub), "a subnormal result within 1 ulp");
    }

    @Test
    void vectorAndScalarExponentialsAreTheSameBitsColdAndCompiled() {
        Assumptions.assumeTrue(SoftmaxRow.SIMD_AVAILABLE, "jdk.incubator.vector is not in this JVM");
        double[] xs = new double[4096];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i % 3 == 0 ? -r.nextDouble(0, 750) : -r.nextDouble(0, 2);
        }
        xs[0] = Double.NEGATIVE_INFINITY;
        xs[1] = 0.0;
        xs[2] = -745.1;
        for (int rep = 0; rep < 200; rep++) { // long enough for C2 to compile both
            for (double x : xs) {
                long scalar = Double.doubleToRawLongBits(SoftmaxRow.exp(x));
                long vector = Double.doubleToRawLongBits(vexp(x));
                if (scalar != vector) {
                    fail("e^" + x + ": scalar " + SoftmaxRow.exp(x) + " vs vector " + vexp(x)
                            + " at repetition " + rep);
                }
            }
        }
    }

    /**
     * The float path's exponential of a float row against max z = 0: e_j of each z_j through the
     * scalar loop, or the vector kernel (k >= 16, the row padded with -inf to whole blocks of
     * sixteen as the kernel needs), with tau = 1 or 4; the sixteen partial sums of s into partial.
     */
    static float[] rowExpF(float[] z, float tau, boolean vector, double[] partial) {
        int k = z.length;
        float lo = SoftmaxRow.floorArg(0f, tau);
        if (vector) {
            float[] padded = java.util.Arrays.copyOf(z, SoftmaxRow.paddedLengthF(k));
            java.util.Arrays.fill(padded, k, padded.length, Float.NEGATIVE_INFINITY);
            float[] e = new float[padded.length];
            VectorKernels.expShiftedF(padded, 0f, tau, lo, k, e, partial);
            return java.util.Arrays.copyOf(e, k);
        }
        float[] e = new float[k];
        SoftmaxRow.expShiftedF(z, 0f, tau, lo, k, e, partial);
        return e;
    }

    @Test
    void floatPathExponentialIsWithinOneUlpOfTheExactValueOfTheExactArgument() {
        // z_j - 0 and (z_j - 0) / 4 are exact here, so the reference is e^(z / tau) in float
        SplittableRandom r = new SplittableRandom(3);
        float[] z = new float[2000];
        for (int j = 0; j < z.length; j++) {
            z[j] = (float) (j < 1500 ? -r.nextDouble(0, 20) : -r.nextDouble(20, 110));
        }
        for (float tau : new float[] {1f, 4f}) {
            float[] e = rowExpF(z, tau, false, new double[SoftmaxRow.PARTIALS_F]);
            double worst = 0;
            for (int j = 0; j < z.length; j++) {
                double exact = exactExp((double) z[j] / tau).doubleValue();
                float ref = (float) exact;
                double err = Math.abs(e[j] - exact) / Math.ulp(ref == 0f ? Float.MIN_VALUE : ref);
                worst = Math.max(worst, err);
            }
            assertTrue(worst <= 1.0, "tau = " + tau + ": worst error " + worst + " float ulp");
        }
        assertEquals(1f, SoftmaxRow.expF(0f, 0f), 0f, "e^0 = 1 exactly");
        assertEquals(0f, SoftmaxRow.expF(-110f, 0f), 0f, "e^-110 is 0 in float");
        float sub = SoftmaxRow.expF(-100f, 0f);
        assertTrue(sub > 0 && sub < Float.MIN_NORMAL, "subnormal results are kept: " + sub);
    }

    /**
     * The scaling by 2^n as (q 2^(n + bias)) 2^-bias is the two-halves definition q 2^(n/2) 2^(n - n/2)
     * with its zero guard, bit for bit, at every n the exponentials meet (both multiplies' roundings
     * argued in {@link SoftmaxRow#expF}): checked on arguments spread over each n, subnormal results
     * and the n where the result becomes 0 included. An exponent bias one off fails here.
     */
    @Test
    void scalingIsTheTwoHalvesDefinitionBitForBit() {
        SplittableRandom r = new SplittableRandom(11);
        for (int n = -160; n <= 0; n++) {
            for (int i = 0; i < 200; i++) {
                float x = (float) ((n + r.nextDouble(-0.5, 0.5)) * Math.log(2));
                x = Math.min(x, 0f);
                assertEquals(Float.floatToRawIntBits(twoHalvesF(x)), Float.floatToRawIntBits(SoftmaxRow.expF(x, 0f)),
                        "float, x = " + x);
            }
        }
        for (int n = -1080; n <= 0; n++) {
            for (int i = 0; i < 20; i++) {
                double x = Math.min((n + r.nextDouble(-0.5, 0.5)) * Math.log(2), 0.0);
                assertEquals(Double.doubleToRawLongBits(twoHalves(x)), Double.doubleToRawLongBits(SoftmaxRow.exp(x)),
                        "double, x = " + x);
            }
        }
    }

    /** The float exponential with the earlier scaling: 2^(n/2) 2^(n - n/2), the second 0 at n <= -151. */
    private static float twoHalvesF(float x) {
        float xc = Math.max(x, SoftmaxRow.MIN_ARG_F);
        float t = Math.fma(xc, SoftmaxRow.LOG2E_F, SoftmaxRow.SHIFTER_F);
        float n = t - SoftmaxRow.SHIFTER_F;
        float rr = Math.fma(n, -SoftmaxRow.LN2_HI_F, xc);
        rr = Math.fma(n, -SoftmaxRow.LN2_LO_F, rr);
        float q = Math.fma(rr, SoftmaxRow.C7F, SoftmaxRow.C6F);
        for (float c : new float[] {SoftmaxRow.C5F, SoftmaxRow.C4F, SoftmaxRow.C3F, SoftmaxRow.C2F, 1f, 1f}) {
            q = Math.fma(q, rr, c);
        }
        int ni = Float.floatToRawIntBits(t) - SoftmaxRow.SHIFTER_F_BITS;
        int n1 = ni >> 1;
        float s2 = ni <= -151 ? 0f : Float.intBitsToFloat((ni - n1 + 127) << 23);
        return q * Float.intBitsToFloat((n1 + 127) << 23) * s2;
    }

    /** The double exponential with the earlier scaling, the second factor 0 at n <= -1076. */
    private static double twoHalves(double x) {
        double xc = Math.max(x, SoftmaxRow.MIN_ARG);
        double t = Math.fma(xc, SoftmaxRow.LOG2E, SoftmaxRow.SHIFTER);
        double n = t - SoftmaxRow.SHIFTER;
        double rr = Math.fma(n, -SoftmaxRow.LN2_HI, xc);
        rr = Math.fma(n, -SoftmaxRow.LN2_LO, rr);
        double q = SoftmaxRow.C[13];
        for (int j = 12; j >= 1; j--) {
            q = Math.fma(q, rr, SoftmaxRow.C[j]);
        }
        q = Math.fma(q, rr, 1.0);
        long ni = Double.doubleToRawLongBits(t) - SoftmaxRow.SHIFTER_BITS;
        long n1 = ni >> 1;
        double s2 = ni <= -1076 ? 0.0 : Double.longBitsToDouble((ni - n1 + 1023) << 52);
        return q * Double.longBitsToDouble((n1 + 1023) << 52) * s2;
    }

    @Test
    void floatPathKeepsTheLowPartOfTheArgument() {
        // z - max z = -9.0000005 is not a float, as -9 is: the pair (xh, xl) carries it into e^x
        float a = -4.5f;
        float m = Math.nextUp(4.5f);
        double exact = exactExp((double) a - m).doubleValue();
        float[] e = new float[16];
        float[] z = new float[16];
        java.util.Arrays.fill(z, a);
        SoftmaxRow.expShiftedF(z, m, 1f, SoftmaxRow.floorArg(m, 1.0), 16, e, new double[SoftmaxRow.PARTIALS_F]);
        assertTrue(Math.abs(e[0] - exact) <= Math.ulp((float) exact), "e^(a - m): " + e[0] + " vs " + exact);
    }

    @Test
    void floatVectorAndScalarKernelsAreTheSameBitsColdAndCompiled() {
        Assumptions.assumeTrue(SoftmaxRow.SIMD_AVAILABLE && VectorKernels.FLOAT_LANES,
                "jdk.incubator.vector is not in this JVM, or no sixteen float lanes");
        SplittableRandom r = new SplittableRandom(4);
        float[] z = new float[77]; // ragged: four blocks of sixteen and a block padded with -inf
        for (int j = 0; j < z.length; j++) {
            z[j] = (float) (j % 3 == 0 ? -r.nextDouble(0, 120) : -r.nextDouble(0, 2));
        }
        z[0] = Float.NEGATIVE_INFINITY;
        z[1] = 0f;
        for (int rep = 0; rep < 2000; rep++) {
            for (float tau : new float[] {1f, 4f}) {
                double[] scalarPartial = new double[SoftmaxRow.PARTIALS_F];
                double[] vectorPartial = new double[SoftmaxRow.PARTIALS_F];
                float[] scalar = rowExpF(z, tau, false, scalarPartial);
                float[] vector = rowExpF(z, tau, true, vectorPartial);
                for (int j = 0; j < z.length; j++) {
                    if (Float.floatToRawIntBits(scalar[j]) != Float.floatToRawIntBits(vector[j])) {
                        fail("e of z[" + j + "] = " + z[j] + " tau " + tau + ": scalar " + scalar[j]
                                + " vs vector " + vector[j] + " at repetition " + rep);
                    }
                }
                for (int l = 0; l < SoftmaxRow.PARTIALS_F; l++) {
                    if (Double.doubleToRawLongBits(scalarPartial[l]) != Double.doubleToRawLongBits(vectorPartial[l])) {
                        fail("partial " + l + " tau " + tau + ": scalar " + scalarPartial[l] + " vs vector "
                                + vectorPartial[l] + " at repetition " + rep);
                    }
                }
            }
        }
    }
}
