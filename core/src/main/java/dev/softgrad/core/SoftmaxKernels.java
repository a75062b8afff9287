package dev.softgrad.core;

import java.util.concurrent.atomic.DoubleAdder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Chooses between the SIMD float32 kernels ({@link VectorKernels}) and the scalar double kernels.
 * The SIMD path serves the hot case of training, cross-entropy of float32 logits against hard
 * labels at temperature 1; everything else (float64, temperatures, soft targets, smoothing) runs in
 * double.
 *
 * <p>The SIMD path is <b>opt-in</b>: {@code -Dsoftgrad.simd=true} with {@code --add-modules
 * jdk.incubator.vector}. It is several times faster on wide rows (K in the hundreds), but on JDK 17
 * its results may differ in the last float32 bit between the interpreted and the compiled form of
 * the vector exponential, so a float32 training run is then not bit-identical from run to run; and
 * on narrow rows (K = 10) the masked vector operations allocate and are slower than the scalar
 * kernel. The default keeps seeded runs bit-identical.
 */
final class SoftmaxKernels {
    private SoftmaxKernels() {
    }

    /** Rows narrower than this stay scalar: the vector loop would be mostly tail. */
    static final int MIN_SIMD_CLASSES = 64;

    /** Whether the SIMD kernels can be used in this JVM (the module is present). */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Whether they are used: opted in with -Dsoftgrad.simd=true. Tests switch this to exercise both paths. */
    static volatile boolean enabled = AVAILABLE && "true".equals(System.getProperty("softgrad.simd"));

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
        Dense g = Dense.of(grad);
        double[] rowLoss = new double[n];
        DoubleAdder total = new DoubleAdder();
        Rows.forRows(n, k, (from, to, s) -> {
            float[] u = s.f;
            float[] e = new float[k];
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
                double others = VectorKernels.expShiftedOthers(u, m, k, e);
                double loss = a * (((double) m - u[y]) + Math.log1p(others));
                rowLoss[i] = loss;
                sum += loss;
                VectorKernels.scale(e, k, (float) (a * scale / (1.0 + others)));
                e[y] -= (float) (a * scale);
                g.f.put(i * k, e, 0, k);
            }
            total.add(sum);
        });
        SoftTargetKernel.Result r = new SoftTargetKernel.Result(rowLoss, grad);
        r.total = total.sum();
        return r;
    }
}
