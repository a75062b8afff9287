package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.GradCheck;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Attention (softmax.md, Introduction: softmax inside Transformers): scaled dot-product attention softmax(Q K^T / sqrt(d)) V with a causal mask through
 * {@link Losses#maskedSoftmax}. Masked weights are exactly 0, every row sums to 1, a fully masked
 * row gives zeros rather than NaN, and autograd through it matches central differences. Then why
 * the scores are divided by sqrt(d): for unit-variance q and k, q.k has variance d, so without the
 * scale the attention weights collapse to one-hot as d grows (entropy to 0), while with it their
 * entropy stays put. Dividing by sqrt(d) is softmax at temperature sqrt(d).
 */
public final class AttentionExample implements Example {

    @Override
    public String name() {
        return "attention";
    }

    @Override
    public String summary() {
        return "scaled dot-product attention: causal masks, fully masked rows, and why scores are divided by sqrt(d)";
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Attention: masked softmax and the 1/sqrt(d) scale", s);
        nb.equation("\\operatorname{Attention}(Q, K, V) = \\operatorname{softmax} \\left( \\frac{Q K^\\top}{\\sqrt{d}} + M"
                + " \\right) V, \\quad M_{ij} = -\\infty \\text{ for } j > i",
                "scaled dot-product attention with a causal mask");
        Random rnd = new Random(s.seed());
        int t = 6;
        int d = 8;
        double[][] q = Lessons.gaussian(rnd, t, d);
        double[][] k = Lessons.gaussian(rnd, t, d);
        double[][] v = Lessons.gaussian(rnd, t, 4);
        double[][] r = Lessons.gaussian(rnd, t, 4);
        boolean[][] causal = new boolean[t][t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j <= i; j++) {
                causal[i][j] = true;
            }
        }

        nb.section("Scaled dot-product attention with a causal mask");
        nb.text("T = %d tokens, d = %d; weights = softmax(Q K^T / sqrt(d)) with keep[i][j] = (j <= i): a token sees "
                + "itself and the past. Output = weights V.", t, d);
        Tensor qt = Tensor.parameter(Nd4j.createFromArray(q));
        Tensor kt = Tensor.parameter(Nd4j.createFromArray(k));
        Tensor vt = Tensor.parameter(Nd4j.createFromArray(v));
        Tensor scores = qt.matmul(kt.transpose()).div(Math.sqrt(d)).retainGrad();
        Tensor weights = Losses.maskedSoftmax(scores, causal, 1.0);
        Tensor out = weights.matmul(vt);
        out.mul(Tensor.constant(Nd4j.createFromArray(r))).sum().backward();
        double[][] w = weights.value().toDoubleMatrix();
        double[][] sg = scores.grad().toDoubleMatrix();
        List<List<String>> rows = new ArrayList<>();
        int nonZeroMaskedGrad = 0;
        double worstSum = 0;
        for (int i = 0; i < t; i++) {
            List<String> row = new ArrayList<>();
            row.add("q" + i);
            double sum = 0;
            for (int j = 0; j < t; j++) {
                row.add(Notebook.num(w[i][j]));
                sum += w[i][j];
                nonZeroMaskedGrad += !causal[i][j] && sg[i][j] != 0.0 ? 1 : 0;
            }
            worstSum = Math.max(worstSum, Math.abs(sum - 1));
            rows.add(row);
        }
        nb.table(List.of("query", "k0", "k1", "k2", "k3", "k4", "k5"), rows);
        int masked = t * (t - 1) / 2;
        nb.claim(maskClaim(w, causal));
        nb.figure("causal-weights.png", heatMap(w, causal));
        nb.claim("masked scores get exactly zero gradient", nonZeroMaskedGrad == 0, nonZeroMaskedGrad + " of " + masked
                + " masked score gradients differ from 0.0");
        nb.claim("every row of attention weights sums to 1", worstSum < 1e-12, "max |row sum - 1| = " + Notebook.num(worstSum));
        double firstRow = Lessons.maxAbsDiff(new double[][] {out.value().toDoubleMatrix()[0]},
                new double[][] {v[0]});
        nb.claim("the first token can only attend to itself: its output is v0", firstRow < 1e-12,
                "max |out0 - v0| = " + Notebook.num(firstRow));
        GradCheck.Report check = GradCheck.check(in -> Losses.maskedSoftmax(in[0].matmul(in[1].transpose())
                .div(Math.sqrt(d)), causal, 1.0).matmul(in[2]).mul(Tensor.constant(Nd4j.createFromArray(r))).sum(),
                Nd4j.createFromArray(q), Nd4j.createFromArray(k), Nd4j.createFromArray(v));
        nb.claim("autograd through masked attention matches float64 central differences", check.passed(),
                check.checked() + " entries, max relative error " + Notebook.num(check.maxRelError()));

        nb.section("A fully masked row gives zeros, not NaN");
        boolean[][] padded = new boolean[t][];
        for (int i = 0; i < t; i++) {
            padded[i] = i == t - 1 ? new boolean[t] : causal[i];
        }
        Tensor sp = Tensor.parameter(scores.value().dup());
        Tensor wp = Losses.maskedSoftmax(sp, padded, 1.0);
        wp.matmul(Tensor.constant(Nd4j.createFromArray(v))).sum().backward();
        double[] last = wp.value().toDoubleMatrix()[t - 1];
        double[] lastGrad = sp.grad().toDoubleMatrix()[t - 1];
        boolean zeros = Arrays.stream(last).allMatch(x -> x == 0.0) && Arrays.stream(lastGrad).allMatch(x -> x == 0.0);
        boolean finite = Arrays.stream(sp.grad().data().asDouble()).allMatch(Double::isFinite)
                && Arrays.stream(wp.value().data().asDouble()).allMatch(Double::isFinite);
        nb.text("Query %d is padding: every key is masked. (PyTorch's softmax of an all -inf row is NaN.)", t - 1);
        nb.claim("a fully masked row has weights and gradient exactly 0, and nothing is NaN", zeros && finite,
                "row " + Arrays.toString(last) + ", all finite: " + finite);

        nb.section("Why divide by sqrt(d)");
        int keys = 32;
        int trials = s.quick() ? 100 : 1000;
        int pairs = s.quick() ? 5000 : 20000;
        int[] dims = {2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
        double[] dAxis = new double[dims.length];
        double[] hRaw = new double[dims.length];
        double[] hScaled = new double[dims.length];
        double[] maxRaw = new double[dims.length];
        double worstVar = 0;
        for (int m = 0; m < dims.length; m++) {
            int dm = dims[m];
            double[][] sc = new double[trials][keys];
            double sumSq = 0;
            for (int a = 0; a < pairs; a++) {
                double dot = 0;
                for (int j = 0; j < dm; j++) {
                    dot += rnd.nextGaussian() * rnd.nextGaussian();
                }
                sumSq += dot * dot;
            }
            worstVar = Math.max(worstVar, Math.abs(sumSq / pairs / dm - 1));
            for (int a = 0; a < trials; a++) {
                double[] qa = Lessons.gaussian(rnd, 1, dm)[0];
                for (int b = 0; b < keys; b++) {
                    double dot = 0;
                    for (double qx : qa) {
                        dot += qx * rnd.nextGaussian();
                    }
                    sc[a][b] = dot;
                }
            }
            Tensor st = Tensor.fromRows(sc, DataType.DOUBLE);
            double[][] pRaw = Losses.softmax(st, 1.0).value().toDoubleMatrix();
            double[][] pScaled = Losses.softmax(st, Math.sqrt(dm)).value().toDoubleMatrix();
            dAxis[m] = dm;
            for (int a = 0; a < trials; a++) {
                hRaw[m] += Lessons.entropy(pRaw[a]) / trials;
                hScaled[m] += Lessons.entropy(pScaled[a]) / trials;
                maxRaw[m] += Arrays.stream(pRaw[a]).max().orElseThrow() / trials;
            }
        }
        List<List<String>> table = new ArrayList<>();
        for (int m = 0; m < dims.length; m++) {
            table.add(List.of(String.valueOf(dims[m]), Notebook.num(hRaw[m]), Notebook.num(hScaled[m]), Notebook.num(maxRaw[m])));
        }
        nb.text("%d keys, %d random queries per d, entries N(0, 1). Entropy in nats (ln %d = %s).", keys, trials, keys,
                Notebook.num(Math.log(keys)));
        nb.table(List.of("d", "H unscaled", "H scaled by 1/sqrt(d)", "mean max weight, unscaled"), table);
        int last2 = dims.length - 1;
        nb.claim("q.k has variance d (mean (q.k)^2 / d over independent pairs within 15 % of 1 for every d)", worstVar < 0.15,
                "max |var/d - 1| = " + Notebook.num(worstVar));
        nb.claim("without scaling the entropy collapses: below 10 % of its d = 2 value at d = 1024",
                hRaw[last2] < 0.1 * hRaw[0], "H(2) = " + Notebook.num(hRaw[0]) + ", H(1024) = " + Notebook.num(hRaw[last2]));
        nb.claim("without scaling the weights become nearly one-hot (mean max weight above 0.9 at d = 1024)",
                maxRaw[last2] > 0.9, "mean max weight " + Notebook.num(maxRaw[last2]));
        double lo = Arrays.stream(hScaled).min().orElseThrow();
        double hi = Arrays.stream(hScaled).max().orElseThrow();
        nb.claim("with the 1/sqrt(d) scale the entropy stays within 10 % across d", (hi - lo) / hi < 0.1,
                "entropy between " + Notebook.num(lo) + " and " + Notebook.num(hi));

        XYChart hc = Plots.chart("Entropy of attention weights (" + keys + " keys)", "key dimension d (log scale)", "entropy (nats)", true, false);
        Plots.line(hc, "softmax(q.k)", dAxis, hRaw);
        Plots.line(hc, "softmax(q.k / sqrt(d))", dAxis, hScaled);
        double[] lnN = Lessons.fill(dims.length, Math.log(keys));
        Plots.line(hc, "ln " + keys + " (uniform)", dAxis, lnN);
        nb.figure("entropy-vs-d.png", hc);
        return nb.finish();
    }

    /** Masked weights exactly 0 and rows summing to 1 (tests pass an additive -30 mask, whose weights are tiny, not 0). */
    static Notebook.Claim maskClaim(double[][] w, boolean[][] keep) {
        int nonZero = 0;
        int masked = 0;
        double largest = 0;
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w[i].length; j++) {
                if (!keep[i][j]) {
                    masked++;
                    nonZero += w[i][j] != 0.0 ? 1 : 0;
                    largest = Math.max(largest, Math.abs(w[i][j]));
                }
            }
        }
        return new Notebook.Claim("masked attention weights are exactly 0", nonZero == 0, nonZero + " of " + masked
                + " masked weights differ from 0.0 (largest " + Notebook.num(largest) + ")");
    }

    /** The weights as a heat map, query rows against key columns, every value printed (0 where masked). */
    static HeatMapChart heatMap(double[][] w, boolean[][] keep) {
        HeatMapChart c = new HeatMapChartBuilder().width(800).height(600)
                .title("Causal attention weights: row i attends to keys j <= i; masked cells are exactly 0")
                .xAxisTitle("key j (token position)").yAxisTitle("query i (token position)").build();
        List<Integer> axis = new ArrayList<>();
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            axis.add(i);
            for (int j = 0; j < w[i].length; j++) {
                cells.add(new Number[] {j, w.length - 1 - i, w[i][j]});
            }
        }
        List<Integer> rows = new ArrayList<>(axis);
        java.util.Collections.reverse(rows);
        c.addSeries("weight (0 to 1)", axis, rows, cells);
        c.getStyler().setShowValue(true).setMin(0).setMax(1)
                .setRangeColors(new Color[] {Color.WHITE, new Color(120, 170, 230), new Color(10, 40, 120)})
                .setHeatMapValueDecimalPattern("0.###");
        c.getStyler().setValueFontColor(Color.BLACK);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        return c;
    }

    /** Runs this example; options as for {@code softgrad run attention}. */
    public static void main(String[] args) {
        Examples.main(new AttentionExample(), args);
    }
}
