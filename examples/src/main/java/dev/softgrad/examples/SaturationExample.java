package dev.softgrad.examples;

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

/**
 * Saturation and its cure, the flagship dynamics figure. On linearly separable data plain
 * cross-entropy can always lower the loss by scaling the logits up: the logit norm grows without
 * bound, every sample saturates (p_y -> 1) and the gradient p - y vanishes. Adding LogitL2
 * (lambda/2 ||z||^2) balances that pull: the logits stay bounded and the data term's gradient
 * settles at a non-zero value, where p - y = -lambda z.
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
        SoftmaxClassifier model = new SoftmaxClassifier(data.numFeatures(), data.numClasses(), Init.zeros(), DataType.DOUBLE);
        GradientDynamics dyn = new GradientDynamics(1e-3);
        new Trainer(Trainer.Config.of(epochs, data.size(), 1.0, seed).withLoss(loss)).addListener(dyn).fit(model, data, null);
        return dyn;
    }

    static double[] series(List<GradientDynamics.Step> steps, java.util.function.ToDoubleFunction<GradientDynamics.Step> f) {
        return steps.stream().mapToDouble(f).toArray();
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Saturation and its cure", s);
        Dataset data = Synthetic.linearlySeparable(200, 2, 0.5, s.seed()).asType(DataType.DOUBLE);
        int epochs = s.quick() ? 400 : 2000;
        double lambda = 0.05;
        nb.text("Linearly separable data: %d points in 2-D with margin 0.5; full-batch gradient descent (lr 1) on a"
                + " linear softmax classifier from zero weights, %d steps; LogitL2 lambda = %s.", data.size(), epochs,
                Notebook.num(lambda));
        List<GradientDynamics.Step> plain = train(data, Loss.crossEntropy(), epochs, s.seed()).steps();
        List<GradientDynamics.Step> reg = train(data, Loss.crossEntropy().withLogitL2(lambda), epochs, s.seed()).steps();
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

        XYChart c1 = Plots.chart("Mean logit norm", "step", "||z||", true, false);
        Plots.line(c1, "cross-entropy", x, normPlain);
        Plots.line(c1, "cross-entropy + LogitL2", x, normReg);
        nb.figure("logit-norm.png", c1);
        XYChart c2 = Plots.chart("Gradient norm of the data term ||p - y||", "step", "norm", true, true);
        Plots.line(c2, "cross-entropy", x, gradPlain);
        Plots.line(c2, "cross-entropy + LogitL2", x, gradReg);
        nb.figure("gradient-norm.png", c2);
        XYChart c3 = Plots.chart("Loss", "step", "loss", true, true);
        Plots.line(c3, "cross-entropy", x, series(plain, GradientDynamics.Step::loss));
        Plots.line(c3, "cross-entropy + LogitL2", x, series(reg, GradientDynamics.Step::loss));
        nb.figure("loss.png", c3);
        return nb.finish();
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
