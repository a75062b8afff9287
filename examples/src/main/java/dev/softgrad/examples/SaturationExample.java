package dev.softgrad.examples;

import dev.softgrad.core.InPlace;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import dev.softgrad.nn.plot.Plots;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Synthetic;
import dev.softgrad.nn.GradientDynamics;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.Loss;
import dev.softgrad.nn.SoftmaxClassifier;
import dev.softgrad.nn.Trainer;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saturation and its cure (softmax.md, "Training Dynamics: Saturation and Regularization"), the
 * flagship dynamics figure. On linearly separable data plain
 * cross-entropy can always lower the loss by scaling the logits up: the logit norm grows without
 * bound, every sample saturates (p_y -> 1) and the gradient p - y vanishes. Adding LogitL2
 * (lambda/2 ||z||^2) balances that pull: the logits stay bounded and the data term's gradient
 * settles at a non-zero value, where p - y = -lambda z. softmax.md calls this "l2 regularization (also
 * known as weight decay) to the logits": it is not weight decay, which penalises the weights (see the
 * logit-l2 notebook).
 */
public final class SaturationExample implements Example {

    @Override
    public String name() {
        return "saturation";
    }

    @Override
    public String summary() {
        return "separable data: cross-entropy saturates (logits grow, gradient vanishes); LogitL2 cures it";
    }

    static GradientDynamics train(Dataset data, Loss loss, int epochs, long seed) {
        return train(data, loss, epochs, seed, new SoftmaxClassifier(data.numFeatures(), data.numClasses(), Init.zeros(),
                DataType.DOUBLE));
    }

    static GradientDynamics train(Dataset data, Loss loss, int epochs, long seed, SoftmaxClassifier model) {
        GradientDynamics dyn = new GradientDynamics(1e-3);
        new Trainer(Trainer.Config.of(epochs, data.size(), 1.0, seed).withLoss(loss)).addListener(dyn).fit(model, data, null);
        return dyn;
    }

    static double[] series(List<GradientDynamics.Step> steps, java.util.function.ToDoubleFunction<GradientDynamics.Step> f) {
        return steps.stream().mapToDouble(f).toArray();
    }

    /** At a stationary point of CE + (lambda/2) ||z||^2 in one sample's logits, p - y = -lambda z (tests pass wrong p or z). */
    static Notebook.Claim fixedPointClaim(double[] p, int y, double[] z, double lambda) {
        double worst = 0;
        for (int j = 0; j < z.length; j++) {
            worst = Math.max(worst, Math.abs(p[j] - (j == y ? 1 : 0) + lambda * z[j]));
        }
        return new Notebook.Claim("at the fixed point of CE + LogitL2, p - y = -lambda z (the data term's gradient is"
                + " balanced, not zero)", worst < 1e-9, "max |p - y + lambda z| = " + Notebook.num(worst) + ", p_y = "
                + Notebook.num(p[y]) + ", z = " + java.util.Arrays.toString(java.util.Arrays.stream(z).mapToObj(Notebook::num).toArray()));
    }

    /** A gradient of mean CE + LogitL2 against central differences of softgrad's loss (tests pass wrong ones). */
    static Notebook.Claim regularisedGradientClaim(double[][] gradient, double[][] z, int[] y, double lambda) {
        double h = 1e-6;
        double worst = 0;
        double worstClosed = 0;
        double[][] p = Losses.softmax(Tensor.fromRows(z, DataType.DOUBLE), 1.0).value().toDoubleMatrix();
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z[i].length; j++) {
                double[][] up = java.util.Arrays.stream(z).map(double[]::clone).toArray(double[][]::new);
                double[][] down = java.util.Arrays.stream(z).map(double[]::clone).toArray(double[][]::new);
                up[i][j] += h;
                down[i][j] -= h;
                double numeric = (loss(up, y, lambda) - loss(down, y, lambda)) / (2 * h);
                worst = Math.max(worst, Math.abs(gradient[i][j] - numeric));
                double closed = (p[i][j] - (j == y[i] ? 1 : 0) + lambda * z[i][j]) / z.length;
                worstClosed = Math.max(worstClosed, Math.abs(gradient[i][j] - closed));
            }
        }
        return new Notebook.Claim("the regularised gradient is ((p - y) + lambda z) / N, equal to central differences",
                worst < 1e-8 && worstClosed < 1e-12, "max |gradient - numeric| = " + Notebook.num(worst)
                + ", max |gradient - closed form| = " + Notebook.num(worstClosed));
    }

    static double loss(double[][] z, int[] y, double lambda) {
        Tensor t = Tensor.fromRows(z, DataType.DOUBLE);
        return Losses.crossEntropy(t, y).add(Losses.logitL2(t, lambda)).item();
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Saturation and its cure", s);
        nb.equation("\\frac{\\partial}{\\partial z} \\left( L + \\frac{\\lambda}{2} \\| z \\|^2 \\right) = (p - y) +"
                + " \\lambda z",
                "cross-entropy with logit L2: a stationary point has p - y = -lambda z (theory: Training Dynamics:"
                + " Saturation and Regularization)");
        Dataset data = Synthetic.linearlySeparable(200, 2, 0.5, s.seed()).asType(DataType.DOUBLE);
        int epochs = s.quick() ? 400 : 2000;
        double lambda = 0.05;
        nb.text("Linearly separable data: %d points in 2-D with margin 0.5; full-batch gradient descent (lr 1) on a"
                + " linear softmax classifier from zero weights, %d steps; LogitL2 lambda = %s.", data.size(), epochs,
                Notebook.num(lambda));
        List<GradientDynamics.Step> plain = train(data, Loss.crossEntropy(), epochs, s.seed()).steps();
        SoftmaxClassifier regModel = new SoftmaxClassifier(2, data.numClasses(), Init.zeros(), DataType.DOUBLE);
        List<GradientDynamics.Step> reg = train(data, Loss.crossEntropy().withLogitL2(lambda), epochs, s.seed(), regModel).steps();
        double[] x = series(plain, st -> st.step() + 1);
        double[] normPlain = series(plain, GradientDynamics.Step::logitNorm);
        double[] normReg = series(reg, GradientDynamics.Step::logitNorm);
        double[] gradPlain = series(plain, GradientDynamics.Step::meanLogitGradientNorm);
        double[] gradReg = series(reg, GradientDynamics.Step::meanLogitGradientNorm);
        double[] satPlain = series(plain, GradientDynamics.Step::saturatedFraction);
        int n = x.length;
        int q = n / 4;

        nb.section("Plain cross-entropy");
        nb.text("mean logit norm %s -> %s -> %s; data-term gradient norm %s -> %s; saturated fraction %s",
                Notebook.num(normPlain[q]), Notebook.num(normPlain[2 * q]), Notebook.num(normPlain[n - 1]),
                Notebook.num(gradPlain[q]), Notebook.num(gradPlain[n - 1]), Notebook.num(satPlain[n - 1]));
        nb.claim("with plain cross-entropy the logit norm keeps growing", normPlain[n - 1] > normPlain[2 * q] * 1.1
                && normPlain[2 * q] > normPlain[q] * 1.1 && isIncreasing(normPlain, q),
                Notebook.num(normPlain[q]) + " < " + Notebook.num(normPlain[2 * q]) + " < " + Notebook.num(normPlain[n - 1]));
        nb.claim("with plain cross-entropy the gradient decays towards zero", gradPlain[n - 1] < gradPlain[q] / 2
                && gradPlain[n - 1] < 0.05 * gradPlain[0], "||p - y|| " + Notebook.num(gradPlain[0]) + " -> "
                + Notebook.num(gradPlain[n - 1]));

        nb.section("Cross-entropy + LogitL2");
        nb.claim("with LogitL2 the logit norm stays bounded (it settles)",
                Math.abs(normReg[n - 1] - normReg[2 * q]) < 0.02 * normReg[n - 1] && normReg[n - 1] < normPlain[n - 1],
                "norm at half time " + Notebook.num(normReg[2 * q]) + ", at the end " + Notebook.num(normReg[n - 1]));
        nb.claim("with LogitL2 the data term's gradient does not vanish", gradReg[n - 1] > 0.5 * gradReg[2 * q]
                && gradReg[n - 1] > 5 * gradPlain[n - 1], "||p - y|| at the end " + Notebook.num(gradReg[n - 1])
                + " vs " + Notebook.num(gradPlain[n - 1]) + " without");

        nb.section("The fixed point: p - y = -lambda z");
        nb.text("The regularised loss L = CE + (lambda / 2) ||z||^2 has gradient (p - y) + lambda z in the logits of one"
                + " sample (softmax.md, \"Training Dynamics\"; softgrad's LogitL2 averages over the batch, so its gradient"
                + " is that divided by N). Descending it on free logits of one sample (K = 4, label 0, lr 1.5, 400 steps)"
                + " stops where the two terms cancel.");
        Tensor free = Tensor.parameter(Tensor.fromRows(new double[][] {{0.3, -0.2, 1.0, 0.5}}, DataType.DOUBLE).value());
        Tensor regularised = null;
        for (int t = 0; t < 400; t++) {
            free.zeroGrad();
            regularised = Losses.crossEntropy(free, new int[] {0}).add(Losses.logitL2(free, lambda));
            regularised.backward();
            InPlace.axpy(-1.5, free.grad(), free.value());
        }
        double[] zStar = free.value().toDoubleVector();
        double[] pStar = Losses.softmax(Tensor.constant(free.value()), 1.0).value().toDoubleVector();
        nb.claim(fixedPointClaim(pStar, 0, zStar, lambda));
        nb.text("A model's logits are not free: for the trained linear model (W, b) stationarity holds in the weights,"
                + " X^T (P - Y + lambda Z) / N = 0 and mean(P - Y + lambda Z) = 0, with P - Y itself far from 0.");
        INDArray zModel = regModel.logits(data.features());
        INDArray residual = Losses.softmax(Tensor.constant(zModel), 1.0).value()
                .sub(Nd4j.createFromArray(oneHot(data.labels(), data.numClasses())));
        INDArray dataTerm = data.features().transpose().mmul(residual).div(data.size());
        INDArray balanced = data.features().transpose().mmul(residual.add(zModel.mul(lambda))).div(data.size());
        double biasBalance = residual.add(zModel.mul(lambda)).mean(0).norm2Number().doubleValue();
        nb.claim("at the end of CE + LogitL2 training the weight gradient X^T (P - Y + lambda Z) / N vanishes while the"
                + " data term X^T (P - Y) / N does not", balanced.norm2Number().doubleValue() < 1e-3 * dataTerm.norm2Number()
                .doubleValue() && biasBalance < 1e-6, "||X^T (P - Y + lambda Z)|| / N = " + Notebook.num(balanced.norm2Number()
                .doubleValue()) + ", ||X^T (P - Y)|| / N = " + Notebook.num(dataTerm.norm2Number().doubleValue())
                + ", bias " + Notebook.num(biasBalance));
        double[][] zr = {{2, -1, 0.5}, {-3, 4, 1}};
        Tensor zt = Tensor.parameter(Tensor.fromRows(zr, DataType.DOUBLE).value());
        Losses.crossEntropy(zt, new int[] {0, 2}).add(Losses.logitL2(zt, lambda)).backward();
        nb.claim(regularisedGradientClaim(zt.grad().toDoubleMatrix(), zr, new int[] {0, 2}, lambda));

        XYChart c1 = Plots.chart("Mean logit norm", "full-batch step (log scale)", "mean ||z|| (logit units)", true, false);
        Plots.line(c1, "cross-entropy", x, normPlain);
        Plots.line(c1, "cross-entropy + LogitL2", x, normReg);
        nb.figure("logit-norm.png", c1);
        XYChart c2 = Plots.chart("Gradient norm of the data term ||p - y||", "full-batch step (log scale)", "mean ||p - y|| (probability, log scale)", true, true);
        Plots.line(c2, "cross-entropy", x, gradPlain);
        Plots.line(c2, "cross-entropy + LogitL2", x, gradReg);
        nb.figure("gradient-norm.png", c2);
        XYChart c3 = Plots.chart("Loss", "full-batch step (log scale)", "loss (nats, log scale)", true, true);
        Plots.line(c3, "cross-entropy", x, series(plain, GradientDynamics.Step::loss));
        Plots.line(c3, "cross-entropy + LogitL2", x, series(reg, GradientDynamics.Step::loss));
        nb.figure("loss.png", c3);
        return nb.finish();
    }

    static double[][] oneHot(int[] labels, int k) {
        double[][] y = new double[labels.length][k];
        for (int i = 0; i < labels.length; i++) {
            y[i][labels[i]] = 1;
        }
        return y;
    }

    /** Non-decreasing from index {@code from} on. */
    static boolean isIncreasing(double[] v, int from) {
        for (int i = from + 1; i < v.length; i++) {
            if (v[i] < v[i - 1] - 1e-12) {
                return false;
            }
        }
        return true;
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new SaturationExample(), args);
    }
}
