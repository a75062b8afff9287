package dev.softgrad.examples.playground;

import dev.softgrad.core.LogitL2;
import dev.softgrad.core.Losses;
import dev.softgrad.core.SoftmaxCrossEntropy;
import dev.softgrad.core.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Pages 1 and 2 of the playground: softmax under a temperature, and the losses of the softmax family
 * against the margin. Every value comes from softgrad's own calls ({@link Losses},
 * {@link SoftmaxCrossEntropy#hessian}); the one exception is {@link #naiveSoftmax32}, the textbook
 * formula written out here in float32 to show what softgrad's stable softmax avoids.
 */
public final class SoftmaxLab {
    /** Most classes a request may have (page 1's sliders go to 10; the fewest is 2). */
    public static final int MAX_CLASSES = 10;
    /** Most points on page 2's margin axis. */
    public static final int MAX_POINTS = 1001;

    private SoftmaxLab() {
    }

    /**
     * Page 1: {@code {logits: [K numbers], tau, label}} gives, for softmax(z / tau): p, log p, the
     * entropy H = -sum p log p with its limits 0 and ln K, the cross-entropy of the label with its
     * gradient (p - y) / tau (by backward), the eigenvalues of the Hessian diag(p) - p p^T (scaled by
     * 1 / tau^2) and its product with the all-ones vector, and in float32 both softgrad's stable softmax
     * and the naive exp(z) / sum exp(z).
     */
    public static Map<String, Object> softmax(Params q) {
        double[] z = q.numbers("logits", 0, Integer.MAX_VALUE);
        int k = z.length;
        if (k < 2 || k > MAX_CLASSES) {
            // softgrad has no bound of its own on K (K = 1 is a softmax that is always 1): this is the page's
            throw new BadRequest("logits must hold one number per class, for K = 2.." + MAX_CLASSES + " classes, got " + k
                    + (k == 1 ? " number" : " numbers"));
        }
        double tau = q.number("tau", 1.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        // the label's range [0, K) is the library's rule: its message names it
        int label = q.integer("label", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);

        // the cross-entropy first: it checks the logits (NaN, +inf) and tau with the library's messages
        Tensor logits = Tensor.parameter(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE).value());
        Tensor ce = Losses.crossEntropy(logits, new int[] {label}, SoftmaxCrossEntropy.Options.DEFAULT.withTemperature(tau));
        ce.backward();
        double[] p = row(Losses.softmax(Tensor.constant(logits.value()), tau).value());
        double[] logp = row(Losses.logSoftmax(Tensor.constant(logits.value()), tau).value());
        double entropy = 0;
        for (int j = 0; j < k; j++) {
            if (p[j] > 0) {
                entropy -= p[j] * logp[j];
            }
        }
        double[][] h = SoftmaxCrossEntropy.hessian(z, tau);
        double[] ones = new double[k];
        Arrays.fill(ones, 1.0);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("k", k);
        out.put("tau", tau);
        out.put("label", label);
        out.put("p", p);
        out.put("logp", logp);
        out.put("entropy", entropy);
        out.put("entropyMax", Math.log(k));
        out.put("crossEntropy", ce.item());
        out.put("gradient", row(logits.grad()));
        out.put("hessianEigenvalues", eigenvalues(h));
        out.put("hessianTimesOnes", SoftmaxCrossEntropy.hessianVectorProduct(z, tau, ones));
        Map<String, Object> f32 = new LinkedHashMap<>();
        f32.put("stable", row(Losses.softmax(Tensor.fromRows(new double[][] {z}, DataType.FLOAT), tau).value()));
        f32.put("naive", naiveSoftmax32(z, tau));
        out.put("float32", f32);
        return out;
    }

    /**
     * The textbook softmax exp(z_j / tau) / sum_k exp(z_k / tau) in float32, without subtracting the
     * maximum: exp overflows to +inf above about 88.7, and inf / inf is NaN. Written here for the
     * demonstration only (JavaScript's doubles would not overflow until about 709); softgrad never
     * computes softmax this way.
     */
    static float[] naiveSoftmax32(double[] z, double tau) {
        float t = (float) tau;
        float[] e = new float[z.length];
        float sum = 0f;
        for (int j = 0; j < z.length; j++) {
            e[j] = (float) Math.exp((float) z[j] / t);
            sum += e[j];
        }
        for (int j = 0; j < z.length; j++) {
            e[j] /= sum;
        }
        return e;
    }

    /**
     * Page 2: {@code {k, eps, lambda, zLambda, mMin, mMax, points}}. For each margin m on the grid, the
     * logits are z = (m, 0, ..., 0) with true class 0 (so m = z_y - max_{j != y} z_j for m &gt; 0), and
     * each loss and its derivative dL/dm = dL/dz_y come from one softgrad call and one backward:
     * cross-entropy, label smoothing (eps), cross-entropy + LogitL2 (lambda), cross-entropy + z-loss
     * (zLambda). Closed-form asymptotes are returned beside them (see {@link #asymptotes}).
     */
    public static Map<String, Object> losses(Params q) {
        int k = q.integer("k", 3, 2, MAX_CLASSES);
        double eps = q.number("eps", 0.1, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        double lambda = q.number("lambda", 0.01, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        double zLambda = q.number("zLambda", 0.01, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        double mMin = q.number("mMin", -10, -1000, 1000);
        double mMax = q.number("mMax", 10, -1000, 1000);
        int n = q.integer("points", 201, 2, MAX_POINTS);
        if (!(mMax > mMin)) {
            throw new BadRequest("mMax must be greater than mMin (" + mMin + "), got " + mMax);
        }
        // the library's own checks of eps and the two lambdas, before the loop
        Tensor probe = Tensor.fromRows(new double[1][k], DataType.DOUBLE);
        Losses.labelSmoothing(probe, new int[] {0}, eps);
        Losses.logitL2(probe, lambda);
        Losses.zLoss(probe, zLambda);

        double[] m = new double[n];
        String[] names = {"crossEntropy", "labelSmoothing", "logitL2", "zLoss"};
        double[][] value = new double[names.length][n];
        double[][] slope = new double[names.length][n];
        int[] label = {0};
        for (int i = 0; i < n; i++) {
            m[i] = mMin + (mMax - mMin) * i / (n - 1);
            double[] row = new double[k];
            row[0] = m[i];
            for (int l = 0; l < names.length; l++) {
                Tensor z = Tensor.parameter(Tensor.fromRows(new double[][] {row}, DataType.DOUBLE).value());
                Tensor loss = switch (l) {
                    case 0 -> Losses.crossEntropy(z, label);
                    case 1 -> Losses.labelSmoothing(z, label, eps);
                    case 2 -> Losses.crossEntropy(z, label).add(Losses.logitL2(z, lambda));
                    default -> Losses.crossEntropy(z, label).add(Losses.zLoss(z, zLambda));
                };
                loss.backward();
                value[l][i] = loss.item();
                slope[l][i] = z.grad().getDouble(0, 0);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("k", k);
        out.put("eps", eps);
        out.put("lambda", lambda);
        out.put("zLambda", zLambda);
        out.put("margin", m);
        Map<String, Object> losses = new LinkedHashMap<>();
        Map<String, Object> gradients = new LinkedHashMap<>();
        for (int l = 0; l < names.length; l++) {
            losses.put(names[l], value[l]);
            gradients.put(names[l], slope[l]);
        }
        out.put("loss", losses);
        out.put("gradient", gradients);
        out.put("asymptotes", asymptotes(k, eps, lambda, zLambda, m));
        return out;
    }

    /**
     * The closed forms of the curves' far ends for z = (m, 0, ..., 0), with c = ln(K - 1) and
     * a = eps (K - 1) / K (the smoothed target keeps 1 - a on the true class):
     * <ul>
     *   <li>cross-entropy ln(1 + (K - 1) e^-m): c - m as m -&gt; -inf, 0 as m -&gt; +inf; slope -1 and 0;</li>
     *   <li>label smoothing: c - (1 - a) m as m -&gt; -inf (slope -(1 - a)) and a m as m -&gt; +inf (slope
     *       a: the K - 1 smoothed targets pay -log p_j ~ m each): it grows again, so its minimum is finite, at
     *       m* = ln(1 + K (1 - eps) / eps) where softmax matches the smoothed target;</li>
     *   <li>+ LogitL2: cross-entropy + (lambda / 2) m^2, a parabola at both ends (slope -1 + lambda m, lambda m);</li>
     *   <li>+ z-loss: cross-entropy + zLambda lse^2 with lse = ln(e^m + K - 1): zLambda c^2 - m as m -&gt; -inf,
     *       zLambda m^2 as m -&gt; +inf (slope -1, 2 zLambda m).</li>
     * </ul>
     */
    static Map<String, Object> asymptotes(int k, double eps, double lambda, double zLambda, double[] m) {
        double c = Math.log(k - 1);
        double a = eps * (k - 1) / k;
        int n = m.length;
        double[][] v = new double[8][n];
        double[][] g = new double[8][n];
        for (int i = 0; i < n; i++) {
            double x = m[i];
            v[0][i] = c - x;                                        g[0][i] = -1;
            v[1][i] = 0;                                            g[1][i] = 0;
            v[2][i] = c - (1 - a) * x;                              g[2][i] = -(1 - a);
            v[3][i] = a * x;                                        g[3][i] = a;
            v[4][i] = c - x + lambda / 2 * x * x;                   g[4][i] = -1 + lambda * x;
            v[5][i] = lambda / 2 * x * x;                           g[5][i] = lambda * x;
            v[6][i] = zLambda * c * c + c - x;                      g[6][i] = -1;
            v[7][i] = zLambda * x * x;                              g[7][i] = 2 * zLambda * x;
        }
        String[] names = {"crossEntropy", "labelSmoothing", "logitL2", "zLoss"};
        Map<String, Object> out = new LinkedHashMap<>();
        for (int l = 0; l < names.length; l++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("left", v[2 * l]);
            e.put("right", v[2 * l + 1]);
            e.put("gradientLeft", g[2 * l]);
            e.put("gradientRight", g[2 * l + 1]);
            out.put(names[l], e);
        }
        out.put("labelSmoothingMinimum", eps > 0 ? Math.log(1 + k * (1 - eps) / eps) : Double.POSITIVE_INFINITY);
        return out;
    }

    /** Eigenvalues of a symmetric matrix, ascending (LAPACK through ND4J, as the hessian notebook does). */
    static double[] eigenvalues(double[][] symmetric) {
        INDArray a = Nd4j.create(symmetric);
        double[] e = Eigen.symmetricGeneralizedEigenvalues(a, false).toDoubleVector();
        Arrays.sort(e);
        return e;
    }

    private static double[] row(INDArray a) {
        return a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }
}
