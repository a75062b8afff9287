package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** softgrad's SIMD exponential: within 1 ulp of the correctly rounded result, and the same bits every time. */
class VectorExpTest {

    static float vexp(float x) {
        return VectorKernels.exp(FloatVector.broadcast(FloatVector.SPECIES_PREFERRED, x)).lane(0);
    }

    @Test
    void withinOneUlpOfTheCorrectlyRoundedExponentialDownToSubnormals() {
        Assumptions.assumeTrue(SoftmaxKernels.AVAILABLE, "jdk.incubator.vector is not in this JVM");
        double worst = 0;
        float at = 0;
        for (int i = 0; i <= 2_000_000; i++) {
            float x = -110f + i * (110f + 88.7f) / 2_000_000;
            float expected = (float) Math.exp(x); // the double result rounded once: correctly rounded here
            float got = vexp(x);
            double ulps = expected == 0 ? (got == 0 ? 0 : Double.POSITIVE_INFINITY)
                    : Math.abs(got - expected) / Math.ulp(expected);
            if (ulps > worst) {
                worst = ulps;
                at = x;
            }
        }
        assertTrue(worst <= 1.0, "worst error " + worst + " ulp at x = " + at);
        assertEquals(0f, vexp(Float.NEGATIVE_INFINITY), 0f, "a masked class: exactly 0");
        assertEquals(1f, vexp(0f), 0f, "e^0 = 1 exactly: the max term of a row");
        assertTrue(vexp(-100f) > 0 && vexp(-100f) < Float.MIN_NORMAL, "subnormal results are kept, not flushed");
    }

    @Test
    void givesTheSameBitsColdAndAfterTheJitCompiledIt() {
        Assumptions.assumeTrue(SoftmaxKernels.AVAILABLE, "jdk.incubator.vector is not in this JVM");
        float[] xs = new float[4096];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -90f + 90f * i / xs.length;
        }
        float[] first = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            first[i] = vexp(xs[i]);
        }
        for (int rep = 0; rep < 200; rep++) { // long enough for C2 to compile the kernel
            for (int i = 0; i < xs.length; i++) {
                if (Float.floatToRawIntBits(vexp(xs[i])) != Float.floatToRawIntBits(first[i])) {
                    throw new AssertionError("e^" + xs[i] + " changed at repetition " + rep);
                }
            }
        }
        assertTrue(first[0] > 0);
    }
}
