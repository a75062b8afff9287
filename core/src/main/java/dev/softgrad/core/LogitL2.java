package dev.softgrad.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An L2 penalty on the logits themselves, which keeps a softmax classifier out of saturation (see
 * also {@link ZLoss}, which penalises the log partition function instead).
 *
 * <p>With lambda >= 0: {@code L = (lambda / 2) (1/N) sum_i ||z_i||^2}, gradient
 * {@code lambda z_i / N}, per-sample Hessian {@code lambda I}. Added to cross-entropy in the graph,
 * the sum's gradient is (p - y + lambda z) / N: the pull of the data term toward ever larger
 * margins is balanced, so the logits stay bounded and the gradient does not vanish.
 *
 * <p>Logits must be finite here (a -inf logit would have an infinite penalty).
 *
 * <pre>{@code
 * Tensor loss = Losses.crossEntropy(z, y).add(Losses.logitL2(z, 1e-3));
 * }</pre>
 */
public final class LogitL2 {
    private LogitL2() {
    }

    static final String OP = "logitL2";

    static void checkLambda(String op, double lambda) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException(op + ": lambda must be a finite number >= 0, got " + lambda);
        }
    }

    /** (lambda / 2) * mean over rows of the squared norm of each row. */
    public static Tensor apply(Tensor logits, double lambda) {
        long[] s = Rows.requireLogits(OP, logits);
        checkLambda(OP, lambda);
        int n = (int) s[0];
        Dense z = logits.dense();
        double sq = 0.0;
        for (int i = 0; i < z.n; i++) {
            double v = z.get(i);
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(Rows.where(OP, "logits", i / (int) s[1], i % (int) s[1]) + " = " + v
                        + "; expected a finite value");
            }
            sq += v * v;
        }
        INDArray out = Dense.alloc(logits.dataType(), new long[0]);
        Dense.view(out).set(0, 0.5 * lambda * sq / n);
        INDArray zv = logits.value();
        return Tensor.record(OP, out, up -> {
            INDArray gz = Dense.alloc(up.dataType(), s);
            Kernels.scale(zv, Dense.view(up).get(0) * lambda / n, gz);
            return new INDArray[] {gz};
        }, logits);
    }

    /** The per-sample Hessian of (lambda / 2) ||z||^2 for K = k classes: lambda I. */
    public static double[][] hessian(int k, double lambda) {
        checkLambda(OP, lambda);
        if (k < 1) {
            throw new IllegalArgumentException(OP + ": hessian needs k >= 1 classes, got k = " + k);
        }
        double[][] h = new double[k][k];
        for (int j = 0; j < k; j++) {
            h[j][j] = lambda;
        }
        return h;
    }

    /** lambda v. */
    public static double[] hessianVectorProduct(double lambda, double[] v) {
        checkLambda(OP, lambda);
        if (v == null) {
            throw new IllegalArgumentException(OP + ": hessianVectorProduct needs a vector v, got null");
        }
        double[] r = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            r[j] = lambda * v[j];
        }
        return r;
    }
}
