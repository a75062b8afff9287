package dev.softgrad.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Chooses between the SIMD float32 kernels ({@link VectorKernels}) and the scalar double kernels.
 * The SIMD path serves the hot case of training, cross-entropy of float32 logits against hard
 * labels at temperature 1, on rows of at least {@link #MIN_SIMD_CLASSES} classes; everything else
 * (float64, temperatures, soft targets, smoothing, narrow rows) runs in double.
 *
 * <p>It is on whenever the JVM has the module ({@code --add-modules jdk.incubator.vector}) unless
 * {@code -Dsoftgrad.simd=false}. Its exponential is softgrad's own, built from IEEE operations that
 * round the same way interpreted and compiled, and its sums run in a fixed order, so runs stay
 * bit-identical (the JDK's vector EXP did not: it rounded differently once JIT-compiled). Results
 * differ from the scalar path's in the last bits (float instead of double arithmetic, within 1 ulp
 * per exponential), not from run to run.
 */
final class SoftmaxKernels {
    private SoftmaxKernels() {
    }

    /** Rows narrower than this stay scalar: the vector loop would be mostly tail. */
    static final int MIN_SIMD_CLASSES = 64;

    /** Whether the SIMD kernels can be used in this JVM (the module is present). */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Whether they are used: when available, unless -Dsoftgrad.simd=false. Tests switch this to exercise both paths. */
    static volatile boolean enabled = AVAILABLE && !"false".equals(System.getProperty("softgrad.simd"));

    /** Whether the SIMD cross-entropy kernel is in use in this JVM (see the class comment). */
    static boolean simdEnabled() {
        return enabled;
    }

    /**
     * Cross-entropy against hard labels (weight a_i on label y_i, -1 = ignored) on float32 logits at
     * temperature 1, SIMD over each row: returns row losses and a gradient scaled by {@code scale},
     * or null when this path does not apply.
     */
    static SoftTargetKernel.Result hardLabels(String op, Tensor logits, SoftTargetKernel.Target target, double tau,
            double scale) {
        if (!enabled || tau != 1.0 || target.dense() || logits.dataType() != DataType.FLOAT
                || logits.size(1) < MIN_SIMD_CLASSES) {
            return null;
        }
        long[] shape = logits.shape();
        int n = (int) shape[0];
        int k = (int) shape[1];
        Dense z = logits.dense();
        INDArray grad = Dense.alloc(DataType.FLOAT, shape);
        Dense g = Dense.view(grad);
        double[] rowLoss = new double[n];
        double total = Rows.sumRows(n, k, (from, to, s) -> {
            float[] u = s.f;
            float[] e = new float[k];
            float[] lanes = VectorKernels.laneScratch();
            double sum = 0.0;
            for (int i = from; i < to; i++) {
                z.f.get(i * k, u, 0, k);
                int y = target.label(i);
                if (y < 0) {
                    java.util.Arrays.fill(e, 0f);
                    g.f.put(i * k, e, 0, k);
                    continue;
                }
                float m = VectorKernels.max(u, k);
                if (m != m) {
                    double[] d = s.a; // report the bad element by name
                    for (int j = 0; j < k; j++) {
                        d[j] = u[j];
                    }
                    Rows.checkedMax(op, "logits", d, k, i);
                }
                if (u[y] == Float.NEGATIVE_INFINITY) {
                    throw new IllegalArgumentException(Rows.where(op, "logits", i, y)
                            + " = -inf is the target class: the target is masked out");
                }
                double a = target.hard(i);
                double others = VectorKernels.expShiftedOthers(u, m, k, e, lanes);
                double loss = a * (((double) m - u[y]) + Math.log1p(others));
                rowLoss[i] = loss;
                sum += loss;
                VectorKernels.scale(e, k, (float) (a * scale / (1.0 + others)));
                e[y] -= (float) (a * scale);
                g.f.put(i * k, e, 0, k);
            }
            return sum;
        });
        SoftTargetKernel.Result r = new SoftTargetKernel.Result(rowLoss, grad);
        r.total = total;
        return r;
    }
}
