package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Arena;
import dev.softgrad.core.Autograd;
import dev.softgrad.core.Losses;
import dev.softgrad.core.SoftmaxCrossEntropy;
import dev.softgrad.core.Tensor;
import dev.softgrad.nn.Sgd;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Contrastive learning (softmax.md, Introduction: softmax in contrastive learning): the InfoNCE loss of N pairs is softmax cross-entropy over the [N, N]
 * similarity matrix divided by a temperature tau, with the diagonal as labels. Checks it against the
 * hand formula -log(exp(s_ii / tau) / sum_j exp(s_ij / tau)) and its gradient against
 * (softmax(S / tau) - I) / (N tau); shows that a small tau puts the gradient on the hardest negatives
 * and a large one spreads it evenly, that tau bounds the loss between log(1 + (N - 1) e^(-2/tau)) and
 * log(1 + (N - 1) e^(2/tau)) for cosine similarities, and learns a linear embedding of seeded paired
 * views with it, positives' similarity rising.
 */
public final class ContrastiveExample implements Example {

    @Override
    public String name() {
        return "contrastive";
    }

    @Override
    public String summary() {
        return "InfoNCE as softmax cross-entropy over similarities; its temperature, hard negatives, a learnt embedding";
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Contrastive learning: InfoNCE and its temperature", s);
        nb.equation("L_i = -\\ln \\frac{e^{s_{ii} / \\tau}}{\\sum_{j=1}^{N} e^{s_{ij} / \\tau}}, \\qquad s_{ij} = u_i^\\top"
                + " v_j",
                "InfoNCE: cross-entropy over the similarities, the positive pair as the label");
        Random rnd = new Random(s.seed());

        nb.section("InfoNCE is softmax cross-entropy over similarities");
        int n = 64;
        INDArray u = unitRows(gaussian(rnd, n, 16));
        INDArray v = unitRows(u.add(gaussian(rnd, n, 16).muli(0.15)));
        double[][] sim = u.mmul(v.transpose()).toDoubleMatrix();
        int[] diagonal = IntStream.range(0, n).toArray();
        double tau = 0.1;
        Tensor st = Tensor.parameter(Nd4j.createFromArray(sim));
        Tensor loss = Losses.crossEntropy(st.div(tau), diagonal);
        double viaOption = Losses.crossEntropy(st, diagonal, SoftmaxCrossEntropy.Options.DEFAULT.withTemperature(tau)).item();
        loss.backward();
        double hand = 0;
        double[][] grad = st.grad().toDoubleMatrix();
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int j = 0; j < n; j++) {
                z += Math.exp(sim[i][j] / tau);
            }
            hand -= Math.log(Math.exp(sim[i][i] / tau) / z) / n;
        }
        nb.text("N = %d unit vectors u_i and noisy partners v_i in 16 dimensions, s_ij = u_i . v_j, tau = %s.", n,
                Notebook.num(tau));
        nb.claim("crossEntropy(S / tau, labels = diagonal) equals -mean_i log(exp(s_ii/tau) / sum_j exp(s_ij/tau))",
                Math.abs(loss.item() - hand) < 1e-12 && Math.abs(viaOption - hand) < 1e-12,
                "softgrad " + loss.item() + ", with the temperature option " + viaOption + ", by hand " + hand);
        nb.claim(gradientClaim(grad, sim, tau));

        nb.section("The temperature decides which negatives the gradient pushes");
        int points = s.quick() ? 13 : 49;
        double[] taus = new double[points];
        double[] share = new double[points];
        double[] losses = new double[points];
        double[] lower = new double[points];
        double[] upper = new double[points];
        boolean inRange = true;
        for (int p = 0; p < points; p++) {
            taus[p] = Math.pow(10, -2 + 4.0 * p / (points - 1));
            Tensor sp = Tensor.parameter(Nd4j.createFromArray(sim));
            Tensor lp = Losses.crossEntropy(sp.div(taus[p]), diagonal);
            lp.backward();
            double[][] g = sp.grad().toDoubleMatrix();
            for (int i = 0; i < n; i++) {
                double top = 0;
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        top = Math.max(top, g[i][j]);
                        sum += g[i][j];
                    }
                }
                share[p] += top / sum / n;
            }
            losses[p] = lp.item();
            lower[p] = Math.log1p((n - 1) * Math.exp(-2 / taus[p]));
            upper[p] = Math.log1p((n - 1) * Math.exp(2 / taus[p]));
            inRange &= losses[p] >= lower[p] && losses[p] <= upper[p];
        }
        boolean falling = true;
        for (int p = 1; p < points; p++) {
            falling &= share[p] < share[p - 1];
        }
        double uniform = 1.0 / (n - 1);
        nb.text("The gradient on a negative s_ij is p_ij / (N tau): the share of a row's negative gradient on its "
                + "hardest negative is %s at tau = 0.01 and %s at tau = 100 (1 / (N - 1) = %s).", Notebook.num(share[0]),
                Notebook.num(share[points - 1]), Notebook.num(uniform));
        nb.claim("the hardest negative's share of the gradient falls as tau rises", falling,
                Notebook.num(share[0]) + " -> " + Notebook.num(share[points - 1]) + " over " + points + " temperatures");
        nb.claim("at tau = 0.01 the hardest negative takes most of the gradient (share above 0.5)", share[0] > 0.5,
                "share " + Notebook.num(share[0]));
        nb.claim("at tau = 100 the gradient is spread evenly over the negatives (share within 5 % of 1 / (N - 1))",
                Math.abs(share[points - 1] / uniform - 1) < 0.05, "share " + Notebook.num(share[points - 1]));
        nb.claim("the loss lies between log(1 + (N-1) e^(-2/tau)) and log(1 + (N-1) e^(2/tau)) at every tau", inRange,
                "checked at " + points + " temperatures");
        nb.claim("as tau grows the loss tends to ln N (within 0.01 at tau = 100)",
                Math.abs(losses[points - 1] - Math.log(n)) < 0.01,
                "loss " + Notebook.num(losses[points - 1]) + ", ln N = " + Notebook.num(Math.log(n)));
        XYChart sc = Plots.chart("Share of the negatives' gradient on the hardest negative", "temperature tau (log scale)",
                "share of the row's negative gradient (log scale)", true, true);
        Plots.line(sc, "hardest negative", taus, share);
        Plots.line(sc, "1 / (N - 1)", taus, Lessons.fill(points, uniform));
        nb.figure("hardest-negative-share.png", sc);
        XYChart rc = Plots.chart("InfoNCE and its range (N = " + n + ")", "temperature tau (log scale)", "loss (nats)", true,
                false);
        Plots.line(rc, "loss", taus, losses);
        Plots.line(rc, "lower bound log(1 + (N-1) e^(-2/tau))", taus, lower);
        Plots.line(rc, "ln N", taus, Lessons.fill(points, Math.log(n)));
        nb.figure("loss-range.png", rc);

        nb.section("Learning an embedding of paired views");
        int train = 256;
        int held = 128;
        INDArray a = gaussian(rnd, 4, 12);
        INDArray b = gaussian(rnd, 4, 10);
        INDArray zTrain = gaussian(rnd, train, 4);
        INDArray zHeld = gaussian(rnd, held, 4);
        Tensor xTrain = Tensor.constant(zTrain.mmul(a).addi(gaussian(rnd, train, 12).muli(0.3)));
        Tensor yTrain = Tensor.constant(zTrain.mmul(b).addi(gaussian(rnd, train, 10).muli(0.3)));
        Tensor xHeld = Tensor.constant(zHeld.mmul(a).addi(gaussian(rnd, held, 12).muli(0.3)));
        Tensor yHeld = Tensor.constant(zHeld.mmul(b).addi(gaussian(rnd, held, 10).muli(0.3)));
        Tensor wx = Tensor.parameter(gaussian(rnd, 12, 8).muli(0.3));
        Tensor wy = Tensor.parameter(gaussian(rnd, 10, 8).muli(0.3));
        int[] labels = IntStream.range(0, train).toArray();
        Sgd sgd = new Sgd(List.of(wx, wy), new Sgd.Config(0.5, 0.9, 0, 0, false));
        Arena arena = new Arena();
        int steps = s.quick() ? 100 : 400;
        double[] stepAxis = new double[steps + 1];
        double[] trainLoss = new double[steps + 1];
        double[] pos = new double[steps + 1];
        double[] neg = new double[steps + 1];
        double[] top1 = new double[steps + 1];
        for (int t = 0; t <= steps; t++) {
            try (Arena.Scope scope = arena.open()) {
                Tensor sTrain = embed(xTrain, wx).matmul(embed(yTrain, wy).transpose());
                Tensor l = Losses.crossEntropy(sTrain.div(tau), labels).add(Losses.crossEntropy(sTrain.transpose().div(tau), labels)).mul(0.5);
                stepAxis[t] = t;
                trainLoss[t] = l.item();
                try (Autograd.Scope off = Autograd.noGrad()) {
                    double[][] sh = embed(xHeld, wx).matmul(embed(yHeld, wy).transpose()).value().toDoubleMatrix();
                    for (int i = 0; i < held; i++) {
                        pos[t] += sh[i][i] / held;
                        neg[t] += (Arrays.stream(sh[i]).sum() - sh[i][i]) / (held * (held - 1.0));
                        top1[t] += Lessons.argmax(sh[i]) == i ? 1.0 / held : 0;
                    }
                }
                if (t < steps) {
                    sgd.zeroGrad();
                    l.backward();
                    sgd.step();
                }
            }
        }
        nb.text("%d training pairs (two noisy linear views of a 4-d latent, 12-d and 10-d), linear maps to 8-d unit "
                + "vectors, symmetric InfoNCE at tau = %s, %d steps of SGD with momentum; measured on %d held-out pairs.",
                train, Notebook.num(tau), steps, held);
        nb.claim("the training loss falls below half its start", trainLoss[steps] < trainLoss[0] / 2,
                Notebook.num(trainLoss[0]) + " -> " + Notebook.num(trainLoss[steps]));
        nb.claim("held-out positives' cosine similarity rises by at least 0.3", pos[steps] > pos[0] + 0.3,
                Notebook.num(pos[0]) + " -> " + Notebook.num(pos[steps]));
        nb.claim("held-out positives end far above negatives (by at least 0.5)", pos[steps] > neg[steps] + 0.5,
                "positives " + Notebook.num(pos[steps]) + ", negatives " + Notebook.num(neg[steps]));
        nb.claim("held-out top-1 retrieval beats chance 10-fold", top1[steps] > 10.0 / held,
                "top-1 " + Notebook.num(top1[steps]) + " (from " + Notebook.num(top1[0]) + "), chance " + Notebook.num(1.0 / held));
        XYChart lc = Plots.chart("Symmetric InfoNCE on the training pairs", "step", "loss (nats)", false, false);
        Plots.line(lc, "training loss", stepAxis, trainLoss);
        Plots.dashed(lc, "ln N (uniform similarities)", stepAxis, Lessons.fill(steps + 1, Math.log(train)));
        nb.figure("embedding-loss.png", lc);
        XYChart hc = Plots.chart("Held-out pairs: cosine similarity and top-1 retrieval", "step",
                "cosine similarity / fraction retrieved (both unitless, in [-1, 1])", false, false);
        Plots.line(hc, "positive pairs' mean cosine", stepAxis, pos);
        Plots.line(hc, "negative pairs' mean cosine", stepAxis, neg);
        Plots.line(hc, "top-1 retrieval (fraction)", stepAxis, top1);
        nb.figure("embedding-held-out.png", hc);
        return nb.finish();
    }

    /** A gradient of InfoNCE with respect to S against (softmax(S / tau) - I) / (N tau) (tests pass wrong ones). */
    static Notebook.Claim gradientClaim(double[][] grad, double[][] sim, double tau) {
        int n = sim.length;
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int j = 0; j < n; j++) {
                z += Math.exp(sim[i][j] / tau);
            }
            for (int j = 0; j < n; j++) {
                double closed = (Math.exp(sim[i][j] / tau) / z - (i == j ? 1 : 0)) / (n * tau);
                worst = Math.max(worst, Math.abs(grad[i][j] - closed));
            }
        }
        return new Notebook.Claim("its gradient with respect to S is (softmax(S / tau) - I) / (N tau)", worst < 1e-12,
                "max |diff| = " + Notebook.num(worst));
    }

    /** Rows of x W scaled to unit length. */
    static Tensor embed(Tensor x, Tensor w) {
        Tensor e = x.matmul(w);
        return e.div(e.mul(e).sum(1, true).add(1e-12).pow(0.5));
    }

    /** A [rows, cols] float64 array of N(0, 1) entries drawn from rnd. */
    static INDArray gaussian(Random rnd, int rows, int cols) {
        return Nd4j.createFromArray(Lessons.gaussian(rnd, rows, cols));
    }

    static INDArray unitRows(INDArray x) {
        return x.divColumnVector(x.norm2(1).reshape(x.rows(), 1));
    }

    /** Runs this example; options as for {@code softgrad run contrastive}. */
    public static void main(String[] args) {
        Examples.main(new ContrastiveExample(), args);
    }
}
