package dev.softgrad.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one fused kernel behind softmax cross-entropy with hard labels, probability targets and label
 * smoothing. For a row of logits z, temperature tau and target coefficients c (c_j >= 0, the
 * weighted target mass on class j), with u = z / tau and p = softmax(u):
 * <pre>
 *   loss_i = sum_j c_j (logsumexp(u) - u_j) + constant_i
 *   d loss_i / d z_j = (p_j * C - c_j) / tau,   C = sum_j c_j
 * </pre>
 * Per row: one bulk read of the logits, the maximum, one exponential per element written into the
 * gradient row, its sum, then the scaling and the subtraction of the target, and one bulk write.
 * A term with c_j = 0 contributes 0 even where u_j = -inf (0 log 0 = 0); c_j > 0 on a -inf logit is
 * an error (the target puts mass on a masked class). The gradient is written already scaled by the
 * reduction, so that the usual backward (upstream 1) returns it without another pass.
 */
final class SoftTargetKernel {
    private SoftTargetKernel() {
    }

    /** The target coefficients of each row: a hard part on one label plus an optional dense part. */
    interface Target {
        /** The hard label of row i, or -1 for none (an ignored row has label -1 and no dense part). */
        int label(int i);

        /** The coefficient on the hard label. */
        double hard(int i);

        /** Whether rows have a dense part. */
        boolean dense();

        /** Fills d with the dense coefficients of row i (only called when {@link #dense()}). */
        void dense(int i, double[] d, Rows.Scratch s);

        /** A constant added to row i's loss (e.g. minus the target's entropy), given its dense part. */
        default double constant(int i, double[] d) {
            return 0.0;
        }
    }

    /**
     * Hard labels: row i's target is label y[i] with coefficient {@code factor * w[y[i]]}, and a row whose
     * label is the ignore label has none. Subclasses add a dense part (label smoothing).
     */
    static class Labels implements Target {
        final int[] y;
        final int ignore;
        final double factor;
        final SoftmaxCrossEntropy.Options options;

        Labels(int[] y, double factor, SoftmaxCrossEntropy.Options options) {
            this.y = y.clone();
            this.ignore = options.ignoreIndex();
            this.factor = factor;
            this.options = options;
        }

        @Override
        public int label(int i) {
            return y[i] == ignore ? -1 : y[i];
        }

        @Override
        public double hard(int i) {
            return factor * options.weight(y[i]);
        }

        @Override
        public boolean dense() {
            return false;
        }

        @Override
        public void dense(int i, double[] d, Rows.Scratch s) {
        }
    }

    /** What the forward pass produced. */
    static final class Result {
        final double[] rowLoss;
        final INDArray grad;
        double total;

        Result(double[] rowLoss, INDArray grad) {
            this.rowLoss = rowLoss;
            this.grad = grad;
        }
    }

    /**
     * Runs the kernel. {@code rowScale[i]} (or {@code scale} when rowScale is null) multiplies row
     * i's gradient; the total is the plain sum of the row losses.
     */
    static Result run(String op, Tensor logits, Target target, double tau, double scale) {
        Result simd = SoftmaxKernels.hardLabels(op, logits, target, tau, scale);
        if (simd != null) {
            return simd;
        }
        long[] shape = logits.shape();
        int n = (int) shape[0];
        int k = (int) shape[1];
        Dense z = logits.dense();
        INDArray grad = Dense.alloc(logits.dataType(), shape);
        Dense g = Dense.view(grad);
        double[] rowLoss = new double[n];
        boolean dense = target.dense();
        double total = Rows.sumRows(n, k, (from, to, s) -> {
            double[] u = s.a;
            double[] e = s.b;
            double[] d = s.c;
            double sum = 0.0;
            for (int i = from; i < to; i++) {
                Rows.read(z, i, k, u, s);
                Rows.scale(u, k, tau);
                double m = Rows.checkedMax(op, "logits", u, k, i);
                int y = target.label(i);
                double a = y >= 0 ? target.hard(i) : 0.0;
                if (dense) {
                    target.dense(i, d, s);
                }
                if (y < 0 && !dense) {
                    // an ignored row: no loss, no gradient
                    java.util.Arrays.fill(e, 0, k, 0.0);
                    Rows.write(g, i, k, e, s);
                    continue;
                }
                if (m == Double.NEGATIVE_INFINITY) {
                    throw new IllegalArgumentException(op + ": every logit of row " + i
                            + " is -inf, so no class has probability; the row's target cannot be met");
                }
                double others = Rows.expShifted(u, m, k, e);
                double se = 1.0 + others;
                double l1p = Math.log1p(others); // lse = m + l1p; (m - u_j) + l1p keeps a tiny loss exact
                double loss = 0.0;
                double c = 0.0;
                if (y >= 0 && a != 0.0) {
                    if (u[y] == Double.NEGATIVE_INFINITY) {
                        throw new IllegalArgumentException(Rows.where(op, "logits", i, y)
                                + " = -inf is the target class: the target is masked out");
                    }
                    loss += a * ((m - u[y]) + l1p);
                    c += a;
                }
                if (dense) {
                    for (int j = 0; j < k; j++) {
                        double cj = d[j];
                        if (cj != 0.0) {
                            if (u[j] == Double.NEGATIVE_INFINITY) {
                                throw new IllegalArgumentException(Rows.where(op, "logits", i, j)
                                        + " = -inf but the target puts mass " + cj + " on that class");
                            }
                            loss += cj * ((m - u[j]) + l1p);
                            c += cj;
                        }
                    }
                    loss += target.constant(i, d);
                }
                rowLoss[i] = loss;
                sum += loss;
                // gradient row: (p_j C - c_j) * scale / tau, with p_j = e_j / se
                double f = c * scale / (se * tau);
                double h = scale / tau;
                for (int j = 0; j < k; j++) {
                    e[j] *= f;
                }
                if (dense) {
                    for (int j = 0; j < k; j++) {
                        e[j] -= d[j] * h;
                    }
                }
                if (y >= 0 && a != 0.0) {
                    e[y] -= a * h;
                }
                Rows.write(g, i, k, e, s);
            }
            return sum;
        });
        Result r = new Result(rowLoss, grad);
        r.total = total;
        return r;
    }

    /**
     * Records the node: reduction NONE gives the row losses [N] with the gradient scaled per row by
     * upstream; MEAN and SUM give a scalar whose gradient is the kernel's, times upstream.
     */
    static Tensor record(String op, Tensor logits, Result r, double normalizer, SoftmaxCrossEntropy.Reduction red) {
        int n = r.rowLoss.length;
        long[] shape = logits.shape();
        int k = (int) shape[1];
        INDArray grad = r.grad;
        if (red == SoftmaxCrossEntropy.Reduction.NONE) {
            INDArray out = Dense.alloc(logits.dataType(), new long[] {n});
            Dense o = Dense.view(out);
            for (int i = 0; i < n; i++) {
                o.set(i, r.rowLoss[i]);
            }
            return Tensor.record(op, out, up -> {
                INDArray gz = Dense.alloc(up.dataType(), shape);
                Dense dup = Dense.view(up);
                Dense dg = Dense.view(grad);
                Dense dz = Dense.view(gz);
                for (int i = 0; i < n; i++) {
                    double gi = dup.get(i);
                    for (int j = i * k; j < (i + 1) * k; j++) {
                        dz.set(j, dg.get(j) * gi);
                    }
                }
                return new INDArray[] {gz};
            }, logits);
        }
        INDArray out = Dense.alloc(logits.dataType(), new long[0]);
        Dense.view(out).set(0, red == SoftmaxCrossEntropy.Reduction.MEAN ? r.total / normalizer : r.total);
        return Tensor.record(op, out, Rows.scalarLossBackward(grad), logits);
    }
}
