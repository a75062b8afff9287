package dev.softgrad.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Regularisers of the logits themselves, which keep a softmax classifier out of saturation.
 *
 * <p><b>LogitL2</b> with lambda >= 0: {@code L = (lambda / 2) (1/N) sum_i ||z_i||^2}, gradient
 * {@code lambda z_i / N}, per-sample Hessian {@code lambda I}. Added to cross-entropy in the graph,
 * the sum's gradient is (p - y + lambda z) / N: the pull of the data term toward ever larger
 * margins is balanced, so the logits stay bounded and the gradient does not vanish.
 *
 * <p><b>z-loss</b> (as in large language-model training, e.g. PaLM) with lambda >= 0:
 * {@code L = lambda (1/N) sum_i logsumexp(z_i)^2}, gradient {@code 2 lambda logsumexp(z_i) p_i / N},
 * per-sample Hessian {@code 2 lambda (p p^T + logsumexp(z) (diag(p) - p p^T))}. It pins the log
 * partition function near 0 without penalising the logits' differences.
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
    static final String ZOP = "zLoss";

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

    /** The per-sample Hessian of (lambda / 2) ||z||^2: lambda I. */
    public static double[][] hessian(int k, double lambda) {
        checkLambda(OP, lambda);
        double[][] h = new double[k][k];
        for (int j = 0; j < k; j++) {
            h[j][j] = lambda;
        }
        return h;
    }

    /** lambda v. */
    public static double[] hessianVectorProduct(double lambda, double[] v) {
        checkLambda(OP, lambda);
        double[] r = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            r[j] = lambda * v[j];
        }
        return r;
    }

    /** lambda * mean over rows of logsumexp(z_i)^2. */
    public static Tensor zLoss(Tensor logits, double lambda) {
        long[] s = Rows.requireLogits(ZOP, logits);
        checkLambda(ZOP, lambda);
        int n = (int) s[0];
        int k = (int) s[1];
        Dense z = logits.dense();
        INDArray grad = Dense.alloc(logits.dataType(), s);
        Dense g = Dense.view(grad);
        Rows.Scratch sc = new Rows.Scratch(k);
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            Rows.read(z, i, k, sc.a, sc);
            double m = Rows.checkedMax(ZOP, "logits", sc.a, k, i);
            if (m == Double.NEGATIVE_INFINITY) {
                throw new IllegalArgumentException(ZOP + ": every logit of row " + i + " is -inf (logsumexp = -inf)");
            }
            double others = Rows.expShifted(sc.a, m, k, sc.b);
            double se = 1.0 + others;
            double lse = m + Math.log1p(others);
            total += lse * lse;
            double f = 2 * lambda * lse / (n * se);
            for (int j = 0; j < k; j++) {
                sc.b[j] *= f;
            }
            Rows.write(g, i, k, sc.b, sc);
        }
        INDArray out = Dense.alloc(logits.dataType(), new long[0]);
        Dense.view(out).set(0, lambda * total / n);
        return Tensor.record(ZOP, out, Rows.scalarLossBackward(grad), logits);
    }

    /** Per-sample Hessian of lambda logsumexp(z)^2: 2 lambda (p p^T + lse (diag(p) - p p^T)). */
    public static double[][] zLossHessian(double[] z, double lambda) {
        checkLambda(ZOP, lambda);
        double[] p = SoftmaxCrossEntropy.probabilities(z, 1.0);
        double lse = logSumExp(z);
        double[][] h = SoftmaxCrossEntropy.softmaxHessian(p, 2 * lambda * lse);
        for (int a = 0; a < p.length; a++) {
            for (int b = 0; b < p.length; b++) {
                h[a][b] += 2 * lambda * p[a] * p[b];
            }
        }
        return h;
    }

    /** Hessian-vector product of {@link #zLossHessian} with v, in O(K). */
    public static double[] zLossHessianVectorProduct(double[] z, double lambda, double[] v) {
        checkLambda(ZOP, lambda);
        double[] p = SoftmaxCrossEntropy.probabilities(z, 1.0);
        double lse = logSumExp(z);
        double[] r = SoftmaxCrossEntropy.softmaxHvp(p, v, 2 * lambda * lse);
        double pv = 0.0;
        for (int j = 0; j < p.length; j++) {
            pv += p[j] * v[j];
        }
        for (int j = 0; j < p.length; j++) {
            r[j] += 2 * lambda * p[j] * pv;
        }
        return r;
    }

    static double logSumExp(double[] z) {
        double m = Rows.checkedMax("logSumExp", "z", z, z.length, 0);
        if (m == Double.NEGATIVE_INFINITY) {
            return m;
        }
        return m + Math.log1p(Rows.expShifted(z, m, z.length, new double[z.length]));
    }
}
