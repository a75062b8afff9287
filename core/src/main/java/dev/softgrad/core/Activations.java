package dev.softgrad.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The float32 hidden-layer activations tanh, sigmoid and relu, forward and backward, as bulk loops
 * over a layer's memory instead of one {@code Math} call per element through a generic map.
 *
 * <p>tanh and sigmoid are evaluated in double from {@link SoftmaxRow#exp} (deterministic, within 1
 * ulp of e^x) and rounded once to float32: tanh(x) = sign(x) (1 - e) / (1 + e) with e = e^(-2|x|),
 * and x (1 - x^2 / 3) below |x| = 2^-12; sigmoid(x) = 1 / (1 + e) for x >= 0 and e / (1 + e) below, with
 * e = e^(-|x|). The double results are within ~1e-13 relative of the true values, so the float32
 * results are the correctly rounded ones or at most 1 ulp from them (tested against {@code Math}).
 * With the Vector API ({@code --add-modules jdk.incubator.vector}, unless {@code -Dsoftgrad.simd=false})
 * {@link ActivationKernels} performs the same IEEE operations eight or four lanes at a time: the
 * same bits either way. The backward passes are the closed forms g (1 - y^2), g y (1 - y) and
 * [x > 0] g, in double as before, so they are the bits of the element-wise definition. float64
 * stays on {@code Math.tanh} and the exact sigmoid of {@link ElementwiseOps}.
 */
final class Activations {
    private Activations() {
    }

    static final int TANH = 0;
    static final int SIGMOID = 1;

    /** Below this |x|, tanh(x) = x - x^3 / 3 to within 2^-49 relative, where (1 - e) / (1 + e) loses digits. */
    static final double TANH_SMALL = 0x1p-12;
    static final double MINUS_THIRD = -1.0 / 3.0;

    /** tanh(x), the float32 definition above (in double, before the rounding to float). */
    static double tanh(double x) {
        double a = Math.abs(x);
        if (a < TANH_SMALL) {
            return x * Math.fma(x * x, MINUS_THIRD, 1.0); // x (1 - x^2 / 3): -0 stays -0
        }
        double e = SoftmaxRow.exp(-2.0 * a);
        double t = (1.0 - e) / (1.0 + e);
        return x < 0 ? -t : t;
    }

    /** sigmoid(x), the float32 definition above (in double). */
    static double sigmoid(double x) {
        double e = SoftmaxRow.exp(-Math.abs(x));
        return x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    }

    /** out = f(x) for float32 x, f = {@link #TANH} or {@link #SIGMOID}; out may be x. */
    static void forward(int f, INDArray x, INDArray out) {
        Dense dx = Dense.view(x);
        Dense o = Dense.view(out);
        boolean simd = SoftmaxRow.simd;
        Kernels.chunks(dx.n, (from, to, fa, fb, da, db) -> {
            int len = to - from;
            dx.f.get(from, fa, 0, len);
            for (int i = 0; i < len; i++) {
                da[i] = fa[i];
            }
            if (simd) {
                ActivationKernels.forward(f, da, len);
            } else if (f == TANH) {
                for (int i = 0; i < len; i++) {
                    da[i] = tanh(da[i]);
                }
            } else {
                for (int i = 0; i < len; i++) {
                    da[i] = sigmoid(da[i]);
                }
            }
            for (int i = 0; i < len; i++) {
                fa[i] = (float) da[i];
            }
            o.f.put(from, fa, 0, len);
        });
    }

    /** gx = g (1 - y^2) (tanh) or g y (1 - y) (sigmoid), from the float32 output y, in double. */
    static void backward(int f, INDArray g, INDArray y, INDArray gx) {
        Dense dg = Dense.view(g);
        Dense dy = Dense.view(y);
        Dense o = Dense.view(gx);
        boolean simd = SoftmaxRow.simd;
        Kernels.chunks(dg.n, (from, to, fa, fb, da, db) -> {
            int len = to - from;
            dg.f.get(from, fa, 0, len);
            dy.f.get(from, fb, 0, len);
            for (int i = 0; i < len; i++) {
                da[i] = fa[i];
                db[i] = fb[i];
            }
            if (simd) {
                ActivationKernels.backward(f, da, db, len);
            } else if (f == TANH) {
                for (int i = 0; i < len; i++) {
                    da[i] = da[i] * (1 - db[i] * db[i]);
                }
            } else {
                for (int i = 0; i < len; i++) {
                    da[i] = da[i] * db[i] * (1 - db[i]);
                }
            }
            for (int i = 0; i < len; i++) {
                fa[i] = (float) da[i];
            }
            o.f.put(from, fa, 0, len);
        });
    }

    /** out = x > 0 ? x : 0 for float32 x (NaN gives 0, as the element-wise definition). */
    static void relu(INDArray x, INDArray out) {
        Dense dx = Dense.view(x);
        Dense o = Dense.view(out);
        Kernels.chunks(dx.n, (from, to, fa, fb, da, db) -> {
            int len = to - from;
            dx.f.get(from, fa, 0, len);
            for (int i = 0; i < len; i++) {
                fa[i] = fa[i] > 0 ? fa[i] : 0f;
            }
            o.f.put(from, fa, 0, len);
        });
    }

    /** gx = x > 0 ? g : 0 for float32 g and input x. */
    static void reluBackward(INDArray g, INDArray x, INDArray gx) {
        Dense dg = Dense.view(g);
        Dense dx = Dense.view(x);
        Dense o = Dense.view(gx);
        Kernels.chunks(dg.n, (from, to, fa, fb, da, db) -> {
            int len = to - from;
            dg.f.get(from, fa, 0, len);
            dx.f.get(from, fb, 0, len);
            for (int i = 0; i < len; i++) {
                fa[i] = fb[i] > 0 ? fa[i] : 0f;
            }
            o.f.put(from, fa, 0, len);
        });
    }
}
