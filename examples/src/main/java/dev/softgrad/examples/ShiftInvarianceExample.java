package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Shift invariance and the log-sum-exp trick (softmax.md, "Shift Invariance" and "Numerical Stability:
 * The Log-Sum-Exp Trick"): softmax(z + c) = softmax(z) for every c, so K logits carry K - 1 free
 * parameters and the
 * maximum can be subtracted before exponentiating. The naive formula exp(z) / sum exp(z) overflows
 * in float32 once z passes ln(3.4e38), about 88.72, and underflows to 0/0 for very negative rows;
 * the stable one does neither.
 */
public final class ShiftInvarianceExample implements Example {

    @Override
    public String name() {
        return "shift-invariance";
    }

    @Override
    public String summary() {
        return "softmax(z + c) = softmax(z); the naive formula overflows past z = 88.72 in float32, log-sum-exp does not";
    }

    /** exp(z) / sum(exp(z)) with softgrad's plain ops, in float32: the formula as written. */
    static double[] naiveSoftmax(double[] z) {
        Tensor t = Tensor.fromRows(new double[][] {z}, DataType.FLOAT);
        Tensor e = t.exp();
        return e.div(e.sum(1, true)).value().toDoubleVector();
    }

    static double[] stableSoftmax(double[] z) {
        return Losses.softmax(Tensor.fromRows(new double[][] {z}, DataType.FLOAT), 1.0).value().toDoubleVector();
    }

    /** A shaded band from x0 to x1, height y0 to y1: where the naive formula fails. */
    static void band(XYChart c, String name, double x0, double x1, double y0, double y1, Color color) {
        XYSeries s = c.addSeries(name, new double[] {x0, x0, x1, x1}, new double[] {y0, y1, y1, y0});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        s.setMarker(SeriesMarkers.NONE);
        s.setFillColor(color);
        s.setLineColor(color);
    }

    /** softmax(z + c) = softmax(z) for shifts c in [80, 92], for the given softmax (tests pass the naive one). */
    static Notebook.Claim shiftClaim(UnaryOperator<double[]> softmax, double[] base) {
        double[] reference = softmax.apply(base);
        double worst = 0;
        for (int i = 0; i <= 120; i++) {
            double c = 80 + 0.1 * i;
            double[] p = softmax.apply(new double[] {c + base[0], c + base[1], c + base[2]});
            for (int j = 0; j < base.length; j++) {
                double d = Math.abs(p[j] - reference[j]);
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
            }
        }
        return new Notebook.Claim("the stable softmax is the same for every shift (shift invariance)", worst < 1e-6,
                "max |softmax(z + c) - softmax(z)| = " + Notebook.num(worst) + " over c in [80, 92]");
    }

    /** K logits carry K - 1 free parameters: setting the last to 0 (subtracting it) changes nothing. */
    static Notebook.Claim freeParametersClaim(UnaryOperator<double[]> softmax, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double worst = 0;
        for (int t = 0; t < 100; t++) {
            double[] z = new double[2 + rnd.nextInt(8)];
            for (int j = 0; j < z.length; j++) {
                z[j] = rnd.nextGaussian() * 5;
            }
            double last = z[z.length - 1];
            double[] reduced = java.util.Arrays.stream(z).map(v -> v - last).toArray();
            double[] p = softmax.apply(z);
            double[] q = softmax.apply(reduced);
            for (int j = 0; j < z.length; j++) {
                worst = Math.max(worst, Math.abs(p[j] - q[j]));
            }
        }
        return new Notebook.Claim("K logits have K - 1 free parameters: z and z - z_K (last logit pinned to 0) give the same"
                + " probabilities", worst < 1e-6, "max difference " + Notebook.num(worst) + " over 100 random rows (float32)");
    }

    /** After the max shift the denominator sum_j exp(z_j - max z) lies in [1, K]: never 0, never overflowing. */
    static Notebook.Claim denominatorClaim(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double lo = Double.POSITIVE_INFINITY;
        double worstRatio = 0;
        for (int t = 0; t < 100; t++) {
            double[] z = new double[2 + rnd.nextInt(8)];
            for (int j = 0; j < z.length; j++) {
                z[j] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(5));
            }
            double max = java.util.Arrays.stream(z).max().orElseThrow();
            double d = Math.exp(Losses.logSumExp(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE), 1.0).item() - max);
            lo = Math.min(lo, d);
            worstRatio = Math.max(worstRatio, d / z.length);
        }
        return new Notebook.Claim("after the shift the denominator exp(LSE(z) - max z) = sum_j exp(z_j - max z) is between 1 and K",
                lo >= 1 - 1e-15 && worstRatio <= 1 + 1e-15, "smallest " + Notebook.num(lo) + ", largest / K " + Notebook.num(worstRatio)
                + " over 100 rows with logits up to 1e4");
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Shift invariance and the log-sum-exp trick", s);
        nb.equation("\\operatorname{softmax}(z + c \\mathbf{1}) = \\operatorname{softmax}(z), \\qquad \\operatorname{LSE}(z)"
                + " = m + \\ln \\sum_k e^{z_k - m}, \\; m = \\max_k z_k",
                "shift invariance and the log-sum-exp trick (theory: Shift Invariance; Numerical Stability: The Log-Sum-Exp"
                + " Trick)");
        double[] base = {0.0, -1.0, -2.0};
        double threshold = Math.log(Float.MAX_VALUE);
        double sumOverflow = threshold - Math.log(1 + Math.exp(-1) + Math.exp(-2));
        nb.text("Row z = c + [0, -1, -2] in float32. exp overflows float32 past ln(%s) = %.4f.",
                Notebook.num(Float.MAX_VALUE), threshold);

        nb.section("Naive and stable softmax as the shift c grows");
        int points = s.quick() ? 241 : 1201;
        double[] cs = new double[points];
        double[] naiveP0 = new double[points];
        double[] stableP0 = new double[points];
        double firstNaN = Double.NaN;
        double lastCorrect = Double.NaN;
        double[] reference = stableSoftmax(base);
        for (int i = 0; i < points; i++) {
            double c = 80.0 + 12.0 * i / (points - 1);
            double[] z = {c + base[0], c + base[1], c + base[2]};
            double[] naive = naiveSoftmax(z);
            double[] stable = stableSoftmax(z);
            cs[i] = c;
            naiveP0[i] = naive[0];
            stableP0[i] = stable[0];
            if (Lessons.finite(naive) && Math.abs(naive[0] - stable[0]) < 1e-6 && Double.isNaN(firstNaN)) {
                lastCorrect = c;
            }
            if (!Lessons.finite(naive) && Double.isNaN(firstNaN)) {
                firstNaN = c;
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (double c : new double[] {0, 88.0, 88.7, 88.8, 100, 1e4, -200, -1e4}) {
            double[] z = {c + base[0], c + base[1], c + base[2]};
            double[] naive = naiveSoftmax(z);
            double[] stable = stableSoftmax(z);
            rows.add(List.of(Notebook.num(c), Notebook.num(naive[0]), Notebook.num(stable[0]),
                    Notebook.num(stable[1]), Notebook.num(stable[2])));
        }
        nb.table(List.of("c", "naive p0", "stable p0", "stable p1", "stable p2"), rows);

        nb.section("Claims");
        double step = 12.0 / (points - 1);
        nb.claim("the naive formula is wrong once the row sum overflows (c > 88.72 - ln(1 + e^-1 + e^-2) = 88.32)"
                        + " and NaN once exp(c) itself does (c > 88.72)",
                lastCorrect < sumOverflow + 1e-9 && lastCorrect > sumOverflow - step && firstNaN > threshold
                        && firstNaN < threshold + step,
                "last correct at c = " + Notebook.num(lastCorrect) + ", first NaN at c = " + Notebook.num(firstNaN));
        nb.claim(shiftClaim(ShiftInvarianceExample::stableSoftmax, base));
        double[] low = {-1e4, -1e4 - 1, -1e4 - 2};
        nb.claim("for a very negative row the naive formula gives 0/0, the stable one the same answer as at c = 0",
                !Lessons.finite(naiveSoftmax(low)) && Math.abs(stableSoftmax(low)[0] - reference[0]) < 1e-6,
                "naive p0 = " + naiveSoftmax(low)[0] + ", stable p0 = " + Notebook.num(stableSoftmax(low)[0]));
        Tensor big = Tensor.fromRows(new double[][] {{1e30, 1e30 - 1e24, 0}}, DataType.FLOAT);
        double lse = Losses.logSumExp(big, 1.0).item();
        nb.claim("logsumexp(z) = max(z) + log(sum exp(z - max z)) stays finite at 1e30", Double.isFinite(lse)
                && Math.abs(lse - 1e30) / 1e30 < 1e-6, "logsumexp = " + Notebook.num(lse));

        nb.claim(freeParametersClaim(ShiftInvarianceExample::stableSoftmax, s.seed()));
        nb.claim(denominatorClaim(s.seed()));

        nb.section("Strictly inside (0, 1) in exact arithmetic, exactly 0 in float32");
        double[] far = {0, -120};
        double p1 = stableSoftmax(far)[1];
        double exact = Math.exp(-120) / (1 + Math.exp(-120));
        nb.text("Every p_k = exp(z_k) / Z lies strictly inside (0, 1) (softmax.md, the softmax function): exp is never 0."
                + " In floating point it can be: float32's smallest positive number is %s = e^%s.",
                Notebook.num(Float.MIN_VALUE), Notebook.num(Math.log(Float.MIN_VALUE)));
        nb.claim("for z = [0, -120], p_1 = e^-120 / (1 + e^-120) > 0 in float64, and is exactly 0.0 in float32",
                exact > 0 && p1 == 0.0 && Losses.softmax(Tensor.fromRows(new double[][] {far}, DataType.DOUBLE), 1.0)
                        .value().getDouble(0, 1) > 0, "float64 " + Notebook.num(exact) + ", float32 " + p1);

        XYChart chart = Plots.chart("p0 of softmax(c + [0, -1, -2]) in float32", "shift c (logit units)", "p0", false, false);
        band(chart, "naive: row sum overflows, p0 = 0 (wrong)", sumOverflow, threshold, 0, 1, new Color(255, 200, 120));
        band(chart, "naive: exp(c) overflows, p0 = NaN", threshold, cs[points - 1], 0, 1, new Color(255, 150, 150));
        Plots.line(chart, "naive exp(z) / sum exp(z)", cs, naiveP0).setLineWidth(6);
        Plots.dashed(chart, "stable (max subtracted)", cs, stableP0).setLineColor(Color.BLACK);
        Plots.vertical(chart, "c = 88.32: the row sum overflows", sumOverflow, 0, 1).setLineColor(new Color(200, 120, 0));
        Plots.vertical(chart, "c = 88.72 = ln(float32 max)", threshold, 0, 1).setLineColor(Color.RED);
        nb.figure("naive-vs-stable.png", chart);
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new ShiftInvarianceExample(), args);
    }
}
