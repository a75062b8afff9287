package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Margin and loss (softmax.md, "The Cross-Entropy Loss"): with the true logit at 0 and every other
 * at -m, the cross-entropy is ln(1 + (K - 1) e^-m). It decays like (K - 1) e^-m for large margins
 * and grows like ln(K - 1) - m for negative ones: the loss only cares about margins, and more
 * classes cost ln(K - 1) more. For any logits it equals -z_c + LSE(z) >= 0, and the fused kernel
 * computes it that way, where log(softmax(z)) overflows to infinity.
 */
public final class MarginExample implements Example {

    /** The loss of K classes at margin m, as the notebook computes it (tests substitute wrong ones). */
    interface MarginLoss {
        double at(int k, double m);
    }

    /** The loss of one row of logits z with true class c, in a given precision. */
    interface RowLoss {
        double of(double[] z, int c, DataType type);
    }

    @Override
    public String name() {
        return "margin";
    }

    @Override
    public String summary() {
        return "cross-entropy against ln(1 + (K - 1) e^-m) for several K; its two asymptotes; -z_c + LSE(z) >= 0";
    }

    static double fused(double[] z, int c, DataType type) {
        return Losses.crossEntropy(Tensor.fromRows(new double[][] {z}, type), new int[] {c}).item();
    }

    /** -log(softmax(z)_c) in two steps: what the fused loss is designed to avoid. */
    static double logOfSoftmax(double[] z, int c, DataType type) {
        return -Losses.softmax(Tensor.fromRows(new double[][] {z}, type), 1.0).log().value().getDouble(0, c);
    }

    static double loss(int k, double m) {
        double[] z = new double[k];
        for (int j = 1; j < k; j++) {
            z[j] = -m;
        }
        return fused(z, 0, DataType.DOUBLE);
    }

    static Notebook.Claim formulaClaim(MarginLoss loss, int[] ks, double[] ms) {
        double worst = 0;
        for (int k : ks) {
            for (double m : ms) {
                double formula = Math.log1p((k - 1) * Math.exp(-m));
                worst = Math.max(worst, Math.abs(loss.at(k, m) - formula) / formula);
            }
        }
        return new Notebook.Claim("softgrad's loss equals ln(1 + (K - 1) e^-m)", worst < 1e-12, "max relative difference "
                + Notebook.num(worst) + " over K in " + java.util.Arrays.toString(ks) + ", m in [" + ms[0] + ", " + ms[ms.length - 1] + "]");
    }

    static Notebook.Claim lseClaim(RowLoss loss, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double worst = 0;
        double smallest = Double.POSITIVE_INFINITY;
        for (int t = 0; t < 200; t++) {
            int k = 2 + rnd.nextInt(20);
            double[] z = new double[k];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                z[j] = rnd.nextGaussian() * (1 + t % 10) * 3;
                max = Math.max(max, z[j]);
            }
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            int c = rnd.nextInt(k);
            double l = loss.of(z, c, DataType.DOUBLE);
            worst = Math.max(worst, Math.abs(l - (-z[c] + max + Math.log(sum))) / Math.max(1, l));
            smallest = Math.min(smallest, l);
        }
        return new Notebook.Claim("cross-entropy equals -z_c + LSE(z) and is never negative", worst < 1e-12 && smallest >= 0,
                "200 random rows, K 2..21: max relative difference " + Notebook.num(worst) + ", smallest loss " + Notebook.num(smallest));
    }

    static Notebook.Claim fusedClaim(RowLoss loss) {
        double[] z = {0, -200, -200, -200};
        double l = loss.of(z, 1, DataType.FLOAT);
        double exact = 200 + Math.log1p(3 * Math.exp(-200));
        return new Notebook.Claim("in float32, with the true logit 200 below the others, the fused loss is finite and right (200)",
                Double.isFinite(l) && Math.abs(l - exact) < 1e-4 * exact, "loss " + l + ", exact " + Notebook.num(exact)
                + "; log(softmax(z)) gives " + logOfSoftmax(z, 1, DataType.FLOAT));
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Margin and loss: ln(1 + (K - 1) e^-m)", s);
        nb.equation("-\\ln p_c = \\ln \\left( 1 + \\sum_{j \\ne c} e^{-m_j} \\right), \\quad m_j = z_c - z_j",
                "cross-entropy through the margins; with equal margins $m$ it is $\\ln(1 + (K - 1) e^{-m})$");
        int[] ks = {2, 10, 100};
        Color[] colours = {new Color(120, 170, 230), new Color(240, 130, 130), new Color(130, 210, 130)};
        int points = s.quick() ? 61 : 301;
        double[] ms = new double[points];
        for (int i = 0; i < points; i++) {
            ms[i] = -5 + 20.0 * i / (points - 1);
        }
        XYChart chart = Plots.chart("Cross-entropy against the margin m", "margin m (nats)", "loss (nats, log scale)", false,
                true);
        double[] sparse = new double[21]; // the overlays are sampled every nat, so that their dashes show
        for (int i = 0; i < sparse.length; i++) {
            sparse[i] = -5 + i;
        }
        List<List<String>> rows = new ArrayList<>();
        for (int c = 0; c < ks.length; c++) {
            int k = ks[c];
            double[] measured = new double[points];
            for (int i = 0; i < points; i++) {
                measured[i] = loss(k, ms[i]);
            }
            double[] formula = new double[sparse.length];
            double[] left = new double[sparse.length];
            double[] right = new double[sparse.length];
            for (int i = 0; i < sparse.length; i++) {
                double m = sparse[i];
                formula[i] = Math.log1p((k - 1) * Math.exp(-m));
                left[i] = m <= Math.log(k - 1) - 1 || (k == 2 && m < 0) ? Math.log(k - 1) - m : Double.NaN; // where positive
                right[i] = m >= 0 ? (k - 1) * Math.exp(-m) : Double.NaN;
            }
            XYSeries solid = Plots.line(chart, "K = " + k + ": softgrad (solid)", ms, measured);
            solid.setLineColor(colours[c]);
            solid.setLineWidth(5);
            Plots.dashed(chart, "K = " + k + ": ln(1 + (K-1) e^-m) (dashed)", sparse, formula).setLineColor(Color.BLACK);
            for (XYSeries a : List.of(Plots.line(chart, "K = " + k + ": ln(K-1) - m, m -> -inf", sparse, left),
                    Plots.line(chart, "K = " + k + ": (K-1) e^-m, m -> +inf", sparse, right))) {
                a.setLineColor(colours[c].darker());
                a.setLineStyle(SeriesLines.DOT_DOT);
            }
            rows.add(List.of(String.valueOf(k), Notebook.num(loss(k, -5)), Notebook.num(loss(k, 0)),
                    Notebook.num(loss(k, 5)), Notebook.num(loss(k, 15))));
        }
        nb.table(List.of("K", "m = -5", "m = 0", "m = 5", "m = 15"), rows);
        nb.figure("loss-vs-margin.png", chart);

        nb.section("Claims");
        nb.claim(formulaClaim(MarginExample::loss, ks, ms));
        double m = 15;
        double tail = loss(10, m) / (9 * Math.exp(-m));
        nb.claim("for large margins the loss decays like (K - 1) e^-m", Math.abs(tail - 1) < 1e-5,
                "loss / (9 e^-15) = " + Notebook.num(tail) + " at K = 10");
        double head = loss(10, -30) - (30 + Math.log(9));
        nb.claim("for very negative margins the loss grows like ln(K - 1) - m", Math.abs(head) < 1e-12,
                "loss(-30) - (30 + ln 9) = " + Notebook.num(head));
        nb.claim("at m = 0 the loss is ln K: all classes equally likely", Math.abs(loss(100, 0) - Math.log(100)) < 1e-14,
                "loss = " + Notebook.num(loss(100, 0)) + ", ln 100 = " + Notebook.num(Math.log(100)));

        nb.section("Any logits: L = -z_c + LSE(z) >= 0, and why the loss is computed that way");
        nb.text("For a one-hot target L = -ln p_c = -z_c + ln sum_j exp(z_j): non-negative since p_c <= 1. The fused"
                + " kernel computes exactly this (max-shifted). Taking log(softmax(z)) in two steps instead fails when the"
                + " true class is far behind: its probability underflows to 0 in float32 and the loss becomes infinite.");
        nb.claim(lseClaim(MarginExample::fused, s.seed()));
        nb.claim(fusedClaim(MarginExample::fused));
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new MarginExample(), args);
    }
}
