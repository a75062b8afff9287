package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float32 tanh, sigmoid and relu kernels: SIMD and scalar give the same bits, forward values are
 * within 1 ulp of the correctly rounded function, backward values are the bits of the closed forms.
 */
class ActivationsTest {

    private final boolean before = SoftmaxRow.simd;

    @AfterEach
    void restore() {
        SoftmaxRow.simd = before;
    }

    /** Ordinary values over +-12, the small-argument switch, signed zeros, subnormals, huge values, infinities. */
    static float[] inputs(int n) {
        Random r = new Random(14);
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, -1e-30f, 1e-7f, (float) 0x1p-12,
            -(float) 0x1p-12, Math.nextDown((float) 0x1p-12), Math.nextUp((float) 0x1p-12), 1e-3f, 0.5f, -0.5f, 9f, 9.1f,
            -9.1f, 20f, 88.7f, -88.7f, 400f, -400f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY};
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < special.length ? special[i]
                    : i % 3 == 0 ? (float) (r.nextGaussian() * 1e-3) : (float) ((r.nextDouble() * 2 - 1) * 12);
        }
        return v;
    }

    static INDArray array(float[] v) {
        return Nd4j.createFromArray(v).reshape(1, v.length).castTo(DataType.FLOAT).dup('c');
    }

    /** Raw bits of f's value and of the gradient for an upstream gradient g, with SIMD on or off. */
    static int[] bits(float[] x, float[] g, Function<Tensor, Tensor> f, boolean simd) {
        SoftmaxRow.simd = simd;
        Tensor t = Tensor.parameter(array(x));
        Tensor y = f.apply(t);
        y.backward(array(g));
        float[] v = y.value().data().asFloat();
        float[] gx = t.grad().data().asFloat();
        int[] out = new int[v.length + gx.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        for (int i = 0; i < gx.length; i++) {
            out[v.length + i] = Float.floatToRawIntBits(gx[i]);
        }
        return out;
    }

    @Test
    void simdAndScalarGiveTheSameBits() {
        Assumptions.assumeTrue(SoftmaxRow.SIMD_AVAILABLE, "the Vector API module is not in this JVM");
        for (int n : new int[] {1, 3, 7, 8, 9, 31, 100, 2049, 5000}) {
            float[] x = inputs(n);
            float[] g = inputs(n + 5);
            float[] gn = java.util.Arrays.copyOfRange(g, 5, n + 5);
            for (Function<Tensor, Tensor> f : java.util.List.<Function<Tensor, Tensor>>of(Tensor::tanh, Tensor::sigmoid,
                    Tensor::relu)) {
                assertArrayEquals(bits(x, gn, f, false), bits(x, gn, f, true), "n = " + n);
            }
        }
    }

    /** Scalar, and SIMD when the module is present. */
    static boolean[] modes() {
        return SoftmaxRow.SIMD_AVAILABLE ? new boolean[] {false, true} : new boolean[] {false};
    }

    static double ulpDistance(float a, float b) {
        if (a == b) {
            return 0;
        }
        return Math.abs((double) a - b) / Math.ulp(Math.max(Math.abs(a), Math.abs(b)));
    }

    @Test
    void forwardWithinOneUlpOfTheCorrectlyRoundedFunction() {
        float[] x = inputs(20000);
        for (boolean simd : modes()) {
            SoftmaxRow.simd = simd;
            float[] th = Tensor.constant(array(x)).tanh().value().data().asFloat();
            float[] sg = Tensor.constant(array(x)).sigmoid().value().data().asFloat();
            for (int i = 0; i < x.length; i++) {
                // Math.tanh and the exact sigmoid in double are within a few double ulps: rounded to float,
                // they are the correctly rounded float32 values but for rare ties
                float tanhRef = (float) Math.tanh(x[i]);
                float sigRef = (float) ElementwiseOps.sigmoid(x[i]);
                assertTrue(ulpDistance(th[i], tanhRef) <= 1, "tanh(" + x[i] + ") = " + th[i] + ", expected " + tanhRef);
                assertTrue(ulpDistance(sg[i], sigRef) <= 1, "sigmoid(" + x[i] + ") = " + sg[i] + ", expected " + sigRef);
            }
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(th[1]), "tanh(-0) = -0");
            assertEquals(Float.MIN_VALUE, th[2], "tanh of the smallest subnormal is itself");
            assertEquals(1f, th[24], "tanh(+inf) = 1");
            assertEquals(-1f, th[25], "tanh(-inf) = -1");
            assertEquals(1f, sg[24], "sigmoid(+inf) = 1");
            assertEquals(0f, sg[25], "sigmoid(-inf) = 0");
            assertEquals(0.5f, sg[0], "sigmoid(0) = 1/2");
        }
    }

    @Test
    void nanPropagatesThroughTanhAndSigmoidAndReluGivesZero() {
        float[] x = {Float.NaN, 1f, Float.NaN, -2f, 3f, 4f, 5f, 6f, 7f, Float.NaN};
        for (boolean simd : modes()) {
            SoftmaxRow.simd = simd;
            float[] th = Tensor.constant(array(x)).tanh().value().data().asFloat();
            float[] sg = Tensor.constant(array(x)).sigmoid().value().data().asFloat();
            float[] re = Tensor.constant(array(x)).relu().value().data().asFloat();
            for (int i : new int[] {0, 2, 9}) {
                assertTrue(Float.isNaN(th[i]) && Float.isNaN(sg[i]), "NaN in, NaN out at " + i);
                assertEquals(0f, re[i], "relu(NaN) = 0, as the element-wise definition");
            }
        }
    }

    @Test
    void backwardIsTheClosedFormInDouble() {
        float[] x = inputs(300);
        float[] g = inputs(305);
        Tensor t = Tensor.parameter(array(x));
        Tensor th = t.tanh();
        float[] gn = java.util.Arrays.copyOfRange(g, 5, 305);
        th.backward(array(gn));
        float[] y = th.value().data().asFloat();
        float[] gx = t.grad().data().asFloat();
        Tensor s = Tensor.parameter(array(x));
        Tensor sy = s.sigmoid();
        sy.backward(array(gn));
        float[] ys = sy.value().data().asFloat();
        float[] gs = s.grad().data().asFloat();
        Tensor r = Tensor.parameter(array(x));
        r.relu().backward(array(gn));
        float[] gr = r.grad().data().asFloat();
        for (int i = 0; i < x.length; i++) {
            double gi = gn[i];
            assertEquals((float) (gi * (1 - (double) y[i] * y[i])), gx[i], 0f, "tanh' at " + x[i]);
            assertEquals((float) (gi * ys[i] * (1 - (double) ys[i])), gs[i], 0f, "sigmoid' at " + x[i]);
            assertEquals(x[i] > 0 ? gn[i] : 0f, gr[i], 0f, "relu' at " + x[i]);
        }
    }
}
