package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Losses;
import dev.softgrad.core.SoftmaxCrossEntropy;
import dev.softgrad.core.Tensor;
import java.util.SplittableRandom;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Soft targets (softmax.md, "Soft Targets and KL Divergence"): the gradient against a soft target q
 * is p - q (checked against central differences), and cross-entropy against q splits into the target's entropy and a KL
 * divergence, CE(q, p) = H(q) + KL(q || p). H(q) does not depend on the model, so minimising the
 * cross-entropy minimises the KL: gradient descent on the logits drives KL to 0 and CE down to H(q),
 * never below.
 */
public final class SoftTargetsExample implements Example {

    @Override
    public String name() {
        return "soft-targets";
    }

    @Override
    public String summary() {
        return "CE(q, p) = H(q) + KL(q || p): minimising cross-entropy minimises the KL divergence";
    }

    /** CE = H(q) + KL(q || p) at every step of a run (tests pass a KL that is off). */
    static Notebook.Claim identityClaim(double[] ce, double h, double[] kl) {
        double worst = 0;
        for (int t = 0; t < ce.length; t++) {
            worst = Math.max(worst, Math.abs(ce[t] - (h + kl[t])));
        }
        return new Notebook.Claim("CE(q, p) = H(q) + KL(q || p) at every step", worst < 1e-12,
                "max |CE - H - KL| = " + Notebook.num(worst) + " over " + ce.length + " steps");
    }

    /** A gradient against central differences of softgrad's soft-target loss, row by row (tests pass wrong ones). */
    static Notebook.Claim softGradientClaim(double[][] gradient, double[][] z, double[][] q) {
        double worst = Lessons.worstCentralDifference(gradient, z, z.length, (i, row) -> rowLoss(row, q[i]));
        return new Notebook.Claim("p - q equals the central differences of the soft-target loss (h = 1e-6, float64)",
                worst < 1e-8, "max |gradient - numeric| = " + Notebook.num(worst));
    }

    static double rowLoss(double[] z, double[] q) {
        return Losses.crossEntropy(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE),
                Tensor.fromRows(new double[][] {q}, DataType.DOUBLE).value(), SoftmaxCrossEntropy.Options.DEFAULT).item();
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Soft targets: cross-entropy = entropy + KL", s);
        nb.equation("H(q, p) = -\\sum_k q_k \\ln p_k = H(q) + \\operatorname{KL}(q \\| p), \\qquad \\frac{\\partial H(q,"
                + " p)}{\\partial z} = p - q",
                "cross-entropy against a soft target (theory: Soft Targets and KL Divergence)");
        int n = 8;
        int k = 6;
        SplittableRandom rnd = new SplittableRandom(s.seed());
        double[][] tq = new double[n][k];
        double[][] z0 = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                tq[i][j] = rnd.nextGaussian() * 1.5;
                z0[i][j] = rnd.nextGaussian() * 2;
            }
        }
        INDArray teacherLogits = Tensor.fromRows(tq, DataType.DOUBLE).value();
        INDArray q = Losses.softmax(Tensor.constant(teacherLogits), 1.0).value();
        double hSum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double v = q.getDouble(i, j);
                hSum -= v * Math.log(v);
            }
        }
        double h = hSum / n;
        nb.text("%d rows of targets q = softmax(t), K = %d; mean target entropy H(q) = %s nats.", n, k, Notebook.num(h));

        nb.section("The gradient against a soft target is p - q");
        Tensor z0t = Tensor.parameter(Tensor.fromRows(z0, DataType.DOUBLE).value());
        Losses.crossEntropy(z0t, q, SoftmaxCrossEntropy.Options.DEFAULT
                .withReduction(SoftmaxCrossEntropy.Reduction.SUM)).backward();
        double[][] p0 = Losses.softmax(Tensor.constant(z0t.value()), 1.0).value().toDoubleMatrix();
        double worstClosed = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                worstClosed = Math.max(worstClosed, Math.abs(z0t.grad().getDouble(i, j) - (p0[i][j] - q.getDouble(i, j))));
            }
        }
        nb.claim("autograd's gradient of CE(q, softmax(z)) equals p - q", worstClosed < 1e-15,
                "max difference " + Notebook.num(worstClosed));
        nb.claim(softGradientClaim(z0t.grad().toDoubleMatrix(), z0, q.toDoubleMatrix()));

        int steps = s.quick() ? 150 : 600;
        double lr = 1.0;
        Tensor z = Tensor.parameter(Tensor.fromRows(z0, DataType.DOUBLE).value());
        double[] xs = new double[steps];
        double[] ce = new double[steps];
        double[] kl = new double[steps];
        for (int t = 0; t < steps; t++) {
            z.zeroGrad();
            Tensor lossCe = Losses.crossEntropy(z, q, SoftmaxCrossEntropy.Options.DEFAULT);
            double klNow = Losses.distill(Tensor.constant(z.value()), teacherLogits, 1.0).item(); // KL(q || p), batch mean
            xs[t] = t;
            ce[t] = lossCe.item();
            kl[t] = klNow;
            lossCe.backward();
            dev.softgrad.core.InPlace.axpy(-lr, z.grad(), z.value());
        }
        nb.section("Claims");
        nb.claim(identityClaim(ce, h, kl));
        boolean falling = true;
        for (int t = 1; t < steps; t++) {
            falling &= kl[t] <= kl[t - 1] + 1e-15;
        }
        nb.claim("descending the cross-entropy lowers the KL at every step", falling,
                "KL " + Notebook.num(kl[0]) + " -> " + Notebook.num(kl[steps - 1]));
        nb.claim("the cross-entropy approaches H(q) and never goes below it", ce[steps - 1] - h < 0.02 * kl[0]
                && java.util.Arrays.stream(ce).allMatch(v -> v >= h - 1e-12),
                "CE = " + Notebook.num(ce[steps - 1]) + ", H(q) = " + Notebook.num(h));

        XYChart c = Plots.chart("Gradient descent on the logits against soft targets", "step", "nats", false, false);
        Plots.line(c, "cross-entropy", xs, ce);
        Plots.line(c, "KL(q || p)", xs, kl);
        double[] hs = Lessons.fill(steps, h);
        Plots.line(c, "H(q)", xs, hs);
        nb.figure("ce-equals-entropy-plus-kl.png", c);
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new SoftTargetsExample(), args);
    }
}
