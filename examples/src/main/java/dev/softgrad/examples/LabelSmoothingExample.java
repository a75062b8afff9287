package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Split;
import dev.softgrad.datasets.Synthetic;
import dev.softgrad.nn.GradientDynamics;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.Loss;
import dev.softgrad.nn.SoftmaxClassifier;
import dev.softgrad.nn.Trainer;
import dev.softgrad.nn.calibration.CalibrationMetrics;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Label smoothing (softmax.md, "Soft Targets and KL Divergence"): training against (1 - eps) onehot + eps / K instead of the one-hot caps the
 * target probability at 1 - eps + eps / K, so the optimum has finite logits: the logit norm stays
 * small and the confidence falls with eps. On a model that would otherwise be over-confident, a little
 * smoothing lowers the calibration error; more turns the model under-confident and the error rises again.
 */
public final class LabelSmoothingExample implements Example {

    @Override
    public String name() {
        return "label-smoothing";
    }

    @Override
    public String summary() {
        return "label smoothing bounds the logits and the confidence, and lowers the calibration error";
    }

    /** Strictly falling along the sweep. */
    static Notebook.Claim monotoneClaim(String statement, double[] v) {
        boolean falls = true;
        for (int e = 1; e < v.length; e++) {
            falls &= v[e] < v[e - 1];
        }
        return new Notebook.Claim(statement, falls, java.util.Arrays.toString(java.util.Arrays.stream(v)
                .mapToObj(Notebook::num).toArray()));
    }

    /** Over-confident without smoothing, under-confident at the largest eps (tests pass confidences that do not turn). */
    static Notebook.Claim turnClaim(double[] eps, double[] conf, double[] acc) {
        int turn = -1;
        for (int e = 0; e < eps.length && turn < 0; e++) {
            turn = conf[e] < acc[e] ? e : -1;
        }
        int last = eps.length - 1;
        return new Notebook.Claim("the under-confidence turn: confidence exceeds accuracy at eps = 0 and falls below it"
                + " within the sweep", conf[0] > acc[0] && conf[last] < acc[last] && turn > 0,
                "confidence - accuracy " + Notebook.num(conf[0] - acc[0]) + " at eps = 0, " + Notebook.num(conf[last] - acc[last])
                + " at eps = " + eps[last] + (turn > 0 ? "; first below at eps = " + eps[turn] : "; never below"));
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Label smoothing: logit norms, confidence, calibration", s);
        nb.equation("q = (1 - \\epsilon) y + \\frac{\\epsilon}{K}, \\qquad \\frac{\\partial L}{\\partial z} = p - q",
                "label smoothing's target and gradient");
        Dataset all = Lessons.withLabelNoise(Synthetic.blobs(2000, 4, 100, 4.0, s.seed(), DataType.FLOAT), 0.1,
                s.seed() + 1);
        Split split = Split.stratified(all, 0.6, s.seed() + 2);
        Dataset train = split.train();
        Dataset test = split.test();
        int epochs = s.quick() ? 300 : 1000;
        double[] epss = {0.0, 0.05, 0.1, 0.15, 0.2, 0.3};
        nb.text("The over-confident setting of the calibration example: 4 classes in 100-D, 10%% noisy labels, %d training"
                + " points, %d full-batch steps (lr 0.5); eps swept over %s.", train.size(), epochs,
                java.util.Arrays.toString(epss));
        int e0 = epss.length;
        List<List<String>> rows = new ArrayList<>();
        double[] norm = new double[e0];
        double[] conf = new double[e0];
        double[] acc = new double[e0];
        double[] ece = new double[e0];
        double cap = 1 - 0.2 + 0.2 / 4;
        double[] aboveCap = new double[e0];
        XYChart c = Plots.chart("Mean logit norm during training", "step (log scale)", "mean ||z|| (logit units)", true, false);
        for (int e = 0; e < e0; e++) {
            SoftmaxClassifier model = new SoftmaxClassifier(100, 4, Init.zeros(), DataType.FLOAT);
            Loss loss = epss[e] == 0 ? Loss.crossEntropy() : Loss.labelSmoothing(epss[e]);
            GradientDynamics dyn = new GradientDynamics(1e-3);
            new Trainer(Trainer.Config.of(epochs, train.size(), 0.5, s.seed()).withLoss(loss)).addListener(dyn)
                    .fit(model, train, null);
            double[] x = dyn.steps().stream().mapToDouble(st -> st.step() + 1).toArray();
            double[] n = dyn.steps().stream().mapToDouble(GradientDynamics.Step::logitNorm).toArray();
            Plots.line(c, "eps = " + epss[e], x, n);
            INDArray p = model.probabilities(test.features());
            CalibrationMetrics.Summary m = CalibrationMetrics.summaryFromLogits(model.logits(test.features()), test.labels(),
                    CalibrationMetrics.DEFAULT_BINS);
            norm[e] = n[n.length - 1];
            conf[e] = p.max(1).meanNumber().doubleValue();
            aboveCap[e] = p.max(1).gt(cap).castTo(DataType.DOUBLE).meanNumber().doubleValue();
            acc[e] = m.accuracy();
            ece[e] = m.ece();
            rows.add(List.of(Notebook.num(epss[e]), Notebook.num(norm[e]), Notebook.num(conf[e]), Notebook.num(acc[e]),
                    Notebook.num(conf[e] - acc[e]), Notebook.num(m.ece()), Notebook.num(m.nll())));
        }
        nb.table(List.of("eps", "final logit norm (train)", "mean confidence (test)", "accuracy", "confidence - accuracy",
                "ECE", "NLL"), rows);
        nb.figure("logit-norm.png", c);
        XYChart g = Plots.chart("Calibration across the smoothing sweep (test set)", "eps", "probability (unitless)", false, false);
        Plots.line(g, "mean confidence", epss, conf);
        Plots.line(g, "accuracy", epss, acc);
        Plots.line(g, "ECE", epss, ece);
        nb.figure("confidence-vs-eps.png", g);
        nb.section("Claims, across the whole sweep");
        nb.claim(monotoneClaim("smoothing shrinks the logits: the norm falls at every step of eps", norm));
        nb.claim(monotoneClaim("smoothing lowers the confidence at every step of eps", conf));
        nb.claim(turnClaim(epss, conf, acc));
        int at02 = 4;
        nb.text("The smoothed target's top probability 1 - eps + eps / K is where one sample's loss is lowest in free logits;"
                + " it is not a bound on a model whose logits share weights: samples far from the boundary still exceed it.");
        nb.claim("at eps = 0.2, less than half as many test predictions exceed 1 - eps + eps / K = 0.85 as without smoothing",
                aboveCap[at02] < aboveCap[0] / 2, "share above 0.85: " + Notebook.num(aboveCap[0]) + " at eps = 0, "
                + Notebook.num(aboveCap[at02]) + " at eps = 0.2");
        int best = 0;
        for (int e = 1; e < e0; e++) {
            best = ece[e] < ece[best] ? e : best;
        }
        nb.claim("the ECE is lowest at an intermediate eps: smoothing helps calibration only until the model turns"
                + " under-confident", best > 0 && best < e0 - 1 && ece[e0 - 1] > ece[best],
                "ECE " + java.util.Arrays.toString(java.util.Arrays.stream(ece).mapToObj(Notebook::num).toArray())
                + ", lowest at eps = " + epss[best]);
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new LabelSmoothingExample(), args);
    }
}
