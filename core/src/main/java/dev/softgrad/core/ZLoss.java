package dev.softgrad.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The z-loss (as in large language-model training, e.g. PaLM): with lambda >= 0,
 * <pre>
 *   L = lambda (1/N) sum_i lse_i^2,          lse_i = logsumexp(z_i)
 *   dL/dz_i = 2 lambda lse_i p_i / N,         p_i = softmax(z_i)
 * </pre>
 * per-sample Hessian {@code 2 lambda (p p^T + lse (diag(p) - p p^T))}. It pins the log partition
 * function near 0 without penalising the logits' differences. A row that is all -inf has
 * lse = -inf and an infinite penalty: an error.
 *
 * <pre>{@code
 * Tensor loss = Losses.crossEntropy(z, y).add(Losses.zLoss(z, 1e-4));
 * }</pre>
 */
public final class ZLoss {
    private ZLoss() {
    }

    static final String OP = "zLoss";

    /** lambda * mean over rows of logsumexp(z_i)^2. */
    public static Tensor apply(Tensor logits, double lambda) {
        long[] shape = Rows.requireLogits(OP, logits);
        LogitL2.checkLambda(OP, lambda);
        int n = (int) shape[0];
        int k = (int) shape[1];
        Dense z = logits.dense();
        INDArray grad = Dense.alloc(logits.dataType(), shape);
        Dense gradView = Dense.view(grad);
        double total = Rows.totalOverRows(n, k, (from, to) -> {
            SoftmaxRow row = new SoftmaxRow(k);
            double[] g = new double[k];
            double sum = 0.0;
            for (int i = from; i < to; i++) {
                row.load(z, i, 1.0, OP, "logits");
                if (row.allMasked()) {
                    throw new IllegalArgumentException(OP + ": every logit of row " + i + " is -inf (logsumexp = -inf)");
                }
                double lse = row.lse();
                sum += lse * lse;
                // dL/dz_ij = 2 lambda lse_i p_ij / N
                double f = 2 * lambda * lse / n;
                for (int j = 0; j < k; j++) {
                    g[j] = f * row.p[j];
                }
                row.store(gradView, i, g);
            }
            return sum;
        });
        INDArray out = Dense.alloc(logits.dataType(), new long[0]);
        Dense.view(out).set(0, lambda * total / n);
        // backward: the gradient above times the upstream scalar
        return Tensor.record(OP, out, Rows.scalarLossBackward(grad), logits);
    }

    /** Per-sample Hessian of lambda logsumexp(z)^2: 2 lambda (p p^T + lse (diag(p) - p p^T)). */
    public static double[][] hessian(double[] z, double lambda) {
        LogitL2.checkLambda(OP, lambda);
        SoftmaxRow row = finiteRow("hessian", z);
        double[] p = row.p;
        double[][] h = SoftmaxCrossEntropy.softmaxHessian(p, 2 * lambda * row.lse());
        for (int a = 0; a < p.length; a++) {
            for (int b = 0; b < p.length; b++) {
                h[a][b] += 2 * lambda * p[a] * p[b];
            }
        }
        return h;
    }

    /** Hessian-vector product of {@link #hessian} with v, in O(K). */
    public static double[] hessianVectorProduct(double[] z, double lambda, double[] v) {
        LogitL2.checkLambda(OP, lambda);
        SoftmaxRow row = finiteRow("hessianVectorProduct", z);
        double[] p = row.p;
        double[] r = SoftmaxCrossEntropy.softmaxHvp(p, v, 2 * lambda * row.lse());
        double pv = 0.0;
        for (int j = 0; j < p.length; j++) {
            pv += p[j] * v[j];
        }
        for (int j = 0; j < p.length; j++) {
            r[j] += 2 * lambda * p[j] * pv;
        }
        return r;
    }

    private static SoftmaxRow finiteRow(String op, double[] z) {
        SoftmaxRow row = SoftmaxRow.of(OP + "." + op, "z", z, 1.0);
        if (row.allMasked()) {
            throw new IllegalArgumentException(OP + "." + op + ": every entry of z is -inf (logsumexp = -inf)");
        }
        return row;
    }
}
