package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Shift invariance and the log-sum-exp trick: softmax(z + c) = softmax(z) for every c, so the
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

    static boolean finite(double[] p) {
        for (double v : p) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Shift invariance and the log-sum-exp trick", s);
        double[] base = {0.0, -1.0, -2.0};
        double threshold = Math.log(Float.MAX_VALUE);
        nb.text("Row z = c + [0, -1, -2] in float32. exp overflows float32 past ln(%s) = %.4f.",
                Notebook.num(Float.MAX_VALUE), threshold);

        nb.section("Naive and stable softmax as the shift c grows");
        int points = s.quick() ? 241 : 1201;
        double[] cs = new double[points];
        double[] naiveP0 = new double[points];
        double[] stableP0 = new double[points];
        double firstNaN = Double.NaN;
        double lastCorrect = Double.NaN;
        double worstShiftError = 0;
        double[] reference = stableSoftmax(base);
        for (int i = 0; i < points; i++) {
            double c = 80.0 + 12.0 * i / (points - 1);
            double[] z = {c + base[0], c + base[1], c + base[2]};
            double[] naive = naiveSoftmax(z);
            double[] stable = stableSoftmax(z);
            cs[i] = c;
            naiveP0[i] = finite(naive) ? naive[0] : Double.NaN;
            stableP0[i] = stable[0];
            if (finite(naive) && Math.abs(naive[0] - stable[0]) < 1e-6 && Double.isNaN(firstNaN)) {
                lastCorrect = c;
            }
            if (!finite(naive) && Double.isNaN(firstNaN)) {
                firstNaN = c;
            }
            for (int j = 0; j < 3; j++) {
                worstShiftError = Math.max(worstShiftError, Math.abs(stable[j] - reference[j]));
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
        double sumOverflow = threshold - Math.log(1 + Math.exp(-1) + Math.exp(-2));
        nb.claim("the naive formula is wrong once the row sum overflows (c > 88.72 - ln(1 + e^-1 + e^-2) = 88.32)"
                        + " and NaN once exp(c) itself does (c > 88.72)",
                lastCorrect < sumOverflow + 1e-9 && lastCorrect > sumOverflow - step && firstNaN > threshold
                        && firstNaN < threshold + step,
                "last correct at c = " + Notebook.num(lastCorrect) + ", first NaN at c = " + Notebook.num(firstNaN));
        nb.claim("the stable softmax is the same for every shift (shift invariance)", worstShiftError < 1e-6,
                "max |softmax(z + c) - softmax(z)| = " + Notebook.num(worstShiftError) + " over c in [80, 92]");
        double[] low = {-1e4, -1e4 - 1, -1e4 - 2};
        nb.claim("for a very negative row the naive formula gives 0/0, the stable one the same answer as at c = 0",
                !finite(naiveSoftmax(low)) && Math.abs(stableSoftmax(low)[0] - reference[0]) < 1e-6,
                "naive p0 = " + naiveSoftmax(low)[0] + ", stable p0 = " + Notebook.num(stableSoftmax(low)[0]));
        Tensor big = Tensor.fromRows(new double[][] {{1e30, 1e30 - 1e24, 0}}, DataType.FLOAT);
        double lse = Losses.logSumExp(big, 1.0).item();
        nb.claim("logsumexp(z) = max(z) + log(sum exp(z - max z)) stays finite at 1e30", Double.isFinite(lse)
                && Math.abs(lse - 1e30) / 1e30 < 1e-6, "logsumexp = " + Notebook.num(lse));

        XYChart chart = Plots.chart("p0 of softmax(c + [0, -1, -2]) in float32", "shift c", "p0", false, false);
        Plots.line(chart, "stable (max subtracted)", cs, stableP0);
        Plots.points(chart, "naive exp(z)/sum exp(z)", cs, naiveP0);
        nb.figure("naive-vs-stable.png", chart);
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new ShiftInvarianceExample(), args);
    }
}
