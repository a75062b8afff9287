package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Temperature (softmax.md, "Scale Sensitivity and Temperature Scaling"): softmax(z / tau) and its Shannon entropy as tau sweeps from 0.01 to 100. Cold (small
 * tau) the distribution tends to the one-hot of the arg-max, entropy 0; hot (large tau) to the
 * uniform distribution, entropy ln K; in between the entropy rises monotonically.
 */
public final class TemperatureExample implements Example {

    @Override
    public String name() {
        return "temperature";
    }

    @Override
    public String summary() {
        return "softmax(z / tau) from one-hot (tau -> 0) to uniform (tau -> infinity); its entropy, plotted";
    }

    /** The entropy of softmax(z / tau) rises monotonically from ~0 to ln K over tau in [0.01, 100] (tests pass wrong softmaxes). */
    static Notebook.Claim entropyClaim(BiFunction<double[], Double, double[]> softmaxAtTau, double[] z) {
        boolean monotone = true;
        double first = Lessons.entropy(softmaxAtTau.apply(z, 0.01));
        double previous = first;
        for (int i = 1; i <= 40; i++) {
            double h = Lessons.entropy(softmaxAtTau.apply(z, Math.pow(10, -2 + 0.1 * i)));
            monotone &= h >= previous - 1e-12;
            previous = h;
        }
        return new Notebook.Claim("the entropy rises monotonically with tau, from 0 (tau -> 0) to ln K (tau -> infinity)",
                monotone && first < 1e-6 && Math.abs(previous - Math.log(z.length)) < 1e-3, "H(0.01) = " + Notebook.num(first)
                + ", H(100) = " + Notebook.num(previous) + ", ln K = " + Notebook.num(Math.log(z.length)));
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Temperature: from arg-max to uniform", s);
        double[] z = {2.0, 1.0, 0.5, -1.0, 0.0};
        int k = z.length;
        Tensor logits = Tensor.fromRows(new double[][] {z}, DataType.DOUBLE);
        nb.text("Logits z = [2, 1, 0.5, -1, 0] (K = %d classes); p = softmax(z / tau).", k);
        nb.equation("p_k(\\tau) = \\frac{e^{z_k / \\tau}}{\\sum_{j=1}^{K} e^{z_j / \\tau}}, \\qquad "
                + "H(p) = -\\sum_{k=1}^{K} p_k \\ln p_k \\in [0, \\ln K]", "softmax at temperature $\\tau$ and its entropy");

        int points = s.quick() ? 41 : 201;
        double[] taus = new double[points];
        double[] entropies = new double[points];
        double[][] probs = new double[k][points];
        for (int i = 0; i < points; i++) {
            double tau = Math.pow(10, -2 + 4.0 * i / (points - 1));
            INDArray p = Losses.softmax(logits, tau).value();
            double[] row = p.toDoubleVector();
            taus[i] = tau;
            entropies[i] = Lessons.entropy(row);
            for (int j = 0; j < k; j++) {
                probs[j][i] = row[j];
            }
        }
        nb.section("The distribution at a few temperatures");
        List<List<String>> rows = new ArrayList<>();
        for (double tau : new double[] {0.01, 0.1, 1, 10, 100}) {
            double[] p = Losses.softmax(logits, tau).value().toDoubleVector();
            List<String> r = new ArrayList<>();
            r.add(Notebook.num(tau));
            for (double v : p) {
                r.add(Notebook.num(v));
            }
            r.add(Notebook.num(Lessons.entropy(p)));
            rows.add(r);
        }
        nb.table(List.of("tau", "p0", "p1", "p2", "p3", "p4", "entropy"), rows);

        nb.section("Claims");
        nb.claim(entropyClaim((row, tau) -> Losses.softmax(Tensor.fromRows(new double[][] {row}, DataType.DOUBLE), tau)
                .value().toDoubleVector(), z));
        nb.claim("tau -> 0 gives the one-hot of the arg-max", probs[0][0] > 1 - 1e-12 && entropies[0] < 1e-12,
                "p_argmax(0.01) = " + probs[0][0]);
        nb.claim("tau -> infinity gives the uniform distribution, entropy ln K",
                Math.abs(entropies[points - 1] - Math.log(k)) < 1e-3,
                "H(100) = " + Notebook.num(entropies[points - 1]) + ", ln K = " + Notebook.num(Math.log(k)));
        nb.claim("the arg-max keeps the largest probability at every tau", argmaxStays(probs, points), "class 0 at all "
                + points + " temperatures");

        XYChart h = Plots.chart("Entropy of softmax(z / tau)", "temperature tau (log scale)", "entropy (nats)", true, false);
        Plots.line(h, "H(p)", taus, entropies);
        double[] lnK = Lessons.fill(points, Math.log(k));
        Plots.line(h, "ln K", taus, lnK);
        nb.figure("entropy.png", h);
        XYChart pc = Plots.chart("softmax(z / tau) per class", "temperature tau (log scale)", "probability", true, false);
        for (int j = 0; j < k; j++) {
            Plots.line(pc, "p" + j + " (z = " + z[j] + ")", taus, probs[j]);
        }
        nb.figure("probabilities.png", pc);
        return nb.finish();
    }

    static boolean argmaxStays(double[][] probs, int points) {
        for (int i = 0; i < points; i++) {
            for (int j = 1; j < probs.length; j++) {
                if (probs[j][i] > probs[0][i]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Runs this example; options as for {@code softgrad run temperature}. */
    public static void main(String[] args) {
        Examples.main(new TemperatureExample(), args);
    }
}
