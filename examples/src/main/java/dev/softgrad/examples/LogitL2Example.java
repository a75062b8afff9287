package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Functional;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Synthetic;
import dev.softgrad.nn.Sgd;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Logit L2 is not weight decay. softmax.md ("Training Dynamics: Saturation and Regularization") adds
 * (lambda / 2) ||z||^2 to the loss and calls it "l2 regularization (also known as weight decay) to
 * the logits". For a linear model z = x W + b the two penalties differ: logit L2,
 * (lambda / 2) mean_i ||x_i W + b||^2, has the weight gradient lambda X^T Z / N, which depends on the
 * data and reaches the bias; weight decay, (lambda / 2) ||W||^2, has lambda W, blind to the data. They
 * agree only when X^T X / N = I and b = 0. A feature that is always 0 shows the difference: logit L2
 * never touches its weight, weight decay shrinks it geometrically.
 */
public final class LogitL2Example implements Example {

    @Override
    public String name() {
        return "logit-l2";
    }

    @Override
    public String summary() {
        return "logit L2 is not weight decay: gradients lambda X^T Z / N against lambda W, a dead feature's weight";
    }

    /** A logit-L2 weight gradient against lambda X^T Z / N (tests pass the weight-decay gradient lambda W). */
    static Notebook.Claim gradientClaim(double[][] gradW, double[][] x, double[][] z, double lambda) {
        double worst = 0;
        for (int f = 0; f < gradW.length; f++) {
            for (int j = 0; j < gradW[f].length; j++) {
                double closed = 0;
                for (int i = 0; i < x.length; i++) {
                    closed += lambda * x[i][f] * z[i][j] / x.length;
                }
                worst = Math.max(worst, Math.abs(gradW[f][j] - closed));
            }
        }
        return new Notebook.Claim("logit L2's weight gradient is lambda X^T Z / N (data-dependent), not lambda W", worst < 1e-12,
                "max |autograd - lambda X^T Z / N| = " + Notebook.num(worst));
    }

    /** d/dW of the penalty alone, logit L2 (lambda / 2) mean ||x W + b||^2, by autograd. */
    static double[][] logitL2Gradient(INDArray x, INDArray w, INDArray b, double lambda) {
        Tensor wt = Tensor.parameter(w.dup());
        Losses.logitL2(Functional.linear(Tensor.constant(x), wt, Tensor.constant(b)), lambda).backward();
        return wt.grad().toDoubleMatrix();
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Logit L2 is not weight decay", s);
        double lambda = 0.1;
        nb.section("Two penalties, two gradients");
        Dataset data = Synthetic.linearlySeparable(200, 3, 0.5, s.seed()).asType(DataType.DOUBLE);
        INDArray x = data.features();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(s.seed());
        INDArray w = Nd4j.createFromArray(new double[][] {{rnd.nextGaussian(), rnd.nextGaussian()},
            {rnd.nextGaussian(), rnd.nextGaussian()}, {rnd.nextGaussian(), rnd.nextGaussian()}});
        INDArray b = Nd4j.createFromArray(0.3, -0.2);
        double[][] g = logitL2Gradient(x, w, b, lambda);
        double[][] z = x.mmul(w).addiRowVector(b).toDoubleMatrix();
        nb.text("Linear model z = x W + b on %d points in 3-D, lambda = %s. Weight decay's gradient is lambda W.",
                data.size(), Notebook.num(lambda));
        nb.claim(gradientClaim(g, x.toDoubleMatrix(), z, lambda));
        double gap = Nd4j.createFromArray(g).sub(w.mul(lambda)).amaxNumber().doubleValue();
        nb.claim("on these data the two gradients differ", gap > 1e-3, "max |lambda X^T Z / N - lambda W| = " + Notebook.num(gap));
        INDArray white = Nd4j.createFromArray(new double[][] {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}}); // X^T X / N = I
        INDArray w2 = Nd4j.createFromArray(new double[][] {{rnd.nextGaussian(), rnd.nextGaussian()},
            {rnd.nextGaussian(), rnd.nextGaussian()}});
        double whiteGap = Nd4j.createFromArray(logitL2Gradient(white, w2, Nd4j.zeros(DataType.DOUBLE, 2), lambda))
                .sub(w2.mul(lambda)).amaxNumber().doubleValue();
        nb.claim("they coincide when X^T X / N = I and b = 0 (whitened data, no bias)", whiteGap < 1e-15,
                "max difference " + Notebook.num(whiteGap) + " on the 4 points (+-1, +-1)");

        nb.section("A feature that is always 0");
        nb.text("Append a fourth feature that is 0 for every sample and start its weights at 1. Plain SGD (lr 0.5) on"
                + " cross-entropy + logit L2, and on cross-entropy with weight decay lambda (Sgd's weightDecay, PyTorch's"
                + " semantics: lambda W added to the gradient).");
        INDArray x4 = Nd4j.hstack(x, Nd4j.zeros(DataType.DOUBLE, data.size(), 1));
        int steps = s.quick() ? 100 : 300;
        double[][] dead = new double[2][steps + 1];
        double[] axis = new double[steps + 1];
        for (int run = 0; run < 2; run++) {
            Tensor wt = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, 4, 2));
            wt.value().putRow(3, Nd4j.ones(DataType.DOUBLE, 2));
            Tensor bt = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, 2));
            Sgd sgd = new Sgd(List.of(wt, bt), new Sgd.Config(0.5, 0, 0, run == 0 ? 0 : lambda, false));
            for (int t = 0; t <= steps; t++) {
                axis[t] = t;
                dead[run][t] = wt.value().getDouble(3, 0);
                Tensor logits = Functional.linear(Tensor.constant(x4), wt, bt);
                Tensor loss = Losses.crossEntropy(logits, data.labels());
                loss = run == 0 ? loss.add(Losses.logitL2(logits, lambda)) : loss;
                sgd.zeroGrad();
                loss.backward();
                sgd.step();
            }
        }
        nb.claim("logit L2 never moves the dead feature's weight: it does not change any logit", dead[0][steps] == 1.0,
                "weight after " + steps + " steps: " + dead[0][steps]);
        double expected = Math.pow(1 - 0.5 * lambda, steps);
        nb.claim("weight decay shrinks it by (1 - lr lambda) per step", Math.abs(dead[1][steps] - expected) < 1e-12,
                "weight " + Notebook.num(dead[1][steps]) + ", (1 - lr lambda)^" + steps + " = " + Notebook.num(expected));
        XYChart c = Plots.chart("Weight on a feature that is always 0", "SGD step", "weight (unitless)", false, false);
        Plots.line(c, "cross-entropy + logit L2", axis, dead[0]);
        Plots.line(c, "cross-entropy + weight decay", axis, dead[1]);
        nb.figure("dead-feature-weight.png", c);
        nb.text("So logit L2 penalises what the model outputs on the data (it bounds the logits, hence saturation), weight"
                + " decay what the model is (it bounds the weights, including those the data never exercise).");
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new LogitL2Example(), args);
    }
}
