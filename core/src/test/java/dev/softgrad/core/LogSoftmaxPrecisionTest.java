package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * logSoftmax and logSumExp at every magnitude against a reference computed independently: the
 * shifted logits (z_j - max z) / tau and m = max z / tau exactly in BigDecimal, the exponentials by
 * StrictMath, their sum in BigDecimal. float64 results agree to 1e-12 relative; float32 results
 * within 2 ulp of the reference rounded to float32. (logSoftmax used to return 0 for a row of four
 * 1e30s, whose true value is -ln 4.)
 */
class LogSoftmaxPrecisionTest {

    static final MathContext MC = new MathContext(60);

    /** [log p_0 .. log p_{K-1}, lse] of one row at tau, by the reference route. */
    static double[] reference(double[] z, double tau) {
        BigDecimal t = new BigDecimal(tau);
        int first = 0;
        for (int j = 1; j < z.length; j++) {
            if (z[j] > z[first]) {
                first = j;
            }
        }
        BigDecimal zMax = new BigDecimal(z[first]);
        double[] d = new double[z.length];
        BigDecimal s = BigDecimal.ZERO;
        for (int j = 0; j < z.length; j++) {
            if (z[j] == Double.NEGATIVE_INFINITY) {
                d[j] = Double.NEGATIVE_INFINITY; // a masked class: probability 0
                continue;
            }
            d[j] = new BigDecimal(z[j]).subtract(zMax).divide(t, MC).doubleValue();
            if (j != first) {
                s = s.add(new BigDecimal(StrictMath.exp(d[j])), MC);
            }
        }
        double log1pS = StrictMath.log1p(s.doubleValue());
        double[] out = new double[z.length + 1];
        for (int j = 0; j < z.length; j++) {
            out[j] = d[j] == Double.NEGATIVE_INFINITY ? d[j] : new BigDecimal(d[j]).subtract(new BigDecimal(log1pS)).doubleValue();
        }
        out[z.length] = zMax.divide(t, MC).add(new BigDecimal(log1pS), MC).doubleValue();
        return out;
    }

    static List<double[]> rows() {
        List<double[]> rows = new ArrayList<>();
        rows.add(new double[] {1e30, 1e30, 1e30, 1e30});
        rows.add(new double[] {-1e30, -1e30});
        rows.add(new double[] {1e30, 1e30, -1e30});
        rows.add(new double[] {1e4, 1e4});
        rows.add(new double[] {1e4, 1e4 - 1, 1e4 + 0.5, -1e4});
        rows.add(new double[] {-1e4, -1e4 + 0.25, -1e4 - 3});
        rows.add(new double[] {1e30, 0.0, -1e30, 1e4, -1e4});
        rows.add(new double[] {3e38, 3e38, 1.0, -3e38});
        rows.add(new double[] {1e-30, -1e-30, 0.0});
        rows.add(new double[] {1e4, Double.NEGATIVE_INFINITY, 1e4 - 0.5});
        SplittableRandom r = new SplittableRandom(3);
        for (double c : new double[] {1e30, -1e30, 1e4, -1e4, 0}) {
            for (int rep = 0; rep < 4; rep++) {
                double[] z = new double[2 + r.nextInt(12)];
                for (int j = 0; j < z.length; j++) {
                    // float32 values, so that both types see the same row
                    z[j] = (float) (c + c * 1e-6 * r.nextGaussian() + 3 * r.nextGaussian());
                }
                rows.add(z);
            }
        }
        return rows;
    }

    @Test
    void float64MatchesTheReferenceTo1e12RelativeAtEveryMagnitudeAndTemperature() {
        for (double tau : new double[] {0.05, 1, 20}) {
            for (double[] z : rows()) {
                double[] ref = reference(z, tau);
                INDArray logP = Losses.logSoftmax(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE), tau).value();
                double lse = Losses.logSumExp(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE), tau).value().getDouble(0);
                String row = java.util.Arrays.toString(z) + " tau=" + tau;
                for (int j = 0; j < z.length; j++) {
                    assertClose(ref[j], logP.getDouble(0, j), 1e-12, "log p_" + j + " of " + row);
                }
                assertClose(ref[z.length], lse, 1e-12, "lse of " + row);
            }
        }
        // the case of the report: four equal logits of 1e30
        double got = Losses.logSoftmax(Tensor.fromRows(new double[][] {{1e30, 1e30, 1e30, 1e30}}, DataType.DOUBLE), 1.0)
                .value().getDouble(0, 0);
        assertEquals(-Math.log(4), got, 1e-15);
    }

    @Test
    void float32IsWithinTwoUlpOfTheReferenceRoundedToFloat32() {
        for (double tau : new double[] {0.05, 1, 20}) {
            for (double[] z : rows()) {
                double[] zf = new double[z.length];
                for (int j = 0; j < z.length; j++) {
                    zf[j] = (float) z[j];
                }
                double[] ref = reference(zf, tau);
                Tensor t = Tensor.fromRows(new double[][] {zf}, DataType.FLOAT);
                INDArray logP = Losses.logSoftmax(t, tau).value();
                float lse = Losses.logSumExp(t, tau).value().getFloat(0);
                String row = java.util.Arrays.toString(zf) + " tau=" + tau + " (float32)";
                for (int j = 0; j < z.length; j++) {
                    assertWithinUlps((float) ref[j], logP.getFloat(0, j), 2, "log p_" + j + " of " + row);
                }
                assertWithinUlps((float) ref[z.length], lse, 2, "lse of " + row);
            }
        }
    }

    static void assertClose(double expected, double actual, double rel, String what) {
        if (expected == actual) {
            return; // includes -inf for a masked class
        }
        assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected),
                what + ": expected " + expected + ", got " + actual);
    }

    static void assertWithinUlps(float expected, float actual, int ulps, String what) {
        if (expected == actual) {
            return;
        }
        assertTrue(Float.isFinite(expected) && Math.abs(actual - expected) <= ulps * Math.ulp(expected),
                what + ": expected " + expected + ", got " + actual + " (" + Math.abs(actual - expected) / Math.ulp(expected)
                        + " ulp)");
    }
}
