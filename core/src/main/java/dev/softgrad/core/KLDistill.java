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
 * <p>Ignored rows: a label equal to -100 (PyTorch's {@code ignore_index}) drops the row from the
 * hard-label term only. The two terms then follow what a PyTorch user composing them gets,
 * {@code (1 - alpha) F.cross_entropy(s, y, ignore_index=-100) + alpha T^2 F.kl_div(..., 'batchmean')}:
 * the cross-entropy is the mean over the N_y rows that are not ignored, the KL the mean over all N
 * rows. Without ignored rows N_y = N and this is the formula above. Where every row is ignored the
 * hard term is 0 with a zero gradient (PyTorch gives NaN).
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

    /** PyTorch's ignore_index: a row with this label has no hard-label term. */
    static final int IGNORE = SoftmaxCrossEntropy.Options.DEFAULT.ignoreIndex();

    /** The distillation loss; {@code labels} may be null only with alpha = 1. */
    public static Tensor apply(Tensor student, INDArray teacher, double temperature, int[] labels, double alpha) {
        long[] shape = Rows.requireLogits(OP, student);
        int n = (int) shape[0];
        int k = (int) shape[1];
        Rows.requirePositive(OP, "temperature", temperature);
        checkAlpha(OP, alpha);
        Rows.requireCompanion(OP, "teacher", teacher, student);
        if (labels == null && alpha != 1.0) {
            throw new IllegalArgumentException(OP + ": alpha = " + alpha
                    + " weighs a hard-label term, but labels are null; without labels alpha must be 1");
        }
        int[] y = labels == null ? null : labels.clone();
        int counted = y == null ? 0 : SoftmaxCrossEntropy.checkLabels(OP, y, n, k, IGNORE);
        boolean hard = y != null && alpha < 1.0;
        double kept = hard ? counted : 0.0; // N_y, the rows whose label is not the ignore label
        double hardScale = kept == 0 ? 0.0 : (1 - alpha) / kept; // (1 - alpha) / N_y
        double softScale = alpha / n;                              // alpha / N, times T^2 on the loss, T on the gradient
        double t = temperature;
        Dense s = student.dense();
        Dense tz = Dense.view(Dense.densify(teacher));
        INDArray grad = Dense.alloc(student.dataType(), shape);
        Dense gradView = Dense.view(grad);
        double total = Rows.totalOverRows(n, k, (from, to) -> {
            SoftmaxRow q = new SoftmaxRow(k, true);                    // softmax(t / T): the teacher
            SoftmaxRow pT = new SoftmaxRow(k, true);                   // softmax(s / T)
            SoftmaxRow p = t == 1.0 ? pT : new SoftmaxRow(k, true);    // softmax(s)
            double[] g = new double[k];
            float[] gf = new float[SoftmaxRow.paddedLengthF(k)];
            double sum = 0.0;
            for (int i = from; i < to; i++) {
                int next = i + 1 < to ? i + 1 : -1; // the kernels read the next rows as they go
                q.load(tz, i, next, t, OP, "teacher");
                if (q.allMasked()) {
                    throw new IllegalArgumentException(OP + ": every teacher logit of row " + i + " is -inf");
                }
                pT.load(s, i, next, t, OP, "student");
                boolean hardRow = hard && y[i] != IGNORE;
                if (hardRow && p != pT) {
                    p.load(s, i, 1.0, OP, "student");
                }
                // dL/ds_j = alpha T / N (pT_j - q_j) + (1 - alpha) / N_y (p_j - [j = y])
                double a = softScale * t;
                double b = hardRow ? hardScale : 0.0;
                // KL_i = sum_j q_j log q_j - sum_j q_j log pT_j, 0 log 0 = 0
                double kl;
                boolean single = q.single && pT.single && (!hardRow || p.single); // p is this row's only if hardRow
                if (single) { // the gradient row in float in the same pass (b = 0: no hard term)
                    double dot = SoftmaxRow.distillRow(q, pT, hardRow ? p.ef : pT.ef, (float) (pT.r * a),
                            hardRow ? (float) (p.r * b) : 0f, (float) (q.r * a), gf);
                    kl = q.r * (dot / t) + (pT.log1pS - q.log1pS);
                } else {
                    kl = 0.0;
                    for (int j = 0; j < k; j++) {
                        double qj = q.p(j);
                        kl += qj == 0.0 ? 0.0 : qj * (q.logP(j) - pT.logP(j));
                    }
                }
                if (kl == Double.POSITIVE_INFINITY) { // a class of the teacher's that the student masks: name it
                    for (int j = 0; j < k; j++) {
                        studentLogP(pT, i, j, q.p(j));
                    }
                }
                double loss = softScale * t * t * kl;
                if (hardRow) {
                    // CE_i = -log p_y
                    loss -= hardScale * SoftmaxCrossEntropy.logPOfTarget(OP, p, i, y[i], 1.0);
                }
                sum += loss;
                if (single) {
                    if (hardRow) {
                        int c = y[i];
                        gf[c] = (float) ((pT.p(c) - q.p(c)) * a + (p.p(c) - 1.0) * b);
                    }
                    pT.gradientLater(gradView, i, gf, 1f, -1, 0f); // written behind the next row's exponentials
                    continue;
                }
                for (int j = 0; j < k; j++) {
                    g[j] = a * (pT.p(j) - q.p(j)) + (hardRow ? b * p.p(j) : 0.0);
                }
                if (hardRow) {
                    g[y[i]] -= b;
                }
                pT.store(gradView, i, g);
            }
            pT.flush();
            return sum;
        });
        INDArray out = Dense.alloc(student.dataType(), new long[0]);
        Dense.view(out).set(0, n == 0 ? Double.NaN : total); // no rows: a mean over nothing, NaN as PyTorch
        // backward: the gradient above times the upstream scalar
        return Tensor.record(OP, out, Rows.scalarLossBackward(grad), student);
    }

    /** log pT_j of the student at class j, where the teacher gives probability qj: an error if qj > 0 and it is masked. */
    private static double studentLogP(SoftmaxRow pT, int i, int j, double qj) {
        if (qj > 0 && pT.masked(j)) {
            throw new IllegalArgumentException(Rows.where(OP, "student", i, j)
                    + " = -inf but the teacher gives that class probability " + qj);
        }
        return pT.logP(j);
    }

    static void checkAlpha(String op, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException(op + ": alpha must be in [0, 1], got " + alpha);
        }
    }

    /**
     * Per-sample Hessian with respect to the student logits s [K]:
     * (1 - alpha)(diag(p) - p p^T) + alpha (diag(p_T) - p_T p_T^T), p = softmax(s), p_T = softmax(s / T).
     * It does not depend on the teacher or the label.
     */
    public static double[][] hessian(double[] s, double temperature, double alpha) {
        Rows.requirePositive("hessian", "temperature", temperature);
        checkAlpha("hessian", alpha);
        double[][] a = SoftmaxCrossEntropy.softmaxHessian(SoftmaxCrossEntropy.probabilities("hessian", s, 1.0), 1 - alpha);
        double[][] b = SoftmaxCrossEntropy.softmaxHessian(
                SoftmaxCrossEntropy.probabilities("hessian", s, temperature), alpha);
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                a[i][j] += b[i][j];
            }
        }
        return a;
    }

    /** Hessian-vector product of {@link #hessian} with v, in O(K). */
    public static double[] hessianVectorProduct(double[] s, double temperature, double alpha, double[] v) {
        String op = "hessianVectorProduct";
        Rows.requirePositive(op, "temperature", temperature);
        checkAlpha(op, alpha);
        double[] a = SoftmaxCrossEntropy.softmaxHvp(SoftmaxCrossEntropy.probabilities(op, s, 1.0), v, 1 - alpha);
        double[] b = SoftmaxCrossEntropy.softmaxHvp(SoftmaxCrossEntropy.probabilities(op, s, temperature), v, alpha);
        for (int j = 0; j < a.length; j++) {
            a[j] += b[j];
        }
        return a;
    }
}
