package dev.softgrad.examples.grading;

import static dev.softgrad.examples.grading.Numeric.centralDifference;
import static dev.softgrad.examples.grading.Numeric.finite;
import static dev.softgrad.examples.grading.Numeric.maxAbsDiff;
import static dev.softgrad.examples.grading.Numeric.show;

import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import dev.softgrad.examples.NotebookClaims;
import dev.softgrad.examples.grading.Grading.Verdict;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The claims each exercise is graded by: the claims its notebook checks of the library, here
 * checked of the student's code (against the library's float64 loss or central differences, and
 * at the magnitudes where a naive formula overflows).
 */
final class Graders {
    private Graders() {
    }

    private static final double[] MODERATE = {2.0, 1.0, 0.5, -1.0, 0.0};

    /** shift-invariance: a stable softmax. */
    static void softmax(Tasks.Softmax f, Grading g) {
        g.notebook().equation("p_k = \\frac{e^{z_k - m}}{\\sum_j e^{z_j - m}}, \\quad m = \\max_j z_j");
        g.notebookClaim("softmax(z + c) = softmax(z) for c in [80, 92]",
                () -> NotebookClaims.shift(f::softmax, new double[] {1.0, -0.5, 2.0}));
        g.notebookClaim("K logits have K - 1 free parameters", () -> NotebookClaims.freeParameters(f::softmax, 3));
        g.claim("softmax matches the library's on moderate logits", () -> {
            double d = maxAbsDiff(f.softmax(MODERATE), Numeric.softmax(MODERATE));
            return Verdict.of(d < 1e-12, "max |difference| %.3g at z = %s", d, show(MODERATE));
        });
        g.claim("the probabilities lie in (0, 1) and sum to 1", () -> {
            double[] p = f.softmax(new double[] {3, -2, 0.5});
            double sum = 0;
            boolean inside = p.length == 3;
            for (double v : p) {
                sum += v;
                inside &= v > 0 && v < 1;
            }
            return Verdict.of(inside && Math.abs(sum - 1) < 1e-12, "p = %s, sum = %.17g", show(p), sum);
        });
        g.claim("softmax(z + c) = softmax(z) at c = 1000 (shift invariance)", () -> {
            double[] shifted = MODERATE.clone();
            for (int i = 0; i < shifted.length; i++) {
                shifted[i] += 1000;
            }
            double d = maxAbsDiff(f.softmax(shifted), f.softmax(MODERATE));
            return Verdict.of(d < 1e-12, "max |difference| %.3g", d);
        });
        g.claim("finite past exp's overflow (z = [800, 799, -800]: e^800 is infinite in float64)", () -> {
            double[] z = {800, 799, -800};
            double[] p = f.softmax(z);
            double d = maxAbsDiff(p, Numeric.softmax(z));
            return Verdict.of(finite(p) && d < 1e-12, "p = %s, max |difference| to the library %.3g", show(p), d);
        });
    }

    /** shift-invariance: log-sum-exp. */
    static void logSumExp(Tasks.LogSumExp f, Grading g) {
        g.notebook().equation("\\operatorname{LSE}(z) = m + \\ln \\sum_k e^{z_k - m}, \\quad m = \\max_k z_k");
        g.claim("LSE matches the library's on moderate logits", () -> {
            double got = f.logSumExp(MODERATE);
            double want = Numeric.logSumExp(MODERATE);
            return Verdict.of(Math.abs(got - want) < 1e-12, "LSE = %.17g, library %.17g", got, want);
        });
        g.claim("max z <= LSE(z) <= max z + ln K on random logits", () -> {
            SplittableRandom r = new SplittableRandom(5);
            for (int t = 0; t < 100; t++) {
                double[] z = r.doubles(1 + r.nextInt(8), -20, 20).toArray();
                double m = java.util.Arrays.stream(z).max().orElseThrow();
                double l = f.logSumExp(z);
                if (!(l >= m - 1e-12 && l <= m + Math.log(z.length) + 1e-12)) {
                    return Verdict.of(false, "LSE(%s) = %.6g outside [%.6g, %.6g]", show(z), l, m, m + Math.log(z.length));
                }
            }
            return Verdict.of(true, "100 random rows of 1 to 8 logits in [-20, 20]");
        });
        g.claim("LSE(z + c) = LSE(z) + c at c = 1000", () -> {
            double[] shifted = MODERATE.clone();
            for (int i = 0; i < shifted.length; i++) {
                shifted[i] += 1000;
            }
            double d = f.logSumExp(shifted) - f.logSumExp(MODERATE) - 1000;
            return Verdict.of(Math.abs(d) < 1e-9, "LSE(z + 1000) - LSE(z) - 1000 = %.3g", d);
        });
        g.claim("finite past exp's overflow: LSE([1000, 999, -1000]) = 1000 + ln(1 + e^-1)", () -> {
            double got = f.logSumExp(new double[] {1000, 999, -1000});
            double want = 1000 + Math.log1p(Math.exp(-1));
            return Verdict.of(Math.abs(got - want) < 1e-9, "LSE = %.17g, expected %.17g", got, want);
        });
    }

    /** gradient: the gradient of cross-entropy in the logits. */
    static void crossEntropyGradient(Tasks.LogitGradient f, Grading g) {
        g.notebook().equation("\\frac{\\partial}{\\partial z_k} \\left( -\\ln p_c \\right) = p_k - y_k");
        double[] z = {1.5, -0.5, 0.25, 2.0};
        int c = 2;
        g.notebookClaim("p - y equals the central differences of the loss", () -> NotebookClaims.crossEntropyGradient(
                new double[][] {f.gradient(z, c)}, new double[][] {z}, new int[] {c}));
        g.claim("the gradient equals central differences of the library's cross-entropy", () -> {
            double[] fd = centralDifference(x -> Numeric.crossEntropy(x, c), z);
            double[] got = f.gradient(z, c);
            double d = maxAbsDiff(got, fd);
            return Verdict.of(d < 1e-7, "gradient %s, finite differences %s, max |difference| %.3g", show(got), show(fd), d);
        });
        g.claim("its components sum to 0 (softmax's shift invariance)", () -> {
            double s = java.util.Arrays.stream(f.gradient(z, c)).sum();
            return Verdict.of(Math.abs(s) < 1e-12, "sum %.3g", s);
        });
        g.claim("only the true class's component is negative, and it lies in (-1, 0)", () -> {
            double[] grad = f.gradient(z, c);
            boolean ok = grad.length == z.length;
            for (int k = 0; ok && k < grad.length; k++) {
                ok = k == c ? grad[k] > -1 && grad[k] < 0 : grad[k] > 0;
            }
            return Verdict.of(ok, "gradient %s, true class %d", show(grad), c);
        });
        g.claim("tends to -1 on the true class as p_c -> 0 (z_c = -800), and stays finite", () -> {
            double[] far = {0, 5, -800, 1};
            double[] grad = f.gradient(far, 2);
            return Verdict.of(finite(grad) && Math.abs(grad[2] + 1) < 1e-12, "gradient %s", show(grad));
        });
    }

    /** label-smoothing: the gradient of label smoothing. */
    static void labelSmoothingGradient(Tasks.SmoothedGradient f, Grading g) {
        g.notebook().equation("q = (1 - \\epsilon) y + \\frac{\\epsilon}{K}, \\qquad \\frac{\\partial L}{\\partial z} = p - q");
        double[] z = {1.5, -0.5, 0.25, 2.0, 0.0};
        int c = 1;
        for (double eps : new double[] {0.1, 0.3}) {
            g.claim("the gradient at eps = " + eps + " equals central differences of the library's label smoothing", () -> {
                double[] fd = centralDifference(x -> Numeric.labelSmoothing(x, c, eps), z);
                double[] got = f.gradient(z, c, eps);
                double d = maxAbsDiff(got, fd);
                return Verdict.of(d < 1e-7, "gradient %s, finite differences %s, max |difference| %.3g", show(got), show(fd), d);
            });
        }
        g.claim("at eps = 0 it is the cross-entropy's p - onehot(c)", () -> {
            double[] p = Numeric.softmax(z);
            p[c] -= 1;
            double d = maxAbsDiff(f.gradient(z, c, 0), p);
            return Verdict.of(d < 1e-12, "max |difference| %.3g", d);
        });
        g.claim("it vanishes where softmax(z) = q: the smoothed target is the minimum", () -> {
            double eps = 0.2;
            int k = 4;
            double[] zq = new double[k];
            for (int j = 0; j < k; j++) {
                zq[j] = Math.log(j == 0 ? 1 - eps + eps / k : eps / k);
            }
            double[] grad = f.gradient(zq, 0, eps);
            double d = maxAbsDiff(grad, new double[k]);
            return Verdict.of(d < 1e-12, "gradient %s at z = ln q", show(grad));
        });
    }

    /** margin: cross-entropy through the margins. */
    static void marginLoss(Tasks.MarginLoss f, Grading g) {
        g.notebook().equation("-\\ln p_c = \\ln \\left( 1 + \\sum_{j \\ne c} e^{-(z_c - z_j)} \\right)");
        g.claim("equals the library's cross-entropy -z_c + LSE(z) on random logits", () -> {
            SplittableRandom r = new SplittableRandom(11);
            double worst = 0;
            for (int t = 0; t < 50; t++) {
                double[] z = r.doubles(2 + r.nextInt(6), -10, 10).toArray();
                int c = r.nextInt(z.length);
                worst = Math.max(worst, Math.abs(f.loss(z, c) - Numeric.crossEntropy(z, c)));
            }
            return Verdict.of(worst < 1e-12, "max |difference| %.3g over 50 rows", worst);
        });
        g.claim("at a margin m = 50 over K = 4 classes the loss is (K - 1) e^-m, not 0", () -> {
            double got = f.loss(new double[] {50, 0, 0, 0}, 0);
            double want = 3 * Math.exp(-50);
            return Verdict.of(Math.abs(got - want) <= 1e-9 * want, "loss %.6g, (K - 1) e^-m = %.6g", got, want);
        });
        g.claim("at a margin m = -800 the loss is ln(K - 1) - m, finite", () -> {
            double got = f.loss(new double[] {-800, 0, 0, 0}, 0);
            double want = Math.log(3) + 800;
            return Verdict.of(Math.abs(got - want) < 1e-9, "loss %.17g, ln 3 + 800 = %.17g", got, want);
        });
    }

    /** The mean NLL of softmax(z / T) by the library, in float64. */
    static double nll(double[][] logits, int[] labels, double t) {
        double[][] scaled = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            scaled[i] = logits[i].clone();
            for (int k = 0; k < scaled[i].length; k++) {
                scaled[i][k] /= t;
            }
        }
        return Losses.crossEntropy(Tensor.fromRows(scaled, DataType.DOUBLE), labels).item();
    }

    /** calibration: fit the temperature by Newton's method. */
    static void temperatureFit(Tasks.TemperatureFit f, Grading g) {
        g.notebook().equation("T^{*} = \\arg\\min_{T > 0} \\frac{1}{N} \\sum_i -\\ln \\operatorname{softmax}(z_i / T)_{y_i}");
        // over-confident logits: labels drawn from softmax(u), logits 3 u, so the best T is near 3
        SplittableRandom r = new SplittableRandom(3);
        int n = 2000;
        int k = 5;
        double[][] logits = new double[n][k];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double[] u = r.doubles(k, -2, 2).toArray();
            double[] p = Numeric.softmax(u);
            double x = r.nextDouble();
            int y = 0;
            for (double acc = p[0]; x > acc && y < k - 1; acc += p[++y]) {
                // walk the cumulative distribution
            }
            labels[i] = y;
            for (int j = 0; j < k; j++) {
                logits[i][j] = 3 * u[j];
            }
        }
        double[] fitted = {Double.NaN};
        java.util.function.DoubleSupplier fit = () -> {
            if (Double.isNaN(fitted[0])) {
                fitted[0] = f.fit(logits, labels); // once; a stub's TODO is thrown to every claim
            }
            return fitted[0];
        };
        g.claim("the NLL's derivative in T vanishes at the fitted T", () -> {
            double t = fit.getAsDouble();
            if (!(t > 0) || Double.isInfinite(t)) {
                return Verdict.of(false, "T = %s is not a temperature", t);
            }
            double h = 1e-5 * t;
            double d = (nll(logits, labels, t + h) - nll(logits, labels, t - h)) / (2 * h);
            return Verdict.of(t > 0 && Math.abs(d) < 1e-6, "T = %.6g, dNLL/dT = %.3g", t, d);
        });
        g.claim("the fitted T is the minimum: NLL(T) < NLL(T +- 1 %)", () -> {
            double t = fit.getAsDouble();
            if (!(t > 0) || Double.isInfinite(t)) {
                return Verdict.of(false, "T = %s is not a temperature", t);
            }
            double at = nll(logits, labels, t);
            double lo = nll(logits, labels, 0.99 * t);
            double hi = nll(logits, labels, 1.01 * t);
            return Verdict.of(t > 0 && at < lo && at < hi, "NLL(%.4g) = %.8f, at 0.99 T %.8f, at 1.01 T %.8f", t, at, lo, hi);
        });
        g.claim("it recovers the over-confidence the logits were made with (T near 3)", () -> Verdict.of(
                Math.abs(fit.getAsDouble() - 3) < 0.3, "T = %.4g for logits 3 u with labels drawn from softmax(u)", fitted[0]));
    }

    /** hessian: the Jacobian of softmax. */
    static void softmaxJacobian(Tasks.SoftmaxJacobian f, Grading g) {
        g.notebook().equation("\\frac{\\partial p_i}{\\partial z_j} = p_i (\\delta_{ij} - p_j), \\qquad "
                + "J = \\operatorname{diag}(p) - p p^\\top");
        double[] z = {0.5, -1.0, 2.0, 0.0};
        g.notebookClaim("the Hessian of cross-entropy, i.e. this Jacobian, equals central differences of autograd's gradient",
                () -> NotebookClaims.hessian(f.jacobian(z), z));
        g.claim("the Jacobian equals central differences of the library's softmax, column by column", () -> {
            double[][] jac = f.jacobian(z);
            double worst = 0;
            for (int j = 0; j < z.length; j++) {
                double[] plus = z.clone();
                double[] minus = z.clone();
                plus[j] += Numeric.STEP;
                minus[j] -= Numeric.STEP;
                double[] pp = Numeric.softmax(plus);
                double[] pm = Numeric.softmax(minus);
                for (int i = 0; i < z.length; i++) {
                    worst = Math.max(worst, Math.abs(jac[i][j] - (pp[i] - pm[i]) / (2 * Numeric.STEP)));
                }
            }
            return Verdict.of(worst < 1e-8, "max |difference| %.3g", worst);
        });
        g.claim("it is symmetric and its rows sum to 0", () -> {
            double[][] jac = f.jacobian(z);
            double worst = 0;
            for (int i = 0; i < z.length; i++) {
                double row = 0;
                for (int j = 0; j < z.length; j++) {
                    row += jac[i][j];
                    worst = Math.max(worst, Math.abs(jac[i][j] - jac[j][i]));
                }
                worst = Math.max(worst, Math.abs(row));
            }
            return Verdict.of(worst < 1e-12, "max asymmetry or row sum %.3g", worst);
        });
        g.claim("it is positive semi-definite: v^T J v >= 0 (the loss is convex in the logits)", () -> {
            double[][] jac = f.jacobian(z);
            SplittableRandom r = new SplittableRandom(7);
            double least = Double.POSITIVE_INFINITY;
            for (int t = 0; t < 200; t++) {
                double[] v = r.doubles(z.length, -1, 1).toArray();
                double q = 0;
                for (int i = 0; i < z.length; i++) {
                    for (int j = 0; j < z.length; j++) {
                        q += v[i] * jac[i][j] * v[j];
                    }
                }
                least = Math.min(least, q);
            }
            return Verdict.of(least >= -1e-15, "least v^T J v over 200 random v: %.3g", least);
        });
    }

    /** temperature: softmax(z / tau) from arg-max to uniform. */
    static void temperedSoftmax(Tasks.TemperedSoftmax f, Grading g) {
        g.notebook().equation("p_k(\\tau) = \\frac{e^{z_k / \\tau}}{\\sum_j e^{z_j / \\tau}}");
        g.notebookClaim("the entropy rises with tau from 0 to ln K", () -> NotebookClaims.entropy(f::softmax, MODERATE));
        g.claim("softmax(z / tau) matches the library's at tau = 0.1, 1 and 10", () -> {
            double worst = 0;
            for (double tau : new double[] {0.1, 1, 10}) {
                worst = Math.max(worst, maxAbsDiff(f.softmax(MODERATE, tau), Numeric.softmax(MODERATE, tau)));
            }
            return Verdict.of(worst < 1e-12, "max |difference| %.3g", worst);
        });
        g.claim("tau -> 0 gives the one-hot of the arg-max, finite (tau = 0.001: z / tau reaches 2000)", () -> {
            double[] p = f.softmax(MODERATE, 1e-3);
            double d = maxAbsDiff(p, new double[] {1, 0, 0, 0, 0});
            return Verdict.of(finite(p) && d < 1e-12, "p = %s", show(p));
        });
        g.claim("tau -> infinity gives the uniform distribution (tau = 1e6)", () -> {
            double[] p = f.softmax(MODERATE, 1e6);
            double d = maxAbsDiff(p, new double[] {0.2, 0.2, 0.2, 0.2, 0.2});
            return Verdict.of(d < 1e-5, "p = %s", show(p));
        });
        g.claim("the entropy rises monotonically with tau (41 temperatures from 0.01 to 100)", () -> {
            double previous = -1;
            for (int i = 0; i <= 40; i++) {
                double tau = Math.pow(10, -2 + i / 10.0);
                double h = dev.softgrad.examples.Lessons.entropy(f.softmax(MODERATE, tau));
                if (!(h >= previous - 1e-12)) {
                    return Verdict.of(false, "H falls from %.6g to %.6g at tau = %.4g", previous, h, tau);
                }
                previous = h;
            }
            return Verdict.of(true, "H(100) = %.6g, ln K = %.6g", previous, Math.log(MODERATE.length));
        });
    }

    /** soft-targets: the gradient against a soft target is p - q. */
    static void softTargetGradient(Tasks.SoftTargetGradient f, Grading g) {
        g.notebook().equation("\\frac{\\partial}{\\partial z} \\left( -\\sum_k q_k \\ln p_k \\right) = p - q");
        double[] z = {1.5, -0.5, 0.25, 2.0};
        double[] q = {0.1, 0.2, 0.6, 0.1};
        g.notebookClaim("p - q equals the central differences of the soft-target loss", () -> NotebookClaims.softTargetGradient(
                new double[][] {f.gradient(z, q)}, new double[][] {z}, new double[][] {q}));
        g.claim("the gradient equals central differences of -sum q ln softmax(z) (the library's log softmax)", () -> {
            double[] fd = centralDifference(x -> {
                double[] logp = Numeric.logSoftmax(x, 1);
                double l = 0;
                for (int k = 0; k < x.length; k++) {
                    l -= q[k] * logp[k];
                }
                return l;
            }, z);
            double[] got = f.gradient(z, q);
            double d = maxAbsDiff(got, fd);
            return Verdict.of(d < 1e-7, "gradient %s, finite differences %s", show(got), show(fd));
        });
        g.claim("it vanishes at z = ln q: the target itself is the minimum", () -> {
            double[] lnq = new double[q.length];
            for (int k = 0; k < q.length; k++) {
                lnq[k] = Math.log(q[k]);
            }
            double[] grad = f.gradient(lnq, q);
            return Verdict.of(maxAbsDiff(grad, new double[q.length]) < 1e-12, "gradient %s", show(grad));
        });
        g.claim("with a one-hot target it is the hard-label gradient p - y", () -> {
            double[] y = {0, 0, 1, 0};
            double[] want = Numeric.softmax(z);
            want[2] -= 1;
            double d = maxAbsDiff(f.gradient(z, y), want);
            return Verdict.of(d < 1e-12, "max |difference| %.3g", d);
        });
    }

    /** bandit: the score function of a softmax policy. */
    static void policyScore(Tasks.PolicyScore f, Grading g) {
        g.notebook().equation("\\nabla_h \\ln \\pi(a) = e_a - \\pi, \\qquad \\pi = \\operatorname{softmax}(h)");
        double[] h = {0.3, -1.2, 0.8, 0.0};
        g.notebookClaim("grad log pi(a) equals e_a - pi for every arm", () -> {
            double[][] scores = new double[h.length][];
            for (int a = 0; a < h.length; a++) {
                scores[a] = f.score(h, a);
            }
            return NotebookClaims.score(scores, Numeric.softmax(h), 1.0);
        });
        g.claim("the score equals central differences of ln pi(a) (the library's log softmax)", () -> {
            double worst = 0;
            for (int a = 0; a < h.length; a++) {
                int action = a;
                double[] fd = centralDifference(x -> Numeric.logSoftmax(x, 1)[action], h);
                worst = Math.max(worst, maxAbsDiff(f.score(h, a), fd));
            }
            return Verdict.of(worst < 1e-7, "max |difference| %.3g over the 4 actions", worst);
        });
        g.claim("its expectation under the policy is 0: sum_a pi(a) grad ln pi(a) = 0", () -> {
            double[] pi = Numeric.softmax(h);
            double[] mean = new double[h.length];
            for (int a = 0; a < h.length; a++) {
                double[] sc = f.score(h, a);
                for (int k = 0; k < h.length; k++) {
                    mean[k] += pi[a] * sc[k];
                }
            }
            return Verdict.of(maxAbsDiff(mean, new double[h.length]) < 1e-12, "E[score] = %s", show(mean));
        });
        g.claim("finite for preferences far apart (h = [800, 0, -800]): the unlikely action's score is e_a - pi", () -> {
            double[] sc = f.score(new double[] {800, 0, -800}, 2);
            return Verdict.of(finite(sc) && maxAbsDiff(sc, new double[] {-1, 0, 1}) < 1e-12, "score %s", show(sc));
        });
    }

    /** distillation: the gradient of T^2 KL in the student's logits. */
    static void distillationGradient(Tasks.DistillationGradient f, Grading g) {
        g.notebook().equation("\\frac{\\partial}{\\partial s} T^2 \\operatorname{KL}(q_T \\| p_T) = T (p_T - q_T)");
        double[] s = {1.0, -0.5, 2.0, 0.3};
        double[] t = {2.5, 0.5, -1.0, 0.0};
        for (double temperature : new double[] {1, 4}) {
            g.claim("the gradient at T = " + (int) temperature + " equals central differences of the library's T^2 KL", () -> {
                double[] fd = centralDifference(x -> Numeric.distill(x, t, temperature), s);
                double[] got = f.gradient(s, t, temperature);
                double d = maxAbsDiff(got, fd);
                return Verdict.of(d < 1e-7, "gradient %s, finite differences %s", show(got), show(fd));
            });
        }
        g.claim("it vanishes when the student's logits equal the teacher's", () -> {
            double[] grad = f.gradient(t, t, 3);
            return Verdict.of(maxAbsDiff(grad, new double[t.length]) < 1e-12, "gradient %s", show(grad));
        });
        g.claim("at high T it tends to logit matching: ((s - t) - mean(s - t)) / K", () -> {
            double[] grad = f.gradient(s, t, 1000);
            double[] diff = new double[s.length];
            double mean = 0;
            for (int k = 0; k < s.length; k++) {
                diff[k] = s[k] - t[k];
                mean += diff[k] / s.length;
            }
            for (int k = 0; k < s.length; k++) {
                diff[k] = (diff[k] - mean) / s.length;
            }
            double d = maxAbsDiff(grad, diff);
            return Verdict.of(d < 1e-3, "gradient at T = 1000 %s, logit matching %s", show(grad), show(diff));
        });
    }

    /** saturation: the gradient of cross-entropy plus logit L2, and its fixed point. */
    static void regularisedGradient(Tasks.RegularisedGradient f, Grading g) {
        g.notebook().equation("\\frac{\\partial}{\\partial z} \\left( -\\ln p_c + \\frac{\\lambda}{2} \\| z \\|^2 \\right)"
                + " = (p - y) + \\lambda z");
        double[] z = {1.5, -0.5, 0.25, 2.0};
        int c = 0;
        g.notebookClaim("the gradient of CE + LogitL2 equals central differences", () -> NotebookClaims.regularisedGradient(
                new double[][] {f.gradient(z, c, 0.3)}, new double[][] {z}, new int[] {c}, 0.3));
        g.claim("the gradient equals central differences of the library's cross-entropy + logit L2 (lambda = 0.3)", () -> {
            double[] fd = centralDifference(x -> Numeric.crossEntropy(x, c) + Numeric.logitL2(x, 0.3), z);
            double[] got = f.gradient(z, c, 0.3);
            double d = maxAbsDiff(got, fd);
            return Verdict.of(d < 1e-7, "gradient %s, finite differences %s", show(got), show(fd));
        });
        g.notebookClaim("gradient descent with it stops where p - y = -lambda z (lambda = 0.1)", () -> {
            double[] x = new double[3];
            for (int step = 0; step < 5000; step++) {
                double[] grad = f.gradient(x, 0, 0.1);
                for (int k = 0; k < x.length; k++) {
                    x[k] -= 0.5 * grad[k];
                }
            }
            return NotebookClaims.fixedPoint(Numeric.softmax(x), 0, x, 0.1); // after 5000 steps of descent from z = 0
        });
        g.claim("at lambda = 0 it is the cross-entropy's p - y", () -> {
            double[] want = Numeric.softmax(z);
            want[c] -= 1;
            double d = maxAbsDiff(f.gradient(z, c, 0), want);
            return Verdict.of(d < 1e-12, "max |difference| %.3g", d);
        });
    }

    /** softmax-regression: the gradient in the weights is X^T (P - Y) / N. */
    static void weightGradient(Tasks.WeightGradient f, Grading g) {
        g.notebook().equation("\\nabla_W L = \\frac{1}{N} X^\\top (P - Y)");
        SplittableRandom r = new SplittableRandom(17);
        int n = 6;
        int d = 3;
        int k = 4;
        double[][] x = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.doubles(d, -1, 1).toArray();
            y[i] = r.nextInt(k);
        }
        double[][] w = new double[d][];
        for (int j = 0; j < d; j++) {
            w[j] = r.doubles(k, -1, 1).toArray();
        }
        g.claim("the gradient equals central differences of the library's mean cross-entropy, entry by entry", () -> {
            double[][] got = f.gradient(x, y, w);
            double worst = got.length == d ? 0 : Double.POSITIVE_INFINITY;
            for (int a = 0; a < d && worst < Double.POSITIVE_INFINITY; a++) {
                int row = a;
                double[] fd = centralDifference(v -> {
                    double[][] w2 = w.clone();
                    w2[row] = v;
                    return Numeric.meanCrossEntropy(Numeric.times(x, w2), y);
                }, w[a]);
                worst = Math.max(worst, maxAbsDiff(got[a], fd));
            }
            return Verdict.of(worst < 1e-7, "max |difference| %.3g over the %d x %d entries", worst, d, k);
        });
        g.claim("each row of the gradient sums to 0 over the classes (the rows of P - Y do)", () -> {
            double worst = 0;
            for (double[] row : f.gradient(x, y, w)) {
                worst = Math.max(worst, Math.abs(java.util.Arrays.stream(row).sum()));
            }
            return Verdict.of(worst < 1e-12, "max |row sum| %.3g", worst);
        });
        g.claim("at W = 0 it is X^T (1/K - Y) / N: the uniform prediction's gradient", () -> {
            double[][] zero = new double[d][k];
            double[][] got = f.gradient(x, y, zero);
            double worst = 0;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < k; b++) {
                    double want = 0;
                    for (int i = 0; i < n; i++) {
                        want += x[i][a] * (1.0 / k - (y[i] == b ? 1 : 0)) / n;
                    }
                    worst = Math.max(worst, Math.abs(got[a][b] - want));
                }
            }
            return Verdict.of(worst < 1e-12, "max |difference| %.3g", worst);
        });
    }

    /** attention: causal softmax weights. */
    static void causalWeights(Tasks.CausalWeights f, Grading g) {
        g.notebook().equation("A_{ij} = \\frac{e^{s_{ij}}}{\\sum_{l \\le i} e^{s_{il}}} \\text{ for } j \\le i, \\qquad "
                + "A_{ij} = 0 \\text{ for } j > i");
        SplittableRandom r = new SplittableRandom(23);
        int t = 5;
        double[][] s = new double[t][];
        boolean[][] keep = new boolean[t][t];
        for (int i = 0; i < t; i++) {
            s[i] = r.doubles(t, -3, 3).toArray();
            for (int j = 0; j <= i; j++) {
                keep[i][j] = true;
            }
        }
        g.notebookClaim("masked attention weights are exactly 0", () -> NotebookClaims.mask(f.weights(s), keep));
        g.claim("the weights match the library's masked softmax", () -> {
            double[][] want = Losses.maskedSoftmax(Tensor.fromRows(s, DataType.DOUBLE), keep, 1.0).value().toDoubleMatrix();
            double[][] got = f.weights(s);
            double worst = got.length == t ? 0 : Double.POSITIVE_INFINITY;
            for (int i = 0; i < t && worst < Double.POSITIVE_INFINITY; i++) {
                worst = Math.max(worst, maxAbsDiff(got[i], want[i]));
            }
            return Verdict.of(worst < 1e-12, "max |difference| %.3g", worst);
        });
        g.claim("every weight above the diagonal is exactly 0, every row sums to 1, the first row is [1, 0, ...]", () -> {
            double[][] a = f.weights(s);
            boolean zeros = true;
            double worstSum = 0;
            for (int i = 0; i < t; i++) {
                for (int j = i + 1; j < t; j++) {
                    zeros &= a[i][j] == 0.0;
                }
                worstSum = Math.max(worstSum, Math.abs(java.util.Arrays.stream(a[i]).sum() - 1));
            }
            return Verdict.of(zeros && worstSum < 1e-12 && a[0][0] == 1.0, "exact zeros: %s, max |row sum - 1| %.3g, A_00 = %s",
                    zeros, worstSum, a[0][0]);
        });
        g.claim("finite for scores up to 1000 (e^1000 overflows)", () -> {
            double[][] big = new double[t][];
            for (int i = 0; i < t; i++) {
                big[i] = s[i].clone();
                for (int j = 0; j < t; j++) {
                    big[i][j] *= 300;
                }
            }
            double[][] a = f.weights(big);
            boolean ok = true;
            for (double[] row : a) {
                ok &= finite(row);
            }
            return Verdict.of(ok, "scores 300 s, rows finite: %s", ok);
        });
    }

    /** contrastive: InfoNCE. */
    static void infoNce(Tasks.InfoNce f, Grading g) {
        g.notebook().equation("L = \\frac{1}{N} \\sum_{i=1}^{N} -\\ln \\frac{e^{s_{ii} / \\tau}}{\\sum_{j} e^{s_{ij} / \\tau}}");
        SplittableRandom r = new SplittableRandom(29);
        int n = 6;
        double[][] s = new double[n][];
        int[] diagonal = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = r.doubles(n, -1, 1).toArray();
            diagonal[i] = i;
        }
        g.claim("the loss matches the library's cross-entropy of s / tau with the diagonal as labels (tau = 0.1)", () -> {
            double[][] scaled = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    scaled[i][j] = s[i][j] / 0.1;
                }
            }
            double want = Numeric.meanCrossEntropy(scaled, diagonal);
            double got = f.loss(s, 0.1);
            return Verdict.of(Math.abs(got - want) < 1e-12, "loss %.17g, library %.17g", got, want);
        });
        g.claim("equal similarities give ln N: chance among N candidates", () -> {
            double got = f.loss(new double[n][n], 0.5);
            return Verdict.of(Math.abs(got - Math.log(n)) < 1e-12, "loss %.17g, ln %d = %.17g", got, n, Math.log(n));
        });
        g.claim("finite at tau = 0.001 (s / tau reaches 1000, e^1000 overflows)", () -> {
            double got = f.loss(s, 0.001);
            double[][] scaled = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    scaled[i][j] = s[i][j] / 0.001;
                }
            }
            double want = Numeric.meanCrossEntropy(scaled, diagonal);
            return Verdict.of(Double.isFinite(got) && Math.abs(got - want) < 1e-9 * Math.max(1, want), "loss %.17g, library %.17g",
                    got, want);
        });
    }

    /** temperature: the entropy that temperature moves between 0 and ln K. */
    static void entropy(Tasks.Entropy f, Grading g) {
        g.notebook().equation("H(p) = -\\sum_{k=1}^{K} p_k \\ln p_k, \\qquad 0 \\le H(p) \\le \\ln K");
        g.claim("the uniform distribution has the largest entropy, ln K", () -> {
            double got = f.entropy(new double[] {0.2, 0.2, 0.2, 0.2, 0.2});
            return Verdict.of(Math.abs(got - Math.log(5)) < 1e-12, "H = %.17g, ln 5 = %.17g", got, Math.log(5));
        });
        g.claim("a one-hot distribution has entropy exactly 0 (0 ln 0 = 0, not NaN)", () -> {
            double got = f.entropy(new double[] {0, 1, 0, 0});
            return Verdict.of(got == 0.0, "H = %s", got);
        });
        g.claim("between 0 and ln K, and rising with tau for p = softmax(z / tau) (41 temperatures)", () -> {
            double previous = -1;
            for (int i = 0; i <= 40; i++) {
                double tau = Math.pow(10, -2 + i / 10.0);
                double h = f.entropy(Numeric.softmax(MODERATE, tau));
                if (!(h >= previous - 1e-12 && h >= 0 && h <= Math.log(MODERATE.length) + 1e-12)) {
                    return Verdict.of(false, "H = %.6g at tau = %.4g after %.6g", h, tau, previous);
                }
                previous = h;
            }
            return Verdict.of(true, "H(tau = 100) = %.6g <= ln 5 = %.6g", previous, Math.log(5));
        });
    }

    /** calibration: the expected calibration error. */
    static void calibrationError(Tasks.CalibrationError f, Grading g) {
        g.notebook().equation("\\operatorname{ECE} = \\sum_{b=1}^{B} \\frac{|B_b|}{N} \\left| \\operatorname{acc}(B_b) - "
                + "\\operatorname{conf}(B_b) \\right|");
        SplittableRandom r = new SplittableRandom(31);
        int n = 500;
        double[][] p = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = Numeric.softmax(r.doubles(4, -3, 3).toArray());
            y[i] = r.nextInt(4);
        }
        g.claim("the ECE matches the library's (15 equal-width bins) on random predictions", () -> {
            double want = dev.softgrad.nn.calibration.CalibrationMetrics.ece(Tensor.fromRows(p, DataType.DOUBLE).value(), y, 15);
            double got = f.ece(p, y, 15);
            return Verdict.of(Math.abs(got - want) < 1e-12, "ECE %.17g, library %.17g", got, want);
        });
        g.claim("a model whose confidence equals its accuracy has ECE 0", () -> {
            double[][] q = new double[100][];
            int[] labels = new int[100];
            for (int i = 0; i < 100; i++) {
                q[i] = new double[] {0.75, 0.25 / 3, 0.25 / 3, 0.25 / 3};
                labels[i] = i % 4 == 3 ? 1 : 0; // 75 of 100 correct at confidence 0.75
            }
            double got = f.ece(q, labels, 15);
            return Verdict.of(Math.abs(got) < 1e-12, "ECE = %.3g", got);
        });
        g.claim("a model that is always wrong has ECE equal to its mean confidence", () -> {
            double[][] q = new double[50][];
            int[] labels = new int[50];
            double mean = 0;
            for (int i = 0; i < 50; i++) {
                double c = 0.5 + 0.45 * i / 49.0;
                q[i] = new double[] {c, 1 - c};
                labels[i] = 1;
                mean += c / 50;
            }
            double got = f.ece(q, labels, 10);
            return Verdict.of(Math.abs(got - mean) < 1e-12, "ECE %.17g, mean confidence %.17g", got, mean);
        });
    }

    /** train: one step of gradient descent, and many. */
    static void sgdStep(Tasks.SgdStep f, Grading g) {
        g.notebook().equation("W \\leftarrow W - \\eta \\, \\frac{1}{N} X^\\top (P - Y)");
        SplittableRandom r = new SplittableRandom(37);
        int n = 40;
        int d = 3;
        int k = 3;
        double[][] x = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
            x[i] = r.doubles(d, -1, 1).toArray();
            x[i][y[i]] += 1.5; // classes apart along their own axis
        }
        g.claim("one step from W = 0 is the closed form -eta X^T (1/K - Y) / N", () -> {
            double[][] got = f.step(new double[d][k], x, y, 0.5);
            double worst = 0;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < k; b++) {
                    double want = 0;
                    for (int i = 0; i < n; i++) {
                        want -= 0.5 * x[i][a] * (1.0 / k - (y[i] == b ? 1 : 0)) / n;
                    }
                    worst = Math.max(worst, Math.abs(got[a][b] - want));
                }
            }
            return Verdict.of(worst < 1e-12, "max |difference| %.3g", worst);
        });
        g.claim("the training loss falls at every one of 100 steps (eta = 0.5), from ln K", () -> {
            double[][] w = new double[d][k];
            double before = Numeric.meanCrossEntropy(Numeric.times(x, w), y);
            double start = before;
            for (int t = 0; t < 100; t++) {
                w = f.step(w, x, y, 0.5);
                double after = Numeric.meanCrossEntropy(Numeric.times(x, w), y);
                if (!(after < before)) {
                    return Verdict.of(false, "step %d: loss %.6g -> %.6g", t + 1, before, after);
                }
                before = after;
            }
            return Verdict.of(Math.abs(start - Math.log(k)) < 1e-12, "loss ln %d = %.4g -> %.4g after 100 steps", k, start, before);
        });
        g.claim("the step does not change the W it was given", () -> {
            double[][] w = new double[d][k];
            f.step(w, x, y, 0.5);
            boolean zero = java.util.Arrays.stream(w).allMatch(row -> java.util.Arrays.stream(row).allMatch(v -> v == 0.0));
            return Verdict.of(zero, "W after the call is still 0: %s", zero);
        });
    }
}
