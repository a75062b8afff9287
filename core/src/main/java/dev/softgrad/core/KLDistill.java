package dev.softgrad.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Hinton et al.'s knowledge distillation loss, one fused node.
 *
 * <p>Student logits s [N, K] (the input that receives the gradient), teacher logits t [N, K] (a
 * constant: the teacher never receives a gradient), temperature T > 0, optional hard labels y and a
 * weight alpha in [0, 1] on the distillation term. With q = softmax(t / T) and p_T = softmax(s / T):
 * <pre>
 *   L = (1/N) sum_i [ (1 - alpha) CE(s_i, y_i) + alpha T^2 KL(q_i || p_T,i) ]
 *   dL/ds_i = [ (1 - alpha) (softmax(s_i) - onehot(y_i)) + alpha T (p_T,i - q_i) ] / N
 * </pre>
 * Without labels alpha is 1. The KL part equals PyTorch's
 * {@code F.kl_div(F.log_softmax(s / T, 1), F.softmax(t / T, 1), reduction='batchmean') * T * T}.
 *
 * <p>Two things users get wrong, and this node does for them: <b>the T^2 factor</b> keeps the
 * gradient of the soft term on the same scale as the hard term's as T changes (the soft gradient is
 * T (p_T - q), which would otherwise shrink like 1/T); and <b>the reduction</b> is the batch mean
 * of the per-sample KL summed over classes ("batchmean"), not PyTorch's default {@code 'mean'},
 * which also divides by K and is not the KL divergence.
 *
 * <p>0 log 0 = 0: a teacher class with probability 0 (a -inf teacher logit) contributes nothing,
 * even against a -inf student logit. Per-sample Hessian: (1 - alpha)(diag(p) - p p^T) +
 * alpha (diag(p_T) - p_T p_T^T), with p = softmax(s); T cancels out.
 *
 * <pre>{@code
 * Tensor loss = Losses.distill(studentLogits, teacherLogits.value(), 4.0, labels, 0.9);
 * }</pre>
 */
public final class KLDistill {
    private KLDistill() {
    }

    static final String OP = "klDistill";

    /** The distillation loss; {@code labels} may be null only with alpha = 1. */
    public static Tensor apply(Tensor student, INDArray teacher, double temperature, int[] labels, double alpha) {
        long[] s = Rows.requireLogits(OP, student);
        int n = (int) s[0];
        int k = (int) s[1];
        Rows.requirePositive(OP, "temperature", temperature);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException(OP + ": alpha must be in [0, 1], got " + alpha);
        }
        Rows.requireCompanion(OP, "teacher", teacher, student);
        if (labels == null && alpha != 1.0) {
            throw new IllegalArgumentException(OP + ": alpha = " + alpha
                    + " weighs a hard-label term, but labels are null; without labels alpha must be 1");
        }
        int[] y = null;
        if (labels != null) {
            SoftmaxCrossEntropy.checkLabels(OP, labels, n, k, SoftmaxCrossEntropy.Options.DEFAULT);
            y = labels.clone();
        }
        int[] ys = y;
        double t = temperature;
        boolean hard = ys != null && alpha < 1.0;
        Dense zs = student.dense();
        Dense zt = Dense.view(Dense.densify(teacher));
        INDArray grad = Dense.alloc(student.dataType(), s);
        Dense g = Dense.view(grad);
        double invN = 1.0 / n;
        double total = Rows.sumRows(n, k, (from, to, sc) -> {
            double[] u = sc.a;  // student / T
            double[] tq = sc.b; // teacher / T
            double[] p = sc.c;  // exp(u - max), then the raw student row
            double[] r = sc.d;  // the gradient row
            double sum = 0.0;
            for (int i = from; i < to; i++) {
                Rows.read(zt, i, k, tq, sc);
                Rows.scale(tq, k, t);
                double mt = Rows.checkedMax(OP, "teacher", tq, k, i);
                if (mt == Double.NEGATIVE_INFINITY) {
                    throw new IllegalArgumentException(OP + ": every teacher logit of row " + i + " is -inf");
                }
                double logSeT = Math.log1p(Rows.expShifted(tq, mt, k, r)); // r is scratch here

                Rows.read(zs, i, k, u, sc);
                Rows.scale(u, k, t);
                double mu = Rows.checkedMax(OP, "student", u, k, i);
                double othersU = Rows.expShifted(u, mu, k, p);
                double seU = 1.0 + othersU;
                double logSeU = Math.log1p(othersU);
                double kl = 0.0;
                double c = alpha * t * invN;
                for (int j = 0; j < k; j++) {
                    double logQ = tq[j] - mt - logSeT;
                    double qj = Math.exp(logQ);
                    if (qj > 0) {
                        if (u[j] == Double.NEGATIVE_INFINITY) {
                            throw new IllegalArgumentException(Rows.where(OP, "student", i, j)
                                    + " = -inf but the teacher gives that class probability " + qj);
                        }
                        kl += qj * (logQ - (u[j] - mu - logSeU));
                    }
                    r[j] = c * (p[j] / seU - qj);
                }
                double loss = alpha * t * t * kl;
                if (hard) {
                    Rows.read(zs, i, k, p, sc);
                    int yi = ys[i];
                    double m1 = Rows.checkedMax(OP, "student", p, k, i);
                    double zy = p[yi];
                    if (zy == Double.NEGATIVE_INFINITY) {
                        throw new IllegalArgumentException(Rows.where(OP, "student", i, yi)
                                + " = -inf is the target class: the target is masked out");
                    }
                    double others1 = Rows.expShifted(p, m1, k, p);
                    double se1 = 1.0 + others1;
                    loss += (1 - alpha) * ((m1 - zy) + Math.log1p(others1));
                    double f = (1 - alpha) * invN / se1;
                    for (int j = 0; j < k; j++) {
                        r[j] += p[j] * f;
                    }
                    r[yi] -= (1 - alpha) * invN;
                }
                sum += loss;
                Rows.write(g, i, k, r, sc);
            }
            return sum;
        });
        INDArray out = Dense.alloc(student.dataType(), new long[0]);
        Dense.view(out).set(0, total * invN);
        return Tensor.record(OP, out, Rows.scalarLossBackward(grad), student);
    }

    /**
     * Per-sample Hessian with respect to the student logits s [K]:
     * (1 - alpha)(diag(p) - p p^T) + alpha (diag(p_T) - p_T p_T^T), p = softmax(s), p_T = softmax(s / T).
     * It does not depend on the teacher or the label.
     */
    public static double[][] hessian(double[] s, double temperature, double alpha) {
        Rows.requirePositive("hessian", "temperature", temperature);
        double[][] a = SoftmaxCrossEntropy.softmaxHessian(SoftmaxCrossEntropy.probabilities(s, 1.0), 1 - alpha);
        double[][] b = SoftmaxCrossEntropy.softmaxHessian(SoftmaxCrossEntropy.probabilities(s, temperature), alpha);
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                a[i][j] += b[i][j];
            }
        }
        return a;
    }

    /** Hessian-vector product of {@link #hessian} with v, in O(K). */
    public static double[] hessianVectorProduct(double[] s, double temperature, double alpha, double[] v) {
        Rows.requirePositive("hessianVectorProduct", "temperature", temperature);
        double[] a = SoftmaxCrossEntropy.softmaxHvp(SoftmaxCrossEntropy.probabilities(s, 1.0), v, 1 - alpha);
        double[] b = SoftmaxCrossEntropy.softmaxHvp(SoftmaxCrossEntropy.probabilities(s, temperature), v, alpha);
        for (int j = 0; j < a.length; j++) {
            a[j] += b[j];
        }
        return a;
    }
}
