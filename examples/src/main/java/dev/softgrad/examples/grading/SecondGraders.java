package dev.softgrad.examples.grading;

import static dev.softgrad.examples.grading.Numeric.centralDifference;
import static dev.softgrad.examples.grading.Numeric.finite;
import static dev.softgrad.examples.grading.Numeric.maxAbsDiff;
import static dev.softgrad.examples.grading.Numeric.show;

import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import dev.softgrad.examples.NotebookClaims;
import dev.softgrad.examples.grading.Grading.Verdict;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The graders of each notebook's second exercise (the first ones are in {@link Graders}): the
 * notebook's own claim where it has a hook, then claims against the library's float64 losses,
 * central differences, closed forms and the magnitudes where a naive formula overflows.
 */
final class SecondGraders {
    private SecondGraders() {
    }

    private static final double[] MODERATE = {2.0, 1.0, 0.5, -1.0, 0.0};

    private static double[] plus(double[] z, double c) {
        return Arrays.stream(z).map(v -> v + c).toArray();
    }

    private static double maxAbsDiff2(double[][] a, double[][] b) {
        if (a == null || a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, maxAbsDiff(a[i], b[i]));
        }
        return worst;
    }

    private static double[][] randomMatrix(SplittableRandom r, int rows, int cols) {
        double[][] a = new double[rows][];
        for (int i = 0; i < rows; i++) {
            a[i] = r.doubles(cols, -1, 1).toArray();
        }
        return a;
    }

    /** softmax-regression: the gradient of the log-partition function is softmax. */
    static void logPartitionGradient(Tasks.LogPartitionGradient f, Grading g) {
        g.notebook().equation("\\frac{\\partial \\ln Z}{\\partial z_j} = \\frac{e^{z_j}}{\\sum_k e^{z_k}} = p_j");
        double[][] zs = {MODERATE, {0.3, -0.7, 1.1, 0.0, 2.5}, {-4, 4, 0, 1, -1}};
        g.notebookClaim("d ln Z / dz equals central differences of ln Z", () -> {
            double[][] grads = new double[zs.length][];
            for (int i = 0; i < zs.length; i++) {
                grads[i] = f.gradient(zs[i]);
            }
            return NotebookClaims.gradLogZ(grads, zs);
        });
        g.claim("it is a distribution: entries in (0, 1) summing to 1 (the model's mean of the one-hot class)", () -> {
            double[] p = f.gradient(MODERATE);
            boolean inside = p.length == MODERATE.length && Arrays.stream(p).allMatch(v -> v > 0 && v < 1);
            double sum = Arrays.stream(p).sum();
            return Verdict.of(inside && Math.abs(sum - 1) < 1e-12, "gradient %s, sum %.17g", show(p), sum);
        });
        g.claim("it does not change when every logit moves by 1000 (ln Z moves by exactly 1000)", () -> {
            double d = maxAbsDiff(f.gradient(plus(MODERATE, 1000)), f.gradient(MODERATE));
            return Verdict.of(d < 1e-12, "max |difference| %.3g", d);
        });
        g.claim("finite past exp's overflow: at z = [900, 0, -900] it is the library's softmax", () -> {
            double[] z = {900, 0, -900};
            double[] got = f.gradient(z);
            return Verdict.of(finite(got) && maxAbsDiff(got, Numeric.softmax(z)) < 1e-12, "gradient %s", show(got));
        });
    }

    /** margin: the slope of the loss in the margin, exact at both ends. */
    static void marginSlope(Tasks.MarginSlope f, Grading g) {
        g.notebook().equation("\\frac{dL}{dm} = -\\frac{(K - 1) e^{-m}}{1 + (K - 1) e^{-m}} = -(1 - p_c)");
        g.claim("the slope equals central differences of the library's cross-entropy along the margin (K = 2, 5)", () -> {
            double worst = 0;
            for (int k : new int[] {2, 5}) {
                for (double m : new double[] {-3, 0, 2}) {
                    double h = Numeric.STEP;
                    double fd = (lossAt(m + h, k) - lossAt(m - h, k)) / (2 * h);
                    worst = Math.max(worst, Math.abs(f.slope(m, k) - fd));
                }
            }
            return Verdict.of(worst < 1e-7, "max |difference| %.3g at m in {-3, 0, 2}", worst);
        });
        g.claim("it is -(1 - p_c) with the library's softmax (m = 1.5, K = 3)", () -> {
            double pc = Numeric.softmax(new double[] {1.5, 0, 0})[0];
            double got = f.slope(1.5, 3);
            return Verdict.of(Math.abs(got + 1 - pc) < 1e-12, "slope %.17g, -(1 - p_c) %.17g", got, -(1 - pc));
        });
        g.claim("m -> -infinity: the slope tends to -1, finite at m = -800 (e^800 overflows)", () -> {
            double got = f.slope(-800, 4);
            return Verdict.of(Double.isFinite(got) && Math.abs(got + 1) < 1e-12, "slope %.17g", got);
        });
        g.claim("m -> +infinity: the slope is -(K - 1) e^-m, not 0 (m = 50, K = 4: 1 - p_c rounds to 0)", () -> {
            double got = f.slope(50, 4);
            double r = 3 * Math.exp(-50);
            double want = -r / (1 + r);
            return Verdict.of(Math.abs(got - want) <= 1e-9 * Math.abs(want), "slope %.6g, -(K - 1) e^-m %.6g", got, want);
        });
    }

    private static double lossAt(double m, int k) {
        double[] z = new double[k];
        z[0] = m;
        return Numeric.crossEntropy(z, 0);
    }

    /** gradient: log softmax, finite where ln(softmax) is -inf. */
    static void logSoftmax(Tasks.LogSoftmax f, Grading g) {
        g.notebook().equation("\\ln p_k = z_k - \\operatorname{LSE}(z), \\qquad -\\ln p_c = -z_c + \\operatorname{LSE}(z)");
        g.claim("log softmax matches the library's on moderate logits", () -> {
            double d = maxAbsDiff(f.logSoftmax(MODERATE), Numeric.logSoftmax(MODERATE, 1));
            return Verdict.of(d < 1e-12, "max |difference| %.3g", d);
        });
        g.claim("-ln p_c is the library's fused cross-entropy on 50 random rows", () -> {
            SplittableRandom r = new SplittableRandom(41);
            double worst = 0;
            for (int t = 0; t < 50; t++) {
                double[] z = r.doubles(2 + r.nextInt(8), -30, 30).toArray();
                int c = r.nextInt(z.length);
                worst = Math.max(worst, Math.abs(-f.logSoftmax(z)[c] - Numeric.crossEntropy(z, c)));
            }
            return Verdict.of(worst < 1e-12, "max |difference| %.3g", worst);
        });
        g.claim("the probabilities e^{ln p} sum to 1", () -> {
            double s = Arrays.stream(f.logSoftmax(new double[] {3, -2, 0.5, 7})).map(Math::exp).sum();
            return Verdict.of(Math.abs(s - 1) < 1e-12, "sum %.17g", s);
        });
        g.claim("finite where ln(softmax(z)) is -inf: z = [0, -800, 5] gives ln p_1 = -805.0067...", () -> {
            double[] z = {0, -800, 5};
            double[] got = f.logSoftmax(z);
            double want = -800 - (5 + Math.log1p(Math.exp(-5) + Math.exp(-805)));
            return Verdict.of(finite(got) && Math.abs(got[1] - want) < 1e-9, "ln p = %s (softmax gives p_1 = %s)", show(got),
                    Numeric.softmax(z)[1]);
        });
    }

    /** soft-targets: cross-entropy against a soft target. */
    static void softTargetLoss(Tasks.SoftTargetLoss f, Grading g) {
        g.notebook().equation("L(z, q) = -\\sum_k q_k \\ln p_k \\ge H(q), \\quad \\text{with equality at } p = q");
        double[] z = {1.5, -0.5, 0.25, 2.0};
        double[] q = {0.1, 0.2, 0.6, 0.1};
        g.claim("the loss matches the library's soft-target cross-entropy", () -> {
            double got = f.loss(z, q);
            double want = Numeric.softCrossEntropy(z, q);
            return Verdict.of(Math.abs(got - want) < 1e-12, "loss %.17g, library %.17g", got, want);
        });
        g.claim("its central differences are p - q (the notebook's gradient)", () -> {
            double[] fd = centralDifference(x -> f.loss(x, q), z);
            double[] want = Numeric.softmax(z);
            for (int k = 0; k < q.length; k++) {
                want[k] -= q[k];
            }
            double d = maxAbsDiff(fd, want);
            return Verdict.of(d < 1e-7, "differences %s, p - q %s", show(fd), show(want));
        });
        g.claim("it is at least the entropy H(q), with equality at z = ln q (Gibbs' inequality)", () -> {
            double h = dev.softgrad.examples.Lessons.entropy(q);
            double at = f.loss(Arrays.stream(q).map(Math::log).toArray(), q);
            double off = f.loss(z, q);
            return Verdict.of(Math.abs(at - h) < 1e-12 && off > h, "H(q) = %.12g, L(ln q) = %.12g, L(z) = %.6g", h, at, off);
        });
        g.claim("a class with q_k = 0 adds 0 even where p_k underflows: z = [0, -800], q = [1, 0] gives ln(1 + e^-800) = 0", () -> {
            double got = f.loss(new double[] {0, -800}, new double[] {1, 0});
            return Verdict.of(got == 0.0, "loss %s", got);
        });
    }

    /** saturation: the z-loss gradient. */
    static void zLossGradient(Tasks.ZLossGradient f, Grading g) {
        g.notebook().equation("\\frac{\\partial}{\\partial z} \\lambda \\operatorname{LSE}(z)^2 = 2 \\lambda "
                + "\\operatorname{LSE}(z) \\, p");
        g.claim("the gradient equals central differences of the library's z-loss (lambda = 0.5)", () -> {
            double[] fd = centralDifference(x -> Numeric.zLoss(x, 0.5), MODERATE);
            double[] got = f.gradient(MODERATE, 0.5);
            double d = maxAbsDiff(got, fd);
            return Verdict.of(d < 1e-7, "gradient %s, finite differences %s", show(got), show(fd));
        });
        g.claim("its components sum to 2 lambda LSE(z): unlike p - y, it moves the logits' common level", () -> {
            double s = Arrays.stream(f.gradient(MODERATE, 0.5)).sum();
            double want = Numeric.logSumExp(MODERATE);
            return Verdict.of(Math.abs(s - want) < 1e-12, "sum %.17g, 2 * 0.5 * LSE %.17g", s, want);
        });
        g.claim("it vanishes wherever Z = 1 (z = ln p for any distribution p): softmax itself is left free", () -> {
            double[] z = Arrays.stream(new double[] {0.7, 0.2, 0.1}).map(Math::log).toArray();
            double[] got = f.gradient(z, 0.5);
            return Verdict.of(maxAbsDiff(got, new double[3]) < 1e-12, "gradient %s at z = ln [0.7, 0.2, 0.1]", show(got));
        });
        g.claim("finite past exp's overflow: at z = [900, 0] it is 2 lambda 900 [1, 0]", () -> {
            double[] got = f.gradient(new double[] {900, 0}, 0.5);
            return Verdict.of(finite(got) && maxAbsDiff(got, new double[] {900, 0}) < 1e-9, "gradient %s", show(got));
        });
    }

    /** hessian: a Hessian-vector product without the matrix. */
    static void hessianVectorProduct(Tasks.HessianVectorProduct f, Grading g) {
        g.notebook().equation("H v = p \\odot v - p \\, (p^\\top v), \\qquad H = \\operatorname{diag}(p) - p p^\\top");
        double[] z = {0.5, -1.0, 2.0, 0.0};
        g.notebookClaim("the Hessian built from the products H e_j equals central differences of autograd's gradient", () -> {
            double[][] h = new double[z.length][z.length];
            for (int j = 0; j < z.length; j++) {
                double[] e = new double[z.length];
                e[j] = 1;
                double[] column = f.product(z, e);
                for (int i = 0; i < z.length; i++) {
                    h[i][j] = column[i];
                }
            }
            return NotebookClaims.hessian(h, z);
        });
        g.claim("H v equals the directional derivative of the library's softmax along v", () -> {
            double[] v = {0.3, -1.0, 0.6, 2.0};
            double eps = Numeric.STEP;
            double[] up = Numeric.softmax(plusScaled(z, v, eps));
            double[] down = Numeric.softmax(plusScaled(z, v, -eps));
            double[] fd = new double[z.length];
            for (int k = 0; k < z.length; k++) {
                fd[k] = (up[k] - down[k]) / (2 * eps);
            }
            double d = maxAbsDiff(f.product(z, v), fd);
            return Verdict.of(d < 1e-8, "H v %s, differences %s", show(f.product(z, v)), show(fd));
        });
        g.claim("H 1 = 0: moving every logit together changes nothing", () -> {
            double[] got = f.product(z, new double[] {1, 1, 1, 1});
            return Verdict.of(maxAbsDiff(got, new double[4]) < 1e-12, "H 1 = %s", show(got));
        });
        g.claim("v^T H v >= 0 for 200 random v (convex in the logits)", () -> {
            SplittableRandom r = new SplittableRandom(43);
            double least = Double.POSITIVE_INFINITY;
            for (int t = 0; t < 200; t++) {
                double[] v = r.doubles(z.length, -1, 1).toArray();
                double[] hv = f.product(z, v);
                double q = 0;
                for (int k = 0; k < z.length; k++) {
                    q += v[k] * hv[k];
                }
                least = Math.min(least, q);
            }
            return Verdict.of(least >= -1e-15, "least v^T H v %.3g", least);
        });
    }

    private static double[] plusScaled(double[] z, double[] v, double eps) {
        double[] out = z.clone();
        for (int k = 0; k < z.length; k++) {
            out[k] += eps * v[k];
        }
        return out;
    }

    /** label-smoothing: the smoothed target row. */
    static void smoothedTargets(Tasks.SmoothedTargets f, Grading g) {
        g.notebook().equation("q = (1 - \\epsilon) \\, \\text{onehot}(c) + \\frac{\\epsilon}{K}");
        g.claim("q_c = 1 - eps + eps / K and every other entry eps / K (eps = 0.1, K = 5, c = 3)", () -> {
            double[] q = f.targets(3, 5, 0.1);
            double[] want = {0.02, 0.02, 0.02, 0.92, 0.02};
            return Verdict.of(maxAbsDiff(q, want) < 1e-12, "q = %s", show(q));
        });
        g.claim("q sums to 1 for every eps in [0, 1] (K = 7)", () -> {
            double worst = 0;
            for (int i = 0; i <= 10; i++) {
                worst = Math.max(worst, Math.abs(Arrays.stream(f.targets(2, 7, i / 10.0)).sum() - 1));
            }
            return Verdict.of(worst < 1e-12, "max |sum - 1| %.3g", worst);
        });
        g.claim("eps = 0 gives the one-hot label", () -> {
            double[] q = f.targets(1, 4, 0);
            return Verdict.of(maxAbsDiff(q, new double[] {0, 1, 0, 0}) == 0, "q = %s", show(q));
        });
        g.claim("cross-entropy against q is the library's label smoothing (eps = 0.2)", () -> {
            double[] z = {1.5, -0.5, 0.25, 2.0, 0.0};
            double got = Numeric.softCrossEntropy(z, f.targets(1, 5, 0.2));
            double want = Numeric.labelSmoothing(z, 1, 0.2);
            return Verdict.of(Math.abs(got - want) < 1e-12, "CE(z, q) %.17g, library %.17g", got, want);
        });
    }

    /** distillation: T^2 KL. */
    static void distillationLoss(Tasks.DistillationLoss f, Grading g) {
        g.notebook().equation("L = T^2 \\sum_k q_k \\ln \\frac{q_k}{p_k}, \\quad q = \\operatorname{softmax}(t / T), \\ "
                + "p = \\operatorname{softmax}(s / T)");
        double[] s = {1.0, -0.5, 2.0, 0.3};
        double[] t = {2.5, 0.5, -1.0, 0.0};
        g.claim("the loss matches the library's T^2 KL at T = 1 and T = 4", () -> {
            double worst = 0;
            for (double temperature : new double[] {1, 4}) {
                worst = Math.max(worst, Math.abs(f.loss(s, t, temperature) - Numeric.distill(s, t, temperature)));
            }
            return Verdict.of(worst < 1e-12, "max |difference| %.3g", worst);
        });
        g.claim("0 when the student's logits are the teacher's, or the teacher's + 3; positive on 50 random rows", () -> {
            double same = f.loss(t, t, 2);
            double shifted = f.loss(plus(t, 3), t, 2);
            SplittableRandom r = new SplittableRandom(47);
            double least = Double.POSITIVE_INFINITY;
            for (int i = 0; i < 50; i++) {
                least = Math.min(least, f.loss(r.doubles(4, -3, 3).toArray(), r.doubles(4, -3, 3).toArray(), 2));
            }
            return Verdict.of(Math.abs(same) < 1e-12 && Math.abs(shifted) < 1e-12 && least > 0,
                    "L(t, t) = %.3g, L(t + 3, t) = %.3g, least random L %.3g", same, shifted, least);
        });
        g.claim("its central differences are T (p_T - q_T) (the exercise distillation-gradient), T = 4", () -> {
            double[] fd = centralDifference(x -> f.loss(x, t, 4), s);
            double[] p = Numeric.softmax(s, 4);
            double[] q = Numeric.softmax(t, 4);
            double[] want = new double[s.length];
            for (int k = 0; k < s.length; k++) {
                want[k] = 4 * (p[k] - q[k]);
            }
            return Verdict.of(maxAbsDiff(fd, want) < 1e-7, "differences %s, T (p - q) %s", show(fd), show(want));
        });
        g.claim("finite where the student gives the teacher's class p = e^-800: s = [0, -800], t = [0, 800], T = 1", () -> {
            double got = f.loss(new double[] {0, -800}, new double[] {0, 800}, 1);
            double want = Numeric.distill(new double[] {0, -800}, new double[] {0, 800}, 1);
            return Verdict.of(Double.isFinite(got) && Math.abs(got - want) < 1e-9 * want, "loss %.17g, library %.17g", got, want);
        });
    }

    /** attention: scaled dot-product attention. */
    static void attentionOutput(Tasks.AttentionOutput f, Grading g) {
        g.notebook().equation("\\operatorname{Attention}(Q, K, V) = \\operatorname{softmax}\\left( \\frac{Q K^\\top}{\\sqrt{d}} "
                + "\\right) V");
        SplittableRandom r = new SplittableRandom(53);
        double[][] q = randomMatrix(r, 4, 3);
        double[][] k = randomMatrix(r, 4, 3);
        double[][] v = randomMatrix(r, 4, 2);
        g.claim("the output matches the library's softmax of Q K^T / sqrt(d) times V", () -> {
            double[][] scores = Numeric.times(q, transpose(k));
            for (double[] row : scores) {
                for (int j = 0; j < row.length; j++) {
                    row[j] /= Math.sqrt(3);
                }
            }
            double[][] weights = Losses.softmax(Tensor.fromRows(scores, DataType.DOUBLE), 1.0).value().toDoubleMatrix();
            double d = maxAbsDiff2(f.output(q, k, v), Numeric.times(weights, v));
            return Verdict.of(d < 1e-12, "max |difference| %.3g", d);
        });
        g.claim("every output lies between the smallest and largest value of its column of V (a weighted mean)", () -> {
            double[][] out = f.output(q, k, v);
            boolean inside = out.length == q.length;
            for (int i = 0; inside && i < out.length; i++) {
                for (int c = 0; c < v[0].length; c++) {
                    int col = c;
                    double lo = Arrays.stream(v).mapToDouble(row -> row[col]).min().orElseThrow();
                    double hi = Arrays.stream(v).mapToDouble(row -> row[col]).max().orElseThrow();
                    inside &= out[i][c] >= lo - 1e-12 && out[i][c] <= hi + 1e-12;
                }
            }
            return Verdict.of(inside, "inside: %s", inside);
        });
        g.claim("identical keys give every query the plain mean of V's rows", () -> {
            double[][] same = new double[4][];
            Arrays.fill(same, k[0]);
            double[] mean = new double[2];
            for (double[] row : v) {
                mean[0] += row[0] / 4;
                mean[1] += row[1] / 4;
            }
            double[][] out = f.output(q, same, v);
            return Verdict.of(maxAbsDiff2(out, new double[][] {mean, mean, mean, mean}) < 1e-12, "first row %s, mean %s",
                    show(out.length > 0 ? out[0] : null), show(mean));
        });
        g.claim("finite for queries 1000 times larger (scores far past exp's overflow)", () -> {
            double[][] big = Arrays.stream(q).map(row -> Arrays.stream(row).map(x -> 1000 * x).toArray()).toArray(double[][]::new);
            double[][] out = f.output(big, k, v);
            boolean ok = out.length == q.length && Arrays.stream(out).allMatch(Numeric::finite);
            return Verdict.of(ok, "all finite: %s", ok);
        });
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** bandit: one REINFORCE step with a baseline. */
    static void reinforceStep(Tasks.ReinforceStep f, Grading g) {
        g.notebook().equation("h \\leftarrow h + \\eta \\, (r - b) \\, (e_a - \\pi)");
        double[] h = {0.3, -1.2, 0.8, 0.0};
        g.claim("the step equals one SGD step on -(r - b) ln pi(a) by autograd (the notebook's REINFORCE)", () -> {
            Tensor prefs = Tensor.parameter(Tensor.fromRows(new double[][] {h}, DataType.DOUBLE).value().dup());
            double[] weight = new double[h.length];
            weight[2] = -(1.7 - 0.4);
            Losses.logSoftmax(prefs, 1.0).mul(Tensor.fromRows(new double[][] {weight}, DataType.DOUBLE)).sum().backward();
            double[] grad = prefs.grad().toDoubleVector();
            double[] want = new double[h.length];
            for (int k = 0; k < h.length; k++) {
                want[k] = h[k] - 0.1 * grad[k];
            }
            double[] got = f.step(h, 2, 1.7, 0.4, 0.1);
            return Verdict.of(maxAbsDiff(got, want) < 1e-12, "h' = %s, autograd + SGD %s", show(got), show(want));
        });
        g.claim("a reward equal to the baseline changes nothing, and the given h is left as it was", () -> {
            double[] before = h.clone();
            double[] got = f.step(h, 1, 0.5, 0.5, 0.1);
            return Verdict.of(maxAbsDiff(got, h) == 0 && Arrays.equals(h, before), "h' = %s", show(got));
        });
        g.claim("the baseline's part has mean 0 under pi: sum_a pi(a) [step(b) - step(0)] = 0 (no bias)", () -> {
            double[] pi = Numeric.softmax(h);
            double[] mean = new double[h.length];
            for (int a = 0; a < h.length; a++) {
                double[] with = f.step(h, a, 2.0, 1.5, 0.1);
                double[] without = f.step(h, a, 2.0, 0.0, 0.1);
                for (int k = 0; k < h.length; k++) {
                    mean[k] += pi[a] * (with[k] - without[k]);
                }
            }
            return Verdict.of(maxAbsDiff(mean, new double[h.length]) < 1e-12, "mean %s", show(mean));
        });
        g.claim("finite for preferences far apart (h = [800, 0, -800])", () -> {
            double[] got = f.step(new double[] {800, 0, -800}, 2, 1, 0, 0.1);
            return Verdict.of(finite(got) && maxAbsDiff(got, new double[] {799.9, 0, -799.9}) < 1e-9, "h' = %s", show(got));
        });
    }

    /** contrastive: the gradient of InfoNCE in the similarities. */
    static void infoNceGradient(Tasks.InfoNceGradient f, Grading g) {
        g.notebook().equation("\\frac{\\partial L}{\\partial S} = \\frac{1}{N \\tau} \\left( \\operatorname{softmax}(S / \\tau) "
                + "- I \\right)");
        SplittableRandom r = new SplittableRandom(59);
        int n = 5;
        double[][] s = randomMatrix(r, n, n);
        int[] diagonal = java.util.stream.IntStream.range(0, n).toArray();
        g.notebookClaim("the gradient is (softmax(S / tau) - I) / (N tau)", () -> NotebookClaims.infoNceGradient(f.gradient(s, 0.5), s, 0.5));
        g.claim("it equals central differences of the library's cross-entropy of S / tau, entry by entry (tau = 0.2)", () -> {
            double[][] got = f.gradient(s, 0.2);
            double worst = got.length == n ? 0 : Double.POSITIVE_INFINITY;
            for (int i = 0; i < n && worst < Double.POSITIVE_INFINITY; i++) {
                int row = i;
                double[] fd = centralDifference(x -> {
                    double[][] scaled = new double[n][];
                    for (int a = 0; a < n; a++) {
                        scaled[a] = Arrays.stream(a == row ? x : s[a]).map(v -> v / 0.2).toArray();
                    }
                    return Numeric.meanCrossEntropy(scaled, diagonal);
                }, s[i]);
                worst = Math.max(worst, maxAbsDiff(got[i], fd));
            }
            return Verdict.of(worst < 1e-7, "max |difference| %.3g", worst);
        });
        g.claim("each row sums to 0", () -> {
            double worst = Arrays.stream(f.gradient(s, 0.2)).mapToDouble(row -> Math.abs(Arrays.stream(row).sum())).max().orElseThrow();
            return Verdict.of(worst < 1e-12, "max |row sum| %.3g", worst);
        });
        g.claim("finite at tau = 0.001, with each positive's entry in [-1 / (N tau), 0]", () -> {
            double[][] got = f.gradient(s, 0.001);
            boolean ok = got.length == n;
            for (int i = 0; ok && i < n; i++) {
                ok = finite(got[i]) && got[i][i] <= 0 && got[i][i] >= -1 / (n * 0.001) - 1e-9;
            }
            return Verdict.of(ok, "first row %s", show(got.length > 0 ? got[0] : null));
        });
    }

    /** train: the epoch loss from mini-batch means. */
    static void epochLoss(Tasks.EpochLoss f, Grading g) {
        g.notebook().equation("L_{\\text{epoch}} = \\frac{\\sum_b n_b L_b}{\\sum_b n_b} = \\frac{1}{N} \\sum_i \\ell_i");
        SplittableRandom r = new SplittableRandom(61);
        int n = 450;
        int batch = 32;
        double[][] z = randomMatrix(r, n, 3);
        int[] y = r.ints(n, 0, 3).toArray();
        int batches = (n + batch - 1) / batch;
        double[] means = new double[batches];
        int[] sizes = new int[batches];
        for (int b = 0; b < batches; b++) {
            int from = b * batch;
            int to = Math.min(n, from + batch);
            sizes[b] = to - from;
            means[b] = Numeric.meanCrossEntropy(Arrays.copyOfRange(z, from, to), Arrays.copyOfRange(y, from, to));
        }
        g.claim("450 samples in batches of 32 (the last holds 2): the epoch loss is the library's loss over all 450", () -> {
            double got = f.epochLoss(means, sizes);
            double want = Numeric.meanCrossEntropy(z, y);
            return Verdict.of(Math.abs(got - want) < 1e-12, "epoch loss %.17g, all samples %.17g (mean of batch means %.6g)", got,
                    want, Arrays.stream(means).average().orElseThrow());
        });
        g.claim("a last batch of 2 samples with mean 10 weighs 2 / 450, not 1 / 15", () -> {
            double[] m = new double[15];
            int[] sz = new int[15];
            Arrays.fill(m, 1.0);
            Arrays.fill(sz, 32);
            m[14] = 10;
            sz[14] = 2;
            double got = f.epochLoss(m, sz);
            return Verdict.of(Math.abs(got - 468.0 / 450) < 1e-12, "epoch loss %.17g, expected 468 / 450 = %.17g", got, 468.0 / 450);
        });
        g.claim("equal batches give the plain mean of their means; one batch gives its own mean", () -> {
            double equal = f.epochLoss(new double[] {1, 2, 6}, new int[] {8, 8, 8});
            double one = f.epochLoss(new double[] {0.75}, new int[] {5});
            return Verdict.of(Math.abs(equal - 3) < 1e-12 && Math.abs(one - 0.75) < 1e-12, "%.17g and %.17g", equal, one);
        });
    }

    /** Inputs with orthogonal columns of squared length N: X^T X / N = I. */
    private static final double[][] WHITE = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};

    /** logit-l2: the weight gradient of logit L2. */
    static void logitL2WeightGradient(Tasks.LogitL2WeightGradient f, Grading g) {
        g.notebook().equation("\\nabla_W \\frac{\\lambda}{2N} \\sum_i \\| x_i W \\|^2 = \\frac{\\lambda}{N} X^\\top Z, \\quad Z = X W");
        SplittableRandom r = new SplittableRandom(67);
        double[][] x = randomMatrix(r, 6, 3);
        double[][] w = randomMatrix(r, 3, 4);
        g.notebookClaim("the gradient is lambda X^T Z / N", () -> NotebookClaims.logitL2WeightGradient(f.gradient(x, w, 0.3), x,
                Numeric.times(x, w), 0.3));
        g.claim("it equals central differences of the library's logit L2 of X W, entry by entry", () -> {
            double[][] got = f.gradient(x, w, 0.3);
            double worst = got.length == w.length ? 0 : Double.POSITIVE_INFINITY;
            for (int a = 0; a < w.length && worst < Double.POSITIVE_INFINITY; a++) {
                int row = a;
                double[] fd = centralDifference(vv -> {
                    double[][] w2 = w.clone();
                    w2[row] = vv;
                    return Numeric.logitL2(Numeric.times(x, w2), 0.3);
                }, w[a]);
                worst = Math.max(worst, maxAbsDiff(got[a], fd));
            }
            return Verdict.of(worst < 1e-7, "max |difference| %.3g", worst);
        });
        g.claim("for whitened inputs (X^T X / N = I) it is weight decay's lambda W", () -> {
            double[][] w2 = randomMatrix(r, 2, 3);
            double[][] got = f.gradient(WHITE, w2, 0.3);
            double[][] decay = Arrays.stream(w2).map(row -> Arrays.stream(row).map(v -> 0.3 * v).toArray()).toArray(double[][]::new);
            return Verdict.of(maxAbsDiff2(got, decay) < 1e-12, "max |difference| %.3g", maxAbsDiff2(got, decay));
        });
        g.claim("a feature that is always 0 gets zero gradient (weight decay would shrink its weights)", () -> {
            double[][] x0 = Arrays.stream(x).map(row -> new double[] {row[0], 0, row[2]}).toArray(double[][]::new);
            double[] row1 = f.gradient(x0, w, 0.3)[1];
            return Verdict.of(maxAbsDiff(row1, new double[4]) == 0, "gradient of the dead feature's weights %s", show(row1));
        });
    }

    /** logit-l2: the second-moment matrix that turns logit L2 into a data-dependent weight decay. */
    static void secondMoment(Tasks.SecondMoment f, Grading g) {
        g.notebook().equation("M = \\frac{1}{N} X^\\top X, \\qquad \\nabla_W \\text{logit L2} = \\lambda M W");
        SplittableRandom r = new SplittableRandom(71);
        double[][] x = randomMatrix(r, 6, 3);
        double[][] w = randomMatrix(r, 3, 4);
        g.notebookClaim("lambda M W is logit L2's weight gradient lambda X^T Z / N", () -> {
            double[][] mw = Numeric.times(f.moment(x), w);
            double[][] grad = Arrays.stream(mw).map(row -> Arrays.stream(row).map(v -> 0.3 * v).toArray()).toArray(double[][]::new);
            return NotebookClaims.logitL2WeightGradient(grad, x, Numeric.times(x, w), 0.3);
        });
        g.claim("M is symmetric and positive semi-definite (200 random v)", () -> {
            double[][] m = f.moment(x);
            double asym = maxAbsDiff2(m, transpose(m));
            double least = Double.POSITIVE_INFINITY;
            for (int t = 0; t < 200; t++) {
                double[] v = r.doubles(3, -1, 1).toArray();
                double q = 0;
                for (int a = 0; a < 3; a++) {
                    for (int b = 0; b < 3; b++) {
                        q += v[a] * m[a][b] * v[b];
                    }
                }
                least = Math.min(least, q);
            }
            return Verdict.of(asym < 1e-15 && least >= -1e-15, "asymmetry %.3g, least v^T M v %.3g", asym, least);
        });
        g.claim("whitened inputs give M = I: logit L2 is then exactly weight decay", () -> {
            double[][] m = f.moment(WHITE);
            return Verdict.of(maxAbsDiff2(m, new double[][] {{1, 0}, {0, 1}}) < 1e-15, "M = [%s, %s]", show(m.length > 0 ? m[0] : null),
                    show(m.length > 1 ? m[1] : null));
        });
        g.claim("a feature that is always 0 has a zero row and column in M: no decay along it", () -> {
            double[][] x0 = Arrays.stream(x).map(row -> new double[] {row[0], 0, row[2]}).toArray(double[][]::new);
            double[][] m = f.moment(x0);
            boolean zero = m.length == 3 && Arrays.stream(m[1]).allMatch(v -> v == 0) && m[0][1] == 0 && m[2][1] == 0;
            return Verdict.of(zero, "row 1 of M %s", show(m.length > 1 ? m[1] : null));
        });
    }
}
