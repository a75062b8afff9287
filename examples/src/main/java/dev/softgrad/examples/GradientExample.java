package dev.softgrad.examples;

import dev.softgrad.core.GradCheck;
import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import java.util.SplittableRandom;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient of softmax cross-entropy with respect to the logits is p - y (softmax.md, "The
 * Gradient of the Cross-Entropy Loss"), checked against central differences of the loss. Its norm is squeezed
 * between (1 - p_y) and sqrt(2) (1 - p_y), so it vanishes exactly as the true class becomes certain,
 * and one step of gradient descent raises the true logit by lr (1 - p_y) and lowers every other
 * logit j by lr p_j.
 */
public final class GradientExample implements Example {

    @Override
    public String name() {
        return "gradient";
    }

    @Override
    public String summary() {
        return "d CE / d z = p - y: autograd against the closed form; its size against p_y; one SGD step";
    }

    /** A gradient (summed over rows) against central differences of softgrad's loss, row by row. */
    static Notebook.Claim differencesClaim(double[][] gradient, double[][] z, int[] y) {
        double worst = Lessons.worstCentralDifference(gradient, z, z.length, (i, row) -> rowLoss(row, y[i]));
        return new Notebook.Claim("p - y equals the central differences of the loss (h = 1e-6, float64)", worst < 1e-8,
                "max |p - y - numeric| = " + Notebook.num(worst) + " over " + z.length + " rows");
    }

    static double rowLoss(double[] z, int y) {
        return Losses.crossEntropy(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE), new int[] {y}).item();
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "The gradient is p - y", s);
        nb.equation("\\frac{\\partial}{\\partial z_k} \\left( -\\ln p_c \\right) = p_k - y_k",
                "the gradient of cross-entropy in the logits (theory: The Gradient of the Cross-Entropy Loss)");
        int n = s.quick() ? 200 : 2000;
        int k = 5;
        SplittableRandom rnd = new SplittableRandom(s.seed());
        double[][] z = new double[n][k];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double spread = rnd.nextDouble(0.1, 8); // from unsure to very confident rows
            for (int j = 0; j < k; j++) {
                z[i][j] = rnd.nextGaussian() * spread;
            }
            y[i] = rnd.nextInt(k);
        }
        Tensor logits = Tensor.parameter(Tensor.fromRows(z, DataType.DOUBLE).value());
        Losses.crossEntropy(logits, y, dev.softgrad.core.SoftmaxCrossEntropy.Options.DEFAULT
                .withReduction(dev.softgrad.core.SoftmaxCrossEntropy.Reduction.SUM)).backward();
        INDArray grad = logits.grad();
        INDArray p = Losses.softmax(Tensor.constant(logits.value()), 1.0).value();

        nb.section("Autograd against p - y");
        double worst = 0;
        double[] py = new double[n];
        double[] norm = new double[n];
        boolean squeezed = true;
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int j = 0; j < k; j++) {
                double closed = p.getDouble(i, j) - (j == y[i] ? 1 : 0);
                worst = Math.max(worst, Math.abs(closed - grad.getDouble(i, j)));
                sq += grad.getDouble(i, j) * grad.getDouble(i, j);
            }
            py[i] = p.getDouble(i, y[i]);
            norm[i] = Math.sqrt(sq);
            double gap = 1 - py[i];
            squeezed &= norm[i] >= gap - 1e-12 && norm[i] <= Math.sqrt(2) * gap + 1e-12;
        }
        nb.text("%d rows, K = %d, logits drawn with spreads from 0.1 to 8.", n, k);
        nb.claim("autograd's gradient equals p - y", worst < 1e-15, "max difference " + Notebook.num(worst));
        double[][] g = grad.toDoubleMatrix();
        nb.claim(differencesClaim(g, z, y));
        int[] firstRows = java.util.Arrays.copyOf(y, 20);
        GradCheck.Report check = GradCheck.check(in -> Losses.crossEntropy(in[0], firstRows),
                Tensor.fromRows(java.util.Arrays.copyOf(z, 20), DataType.DOUBLE).value());
        nb.claim("GradCheck: the fused node's backward matches float64 central differences", check.passed(),
                check.checked() + " entries, max relative error " + Notebook.num(check.maxRelError()));
        boolean signs = true;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                signs &= j == y[i] ? g[i][j] < 0 : g[i][j] > 0;
            }
        }
        nb.claim("the true class's component p_c - 1 is negative, every other p_j positive (descent raises z_c,"
                + " lowers the rest)", signs, "all " + n * k + " components");
        double[] behind = {0, 0, 0, 0, -30};
        Tensor zb = Tensor.parameter(Tensor.fromRows(new double[][] {behind}, DataType.DOUBLE).value());
        Losses.crossEntropy(zb, new int[] {4}).backward();
        double limit = zb.grad().getDouble(0, 4);
        nb.claim("as p_c -> 0 the true class's component tends to -1 (the largest corrective signal)",
                Math.abs(limit + 1) < 1e-12, "true logit 30 below the rest: dL/dz_c = " + limit);
        nb.claim("(1 - p_y) <= ||p - y|| <= sqrt(2) (1 - p_y): the gradient vanishes as p_y -> 1", squeezed,
                "checked on all " + n + " rows");

        nb.section("One gradient step on the logits");
        double lr = 0.5;
        double[] row = z[0];
        double[] p0 = Losses.softmax(Tensor.fromRows(new double[][] {row}, DataType.DOUBLE), 1.0).value().toDoubleVector();
        double[] after = new double[k];
        boolean rule = true;
        for (int j = 0; j < k; j++) {
            after[j] = row[j] - lr * grad.getDouble(0, j);
            double expected = j == y[0] ? lr * (1 - p0[j]) : -lr * p0[j];
            rule &= Math.abs((after[j] - row[j]) - expected) < 1e-15;
        }
        nb.text("row 0, label %d: p = %s", y[0], java.util.Arrays.toString(java.util.Arrays.stream(p0)
                .mapToObj(Notebook::num).toArray()));
        nb.claim("a step raises the true logit by lr (1 - p_y) and lowers each other logit by lr p_j", rule,
                "lr = " + lr + ", row 0");
        double before = Losses.crossEntropy(Tensor.fromRows(new double[][] {row}, DataType.DOUBLE), new int[] {y[0]}).item();
        double afterLoss = Losses.crossEntropy(Tensor.fromRows(new double[][] {after}, DataType.DOUBLE), new int[] {y[0]}).item();
        nb.claim("the step lowers that row's loss", afterLoss < before,
                Notebook.num(before) + " -> " + Notebook.num(afterLoss));

        XYChart c = Plots.chart("Gradient norm against the true-class probability", "p_y", "||p - y||", false, false);
        Plots.points(c, "rows", py, norm);
        double[] xs = new double[101];
        double[] lo = new double[101];
        double[] hi = new double[101];
        for (int i = 0; i <= 100; i++) {
            xs[i] = i / 100.0;
            lo[i] = 1 - xs[i];
            hi[i] = Math.sqrt(2) * (1 - xs[i]);
        }
        Plots.line(c, "1 - p_y", xs, lo);
        Plots.line(c, "sqrt(2) (1 - p_y)", xs, hi);
        nb.figure("gradient-norm.png", c);
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new GradientExample(), args);
    }
}
