package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Arena;
import dev.softgrad.core.Autograd;
import dev.softgrad.core.Functional;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.DataCache;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Datasets;
import dev.softgrad.datasets.Split;
import dev.softgrad.datasets.Standardizer;
import dev.softgrad.datasets.Synthetic;
import dev.softgrad.nn.Sgd;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax from first principles (softmax.md, "Derivation from Probabilistic First Principles"): the
 * categorical pmf prod_k phi_k^(y_k), and a linear model's scores z = W^T x + b become probabilities
 * p_k = exp(z_k) / Z through the partition function Z = sum_j exp(z_j). Written as an exponential
 * family, the categorical distribution has natural parameters z and log-partition A(z) = log Z, whose
 * gradient is the mean, softmax(z); multinomial logistic regression is the GLM with this canonical
 * link. Checks that probabilities sum to 1, that grad log Z = softmax, that the loss at zero weights is
 * ln K, that autograd's gradient equals X^T (P - Y) / N, and trains the model on Iris (option
 * {@code data=<folder>}, default {@code ../shared/datasets}; seeded blobs when the file is absent).
 */
public final class SoftmaxRegressionExample implements Example {

    @Override
    public String name() {
        return "softmax-regression";
    }

    @Override
    public String summary() {
        return "softmax from first principles: partition function, the categorical GLM, gradient X^T(P - Y)/N, Iris";
    }

    @Override
    public List<ExampleOption<?>> options() {
        return List.of(Lessons.DATA);
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Softmax regression: the GLM of the categorical distribution", s);
        nb.equation("P(y = k \\mid x) = \\frac{e^{w_k^\\top x + b_k}}{\\sum_{j=1}^{K} e^{w_j^\\top x + b_j}}",
                "softmax regression, the GLM of the categorical distribution (theory: Derivation from Probabilistic First"
                + " Principles)");
        Dataset data = load(nb, Lessons.DATA.get(s), s.seed());
        Split split = Split.stratified(data, 0.3, s.seed());
        Standardizer standardizer = Standardizer.fit(split.train());
        Dataset train = standardizer.transform(split.train());
        Dataset test = standardizer.transform(split.test());
        int n = train.size();
        int d = train.numFeatures();
        int k = train.numClasses();
        double[][] x = train.features().toDoubleMatrix();
        int[] y = train.labels();
        nb.text("%s: %d training and %d test rows, D = %d standardised features, K = %d classes %s.", data.name(), n,
                test.size(), d, k, train.classNames());

        nb.section("Scores to probabilities through the partition function");
        Random rnd = new Random(s.seed());
        double[][] w0 = new double[d][k];
        for (double[] row : w0) {
            for (int j = 0; j < k; j++) {
                row[j] = 0.7 * rnd.nextGaussian();
            }
        }
        Tensor xs = Tensor.constant(train.features());
        Tensor logits = xs.matmul(Tensor.constant(Nd4j.createFromArray(w0)));
        double[][] z = logits.value().toDoubleMatrix();
        double[][] p = Losses.softmax(logits, 1.0).value().toDoubleMatrix();
        double[] logZ = Losses.logSumExp(logits, 1.0).value().toDoubleVector();
        List<List<String>> rows = new ArrayList<>();
        double worstSum = 0;
        double worstLogZ = 0;
        for (int i = 0; i < n; i++) {
            double partition = 0;
            double sum = 0;
            for (int j = 0; j < k; j++) {
                partition += Math.exp(z[i][j]);
                sum += p[i][j];
            }
            worstSum = Math.max(worstSum, Math.abs(sum - 1));
            worstLogZ = Math.max(worstLogZ, Math.abs(logZ[i] - Math.log(partition)));
            if (i < 4) {
                rows.add(List.of(String.valueOf(i), Notebook.num(z[i][0]), Notebook.num(z[i][1]), Notebook.num(z[i][2]),
                        Notebook.num(partition), Notebook.num(p[i][0]), Notebook.num(p[i][1]), Notebook.num(p[i][2])));
            }
        }
        nb.text("With random weights W (b = 0), the first rows: scores z, Z = sum_j exp(z_j), p = exp(z) / Z.");
        nb.table(List.of("row", "z0", "z1", "z2", "Z", "p0", "p1", "p2"), rows);
        nb.claim("every row of softmax probabilities sums to 1", worstSum < 1e-12, "max |sum_k p_k - 1| = "
                + Notebook.num(worstSum) + " over " + n + " rows");
        nb.claim("log-sum-exp equals the log of the partition function summed by hand", worstLogZ < 1e-12,
                "max |logSumExp - log Z| = " + Notebook.num(worstLogZ));

        nb.section("The GLM view: the gradient of the log-partition function is the mean");
        nb.text("p(y | z) = exp(z_y - A(z)) with A(z) = log Z: the categorical as an exponential family with natural "
                + "parameters z. dA/dz = E[one-hot(y)] = softmax(z), so the canonical link of the GLM is the softmax.");
        double[] y0 = new double[k];
        double pmfSum = 0;
        for (int c = 0; c < k; c++) { // p(y) = prod_k phi_k^(y_k) over the K one-hot outcomes
            java.util.Arrays.fill(y0, 0);
            y0[c] = 1;
            double pmf = 1;
            for (int j = 0; j < k; j++) {
                pmf *= Math.pow(p[0][j], y0[j]);
            }
            pmfSum += pmf;
        }
        nb.claim("the categorical pmf prod_k phi_k^(y_k) with phi = softmax(z) picks phi_c and sums to 1 over outcomes",
                Math.abs(pmfSum - 1) < 1e-12, "row 0: sum over the " + k + " one-hot outcomes = " + pmfSum);
        Tensor eta = Tensor.parameter(logits.value().dup());
        Losses.logSumExp(eta, 1.0).sum().backward();
        double gradVsMean = Lessons.maxAbsDiff(eta.grad().toDoubleMatrix(), p);
        nb.claim("autograd's d log Z / dz equals softmax(z)", gradVsMean < 1e-12, "max |diff| = " + Notebook.num(gradVsMean));
        nb.claim(gradLogZClaim(eta.grad().toDoubleMatrix(), z));

        nb.section("At zero weights the loss is ln K");
        double lossAtZero = Losses.crossEntropy(Functional.linear(xs, Tensor.constant(Nd4j.zeros(DataType.DOUBLE, d, k)),
                Tensor.constant(Nd4j.zeros(DataType.DOUBLE, k))), y).item();
        nb.claim("the mean cross-entropy at W = 0, b = 0 is ln K", Math.abs(lossAtZero - Math.log(k)) < 1e-12,
                "loss = " + lossAtZero + ", ln " + k + " = " + Math.log(k));

        nb.section("The gradient is X^T (P - Y) / N");
        Tensor w = Tensor.parameter(Nd4j.createFromArray(w0));
        Tensor b = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, k));
        Losses.crossEntropy(Functional.linear(xs, w, b), y).backward();
        double[][] hand = new double[d][k];
        double[] handB = new double[k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double r = (p[i][j] - (y[i] == j ? 1 : 0)) / n;
                handB[j] += r;
                for (int f = 0; f < d; f++) {
                    hand[f][j] += x[i][f] * r;
                }
            }
        }
        double gw = Lessons.maxAbsDiff(w.grad().toDoubleMatrix(), hand);
        double gb = Lessons.maxAbsDiff(new double[][] {b.grad().toDoubleVector()}, new double[][] {handB});
        nb.claim("autograd's dL/dW equals X^T (P - Y) / N", gw < 1e-12, "max |diff| = " + Notebook.num(gw));
        nb.claim("autograd's dL/db equals the column means of P - Y", gb < 1e-12, "max |diff| = " + Notebook.num(gb));

        nb.section("Training: full-batch gradient descent");
        int steps = s.quick() ? 80 : 400;
        w = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, d, k));
        b = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, k));
        Sgd sgd = new Sgd(List.of(w, b), Sgd.Config.plain(0.5));
        Tensor xt = Tensor.constant(test.features());
        Arena arena = new Arena();
        double[] stepAxis = new double[steps + 1];
        double[] losses = new double[steps + 1];
        double[] trainAcc = new double[steps + 1];
        double[] testAcc = new double[steps + 1];
        double[] gradNorm = new double[steps + 1];
        for (int t = 0; t <= steps; t++) {
            try (Arena.Scope scope = arena.open()) {
                Tensor scores = Functional.linear(xs, w, b);
                Tensor loss = Losses.crossEntropy(scores, y);
                stepAxis[t] = t;
                losses[t] = loss.item();
                trainAcc[t] = Lessons.accuracy(scores.value().toDoubleMatrix(), y);
                try (Autograd.Scope off = Autograd.noGrad()) {
                    testAcc[t] = Lessons.accuracy(Functional.linear(xt, w, b).value().toDoubleMatrix(), test.labels());
                }
                sgd.zeroGrad();
                loss.backward();
                gradNorm[t] = w.grad().norm2Number().doubleValue();
                if (t < steps) {
                    sgd.step();
                }
            }
        }
        nb.text("%d steps at learning rate 0.5: loss %s -> %s, train accuracy %s, test accuracy %s.", steps,
                Notebook.num(losses[0]), Notebook.num(losses[steps]), Notebook.num(trainAcc[steps]),
                Notebook.num(testAcc[steps]));
        boolean falls = true;
        for (int t = 1; t <= steps; t++) {
            falls &= losses[t] <= losses[t - 1] + 1e-12;
        }
        nb.claim("the training loss falls at every step (convex loss, small enough step)", falls,
                "first " + Notebook.num(losses[0]) + ", last " + Notebook.num(losses[steps]));
        nb.claim("the loss ends below a quarter of ln K", losses[steps] < 0.25 * Math.log(k),
                "final " + Notebook.num(losses[steps]) + " vs ln K / 4 = " + Notebook.num(Math.log(k) / 4));
        nb.claim("held-out accuracy is at least 85 %", testAcc[steps] >= 0.85, "test accuracy " + Notebook.num(testAcc[steps]));
        nb.claim("moment matching: X^T P approaches X^T Y, the gradient norm falls 5-fold or more",
                gradNorm[steps] < gradNorm[0] / 5, "||X^T (P - Y)|| / N: " + Notebook.num(gradNorm[0]) + " -> "
                        + Notebook.num(gradNorm[steps]));
        XYChart lc = Plots.chart("Training loss (mean cross-entropy)", "step", "loss (nats)", false, true);
        Plots.line(lc, "loss", stepAxis, losses);
        double[] lnK = Lessons.fill(steps + 1, Math.log(k));
        Plots.line(lc, "ln K (zero weights)", stepAxis, lnK);
        nb.figure("loss.png", lc);
        XYChart ac = Plots.chart("Accuracy", "step", "accuracy", false, false);
        Plots.line(ac, "train", stepAxis, trainAcc);
        Plots.line(ac, "test", stepAxis, testAcc);
        nb.figure("accuracy.png", ac);
        XYChart gc = Plots.chart("Gradient norm ||X^T (P - Y)|| / N", "step", "Frobenius norm of dL/dW (nats per feature unit)", false, true);
        Plots.line(gc, "dL/dW", stepAxis, gradNorm);
        nb.figure("gradient.png", gc);
        return nb.finish();
    }

    /** A gradient of log Z against central differences of softgrad's log-sum-exp, row by row (tests pass wrong ones). */
    static Notebook.Claim gradLogZClaim(double[][] gradient, double[][] z) {
        double worst = Lessons.worstCentralDifference(gradient, z, Math.min(z.length, 20), (i, row) -> logZ(row));
        return new Notebook.Claim("d log Z / dz equals the central differences of log Z (h = 1e-6): the mean is the"
                + " gradient of the log-partition function", worst < 1e-8, "max |gradient - numeric| = " + Notebook.num(worst)
                + " over the first 20 rows");
    }

    static double logZ(double[] z) {
        return Losses.logSumExp(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE), 1.0).item();
    }

    /** Iris from the folder, in float64; seeded blobs with a printed note when the file is not there. */
    static Dataset load(Notebook nb, Path folder, long seed) {
        try {
            return Datasets.iris(DataCache.at(folder).offline().quiet()).asType(DataType.DOUBLE);
        } catch (IOException | IllegalArgumentException e) {
            nb.text("Note: Iris not found in %s (%s); using 150 seeded Gaussian blobs (3 classes, 4 features) instead.",
                    folder.toAbsolutePath().normalize(), e.getClass().getSimpleName());
            return Synthetic.blobs(150, 3, 4, 4.0, seed, DataType.DOUBLE);
        }
    }

    /** Runs this example; options as for {@code softgrad run softmax-regression [-o data=FOLDER]}. */
    public static void main(String[] args) {
        Examples.main(new SoftmaxRegressionExample(), args);
    }
}
