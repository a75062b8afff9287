package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Margin and loss: with the true logit at 0 and every other at -m, the cross-entropy is
 * ln(1 + (K - 1) e^-m). It decays like (K - 1) e^-m for large margins and grows like -m + ln(K - 1)
 * for negative ones: the loss only cares about margins, and more classes cost ln(K - 1) more.
 */
public final class MarginExample implements Example {

    @Override
    public String name() {
        return "margin";
    }

    @Override
    public String summary() {
        return "cross-entropy against ln(1 + (K - 1) e^-m) for several K; its two asymptotes";
    }

    static double loss(int k, double m) {
        double[][] r = new double[1][k];
        for (int j = 1; j < k; j++) {
            r[0][j] = -m;
        }
        return Losses.crossEntropy(Tensor.fromRows(r, DataType.DOUBLE), new int[] {0}).item();
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Margin and loss: ln(1 + (K - 1) e^-m)", s);
        int[] ks = {2, 10, 100};
        int points = s.quick() ? 61 : 301;
        double[] ms = new double[points];
        for (int i = 0; i < points; i++) {
            ms[i] = -5 + 20.0 * i / (points - 1);
        }
        XYChart chart = Plots.chart("Cross-entropy at margin m", "margin m", "loss (log scale)", false, true);
        double worst = 0;
        List<List<String>> rows = new ArrayList<>();
        for (int k : ks) {
            double[] measured = new double[points];
            double[] formula = new double[points];
            for (int i = 0; i < points; i++) {
                measured[i] = loss(k, ms[i]);
                formula[i] = Math.log1p((k - 1) * Math.exp(-ms[i]));
                worst = Math.max(worst, Math.abs(measured[i] - formula[i]) / Math.max(1e-300, formula[i]));
            }
            Plots.line(chart, "K = " + k + " (softgrad)", ms, measured);
            Plots.points(chart, "K = " + k + " formula", ms, formula);
            rows.add(List.of(String.valueOf(k), Notebook.num(loss(k, -5)), Notebook.num(loss(k, 0)),
                    Notebook.num(loss(k, 5)), Notebook.num(loss(k, 15))));
        }
        nb.table(List.of("K", "m = -5", "m = 0", "m = 5", "m = 15"), rows);
        nb.figure("loss-vs-margin.png", chart);

        nb.section("Claims");
        nb.claim("softgrad's loss equals ln(1 + (K - 1) e^-m)", worst < 1e-12,
                "max relative difference " + Notebook.num(worst) + " over K in {2, 10, 100}, m in [-5, 15]");
        double m = 15;
        double tail = loss(10, m) / (9 * Math.exp(-m));
        nb.claim("for large margins the loss decays like (K - 1) e^-m", Math.abs(tail - 1) < 1e-5,
                "loss / (9 e^-15) = " + Notebook.num(tail) + " at K = 10");
        double head = loss(10, -30) - (30 + Math.log(9));
        nb.claim("for very negative margins the loss grows like -m + ln(K - 1)", Math.abs(head) < 1e-12,
                "loss(-30) - (30 + ln 9) = " + Notebook.num(head));
        nb.claim("at m = 0 the loss is ln K: all classes equally likely", Math.abs(loss(100, 0) - Math.log(100)) < 1e-14,
                "loss = " + Notebook.num(loss(100, 0)) + ", ln 100 = " + Notebook.num(Math.log(100)));
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new MarginExample(), args);
    }
}
