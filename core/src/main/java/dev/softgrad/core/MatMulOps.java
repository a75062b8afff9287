package dev.softgrad.core;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products through BLAS into a preallocated output: one native call, transposition by
 * flag, never by copy. The call goes straight to OpenBLAS's {@code cblas_?gemm} (the library ND4J
 * itself links), which costs ~1 us on a 32x64x10 product where {@link Nd4j#gemm} spends ~6 us in
 * checks and bookkeeping; if that binding cannot load, {@link Nd4j#gemm} is used.
 */
final class MatMulOps {
    private MatMulOps() {
    }

    static void requireMatrix(String op, String arg, Tensor t) {
        if (t.rank() != 2) {
            throw new ShapeMismatchException(op + ": " + arg + " must be rank 2, got shape " + Check.shape(t.shape()));
        }
    }

    // C = A B ; dA = G B^T ; dB = A^T G
    static Tensor matmul(Tensor a, Tensor b) {
        requireMatrix("matmul", "left operand", a);
        requireMatrix("matmul", "right operand", b);
        Check.sameType("matmul", a, b);
        long[] sa = a.shape();
        long[] sb = b.shape();
        if (sa[1] != sb[0]) {
            throw new ShapeMismatchException("matmul: inner sizes differ: " + Check.shape(sa) + " @ " + Check.shape(sb));
        }
        INDArray av = a.value();
        INDArray bv = b.value();
        INDArray out = Dense.alloc(a.dataType(), new long[] {sa[0], sb[1]});
        affine(av, bv, null, out);
        return Tensor.record("matmul", out, g -> {
            INDArray ga = null;
            INDArray gb = null;
            if (a.requiresGrad()) {
                ga = Dense.alloc(g.dataType(), sa);
                timesTransposed(g, bv, ga);
            }
            if (b.requiresGrad()) {
                gb = Dense.alloc(g.dataType(), sb);
                transposedTimes(av, g, gb);
            }
            return new INDArray[] {ga, gb};
        }, a, b);
    }

    /** Whether x [N, D] times a matrix with k columns goes to {@link SkinnyProducts} (not empty, not BLAS's job). */
    private static boolean skinny(INDArray x, long k) {
        return SkinnyProducts.applies(x.dataType(), k) && x.length() > 0;
    }

    /** out = x W + b, x [N, D], W [D, K], b [K] or [1, K] or null, out [N, K]. */
    static void affine(INDArray x, INDArray w, INDArray b, INDArray out) {
        long k = w.size(1);
        if (skinny(x, k) && w.size(0) > 0) {
            SkinnyProducts.forward(x, w, b, out);
            return;
        }
        if (b == null) {
            gemm(x, false, w, false, out, 0.0);
            return;
        }
        Dense db = Dense.view(b);
        Dense o = Dense.view(out);
        for (int i = 0, n = (int) out.size(0); i < n; i++) {
            for (int j = 0; j < k; j++) {
                o.set(i * (int) k + j, db.get(j));
            }
        }
        gemm(x, false, w, false, out, 1.0);
    }

    /** gw = x^T G, x [N, D], G [N, K], gw [D, K]. */
    static void transposedTimes(INDArray x, INDArray g, INDArray gw) {
        if (skinny(x, g.size(1)) && x.size(1) > 0) {
            SkinnyProducts.weightGrad(x, g, gw);
        } else {
            gemm(x, true, g, false, gw, 0.0);
        }
    }

    /** gx = G W^T, G [N, K], W [D, K], gx [N, D]. */
    static void timesTransposed(INDArray g, INDArray w, INDArray gx) {
        if (skinny(g, g.size(1)) && w.size(0) > 0) {
            SkinnyProducts.inputGrad(g, w, gx);
        } else {
            gemm(g, false, w, true, gx, 0.0);
        }
    }

    /** out[j] = sum over i of G[i, j], G [N, K], out with K elements; summed in double, rows in order. */
    static void columnSums(INDArray g, INDArray out) {
        int k = (int) out.length();
        int n = k == 0 ? 0 : (int) (g.length() / k);
        double[] s = new double[k];
        Dense dg = Dense.view(g);
        if (dg.f != null) {
            float[] row = new float[k];
            for (int i = 0; i < n; i++) {
                dg.f.get(i * k, row, 0, k);
                for (int j = 0; j < k; j++) {
                    s[j] += row[j];
                }
            }
        } else {
            double[] row = new double[k];
            for (int i = 0; i < n; i++) {
                dg.d.get(i * k, row, 0, k);
                for (int j = 0; j < k; j++) {
                    s[j] += row[j];
                }
            }
        }
        Dense o = Dense.view(out);
        for (int j = 0; j < k; j++) {
            o.set(j, s[j]);
        }
    }

    /** out = op(a) op(b) + beta * out; handles empty products (BLAS does not). */
    static void gemm(INDArray a, boolean ta, INDArray b, boolean tb, INDArray out, double beta) {
        long k = ta ? a.size(0) : a.size(1);
        if (out.length() == 0) {
            return;
        }
        if (k == 0) {
            if (beta == 0.0) {
                Kernels.fill(out, 0.0);
            }
            return;
        }
        if (DIRECT) {
            int m = (int) out.size(0);
            int n = (int) out.size(1);
            if (!threadsSet) {
                setThreads();
            }
            int lda = (int) a.size(1);
            int ldb = (int) b.size(1);
            int transA = ta ? openblas.CblasTrans : openblas.CblasNoTrans;
            int transB = tb ? openblas.CblasTrans : openblas.CblasNoTrans;
            if (out.dataType() == DataType.FLOAT) {
                openblas.cblas_sgemm(openblas.CblasRowMajor, transA, transB, m, n, (int) k, 1f,
                        (FloatPointer) a.data().addressPointer(), lda, (FloatPointer) b.data().addressPointer(), ldb,
                        (float) beta, (FloatPointer) out.data().addressPointer(), n);
            } else {
                openblas.cblas_dgemm(openblas.CblasRowMajor, transA, transB, m, n, (int) k, 1.0,
                        (DoublePointer) a.data().addressPointer(), lda, (DoublePointer) b.data().addressPointer(), ldb,
                        beta, (DoublePointer) out.data().addressPointer(), n);
            }
            return;
        }
        Nd4j.gemm(a, b, out, ta, tb, 1.0, beta);
    }

    /**
     * OpenBLAS's thread count, set once at the first product: 1 unless {@code -Dsoftgrad.blasThreads=N}.
     * On the thin products of small classifiers (128x784x10, 1797x64x10) OpenBLAS's second thread cost
     * 20-40 % (measured in nn's TrainBench), and switching the count per call costs ~170 us, so it is
     * not switched. The setting is process-wide: it applies to ND4J's own BLAS calls too.
     */
    private static boolean threadsSet;

    private static synchronized void setThreads() {
        if (!threadsSet) {
            int threads = Integer.getInteger("softgrad.blasThreads", 1);
            if (threads >= 1) {
                Nd4j.factory().blas().setMaxThreads(threads);
            }
            threadsSet = true;
        }
    }

    /** Whether OpenBLAS's C interface could be bound directly. */
    static final boolean DIRECT = bindOpenBlas();

    private static boolean bindOpenBlas() {
        if ("false".equals(System.getProperty("softgrad.directBlas"))) {
            return false;
        }
        try {
            org.bytedeco.javacpp.Loader.load(openblas.class);
            return true;
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError: fall back to ND4J's gemm
            return false;
        }
    }
}
