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
 * Label smoothing: training against (1 - eps) onehot + eps / K instead of the one-hot caps the
 * target probability at 1 - eps + eps / K, so the optimum has finite logits: the logit norm stays
 * small, the confidence stays below the cap, and on a model that would otherwise be over-confident
 * the calibration error falls.
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

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Label smoothing: logit norms, confidence, calibration", s);
        Dataset all = CalibrationExample.withLabelNoise(Synthetic.blobs(2000, 4, 100, 4.0, s.seed(), DataType.FLOAT), 0.1,
                s.seed() + 1);
        Split split = Split.stratified(all, 0.6, s.seed() + 2);
        Dataset train = split.train();
        Dataset test = split.test();
        int epochs = s.quick() ? 300 : 1000;
        nb.text("The over-confident setting of the calibration example: 4 classes in 100-D, 10%% noisy labels, %d training"
                + " points, %d full-batch steps (lr 0.5); eps in {0, 0.1, 0.2}.", train.size(), epochs);
        double[] epss = {0.0, 0.1, 0.2};
        List<List<String>> rows = new ArrayList<>();
        double[] norm = new double[3];
        double[] conf = new double[3];
        double[] ece = new double[3];
        XYChart c = Plots.chart("Mean logit norm during training", "step", "||z||", true, false);
        for (int e = 0; e < 3; e++) {
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
            ece[e] = m.ece();
            rows.add(List.of(Notebook.num(epss[e]), Notebook.num(norm[e]), Notebook.num(conf[e]),
                    Notebook.num(m.accuracy()), Notebook.num(m.ece()), Notebook.num(m.nll())));
        }
        nb.table(List.of("eps", "final logit norm (train)", "mean confidence (test)", "accuracy", "ECE", "NLL"), rows);
        nb.figure("logit-norm.png", c);
        nb.section("Claims");
        nb.claim("smoothing shrinks the logits: the norm falls as eps grows", norm[2] < norm[1] && norm[1] < norm[0],
                Notebook.num(norm[0]) + " > " + Notebook.num(norm[1]) + " > " + Notebook.num(norm[2]));
        nb.claim("smoothing lowers the confidence", conf[2] < conf[1] && conf[1] < conf[0],
                Notebook.num(conf[0]) + " > " + Notebook.num(conf[1]) + " > " + Notebook.num(conf[2]));
        double cap = 1 - 0.2 + 0.2 / 4;
        nb.claim("with eps = 0.2 the mean confidence stays below the target's cap 1 - eps + eps / K", conf[2] < cap,
                Notebook.num(conf[2]) + " < " + Notebook.num(cap));
        nb.claim("on this over-confident model smoothing lowers the calibration error", ece[1] < ece[0],
                "ECE " + Notebook.num(ece[0]) + " -> " + Notebook.num(ece[1]) + " (eps 0.1)");
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new LabelSmoothingExample(), args);
    }
}
