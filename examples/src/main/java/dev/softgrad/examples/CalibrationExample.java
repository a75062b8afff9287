package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Split;
import dev.softgrad.datasets.Synthetic;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.SoftmaxClassifier;
import dev.softgrad.nn.Trainer;
import dev.softgrad.nn.calibration.CalibrationMetrics;
import dev.softgrad.nn.calibration.ReliabilityBins;
import dev.softgrad.nn.calibration.ReliabilityDiagram;
import dev.softgrad.nn.calibration.TemperatureScaling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Calibration (softmax.md, "Scale Sensitivity and Temperature Scaling"; it says "Platt scaling", which is
 * the two-parameter binary method this one-parameter multi-class scaling restricts): a classifier trained long, without regularisation, on few high-dimensional samples
 * with noisy labels memorises the noise and becomes over-confident (its confidence exceeds its
 * accuracy). One temperature T fitted on validation data
 * by minimising the NLL (Guo et al., 2017) fixes much of it: on held-out data the ECE and the NLL
 * fall, and the predictions (the arg-max) do not change at all.
 */
public final class CalibrationExample implements Example {

    @Override
    public String name() {
        return "calibration";
    }

    @Override
    public String summary() {
        return "an over-confident model, temperature scaling fitted on validation data, ECE and reliability diagrams";
    }

    /** Scaling by T lowers the held-out ECE and NLL (tests pass a wrong T, e.g. 1 / T). */
    static Notebook.Claim scalingClaim(INDArray logits, int[] labels, double temperature) {
        INDArray before = TemperatureScaling.probabilities(logits, 1.0);
        INDArray after = TemperatureScaling.probabilities(logits, temperature);
        double eceBefore = CalibrationMetrics.ece(before, labels, CalibrationMetrics.DEFAULT_BINS);
        double eceAfter = CalibrationMetrics.ece(after, labels, CalibrationMetrics.DEFAULT_BINS);
        double nllBefore = CalibrationMetrics.nll(before, labels);
        double nllAfter = CalibrationMetrics.nll(after, labels);
        return new Notebook.Claim("scaling by the fitted T lowers the held-out ECE and NLL", eceAfter < eceBefore
                && nllAfter < nllBefore, "T = " + Notebook.num(temperature) + ": ECE " + Notebook.num(eceBefore) + " -> "
                + Notebook.num(eceAfter) + ", NLL " + Notebook.num(nllBefore) + " -> " + Notebook.num(nllAfter));
    }

    static double weightedGap(ReliabilityBins bins) {
        double sum = 0;
        for (ReliabilityBins.Bin bin : bins.bins()) {
            sum += bin.count() == 0 ? 0 : bin.count() * Math.abs(bin.gap());
        }
        return sum / bins.total();
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Calibration by temperature scaling", s);
        nb.equation("\\operatorname{ECE} = \\sum_{b=1}^{B} \\frac{|B_b|}{N} \\left| \\operatorname{acc}(B_b) -"
                + " \\operatorname{conf}(B_b) \\right|, \\qquad p = \\operatorname{softmax}(z / T)",
                "expected calibration error; temperature scaling fits one T > 0 on validation data (theory: Scale"
                + " Sensitivity and Temperature Scaling)");
        // separable in 100-D with only 400 training points: the label noise is memorised and the weights keep growing
        Dataset all = Lessons.withLabelNoise(Synthetic.blobs(2000, 4, 100, 4.0, s.seed(), DataType.FLOAT), 0.1, s.seed() + 1);
        Split first = Split.stratified(all, 0.8, s.seed() + 2);
        Split second = Split.stratified(first.test(), 0.5, s.seed() + 3);
        Dataset train = first.train();
        Dataset val = second.train();
        Dataset test = second.test();
        int epochs = s.quick() ? 300 : 1000;
        nb.text("4 Gaussian classes in 100-D, 10%% of all labels randomised; %d training samples (separable in 100-D),"
                + " %d validation, %d test. Linear softmax classifier, %d steps of full-batch SGD (lr 0.5), no regularisation.",
                train.size(), val.size(), test.size(), epochs);
        SoftmaxClassifier model = new SoftmaxClassifier(100, 4, Init.zeros(), DataType.FLOAT);
        new Trainer(Trainer.Config.of(epochs, train.size(), 0.5, s.seed())).fit(model, train, null);

        INDArray valLogits = model.logits(val.features());
        TemperatureScaling.Result fit = TemperatureScaling.fit(valLogits, val.labels());
        nb.text("fitted T = %s on the validation set (validation NLL %s -> %s, %d iterations)",
                Notebook.num(fit.temperature()), Notebook.num(fit.nllBefore()), Notebook.num(fit.nllAfter()), fit.iterations());
        INDArray testLogits = model.logits(test.features());
        ReliabilityDiagram.Comparison cmp = ReliabilityDiagram.compare(testLogits, test.labels(), fit.temperature(),
                CalibrationMetrics.DEFAULT_BINS);
        CalibrationMetrics.Summary b = cmp.before();
        CalibrationMetrics.Summary a = cmp.after();
        nb.section("Held-out metrics before and after scaling");
        nb.table(List.of("", "accuracy", "NLL", "Brier", "ECE", "MCE", "RMS CE"), List.of(
                List.of("before (T = 1)", Notebook.num(b.accuracy()), Notebook.num(b.nll()), Notebook.num(b.brier()),
                        Notebook.num(b.ece()), Notebook.num(b.mce()), Notebook.num(b.rms())),
                List.of("after (T = " + Notebook.num(fit.temperature()) + ")", Notebook.num(a.accuracy()),
                        Notebook.num(a.nll()), Notebook.num(a.brier()), Notebook.num(a.ece()), Notebook.num(a.mce()),
                        Notebook.num(a.rms()))));
        try {
            cmp.writePng(nb.folder().resolve("reliability.png"));
            Files.writeString(nb.folder().resolve("reliability.json"), cmp.toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("calibration: cannot write the reliability diagram", e);
        }
        nb.attach("reliability.png", "Reliability diagrams on the test set (numbers in reliability.json):");

        nb.section("Bins, and an MCE that one sample cannot decide");
        ReliabilityBins bins = ReliabilityBins.topLabel(TemperatureScaling.probabilities(testLogits, 1.0), test.labels(),
                CalibrationMetrics.DEFAULT_BINS, ReliabilityBins.Binning.EQUAL_WIDTH);
        List<List<String>> binRows = new ArrayList<>();
        double mceAll = 0;
        double mceCounted = 0;
        int minCount = 10;
        for (ReliabilityBins.Bin bin : bins.bins()) {
            if (bin.count() == 0) {
                continue;
            }
            binRows.add(List.of(Notebook.num(bin.lo()) + " - " + Notebook.num(bin.hi()), String.valueOf(bin.count()),
                    Notebook.num(bin.meanConfidence()), Notebook.num(bin.accuracy()), Notebook.num(bin.gap())));
            mceAll = Math.max(mceAll, Math.abs(bin.gap()));
            mceCounted = bin.count() >= minCount ? Math.max(mceCounted, Math.abs(bin.gap())) : mceCounted;
        }
        nb.table(List.of("confidence bin (T = 1)", "samples", "mean confidence", "accuracy", "gap"), binRows);
        nb.text("MCE over every non-empty bin %s; over bins with at least %d samples %s (a bin of one sample has the gap"
                + " of that one prediction: its confidence, or its confidence minus 1).", Notebook.num(mceAll), minCount,
                Notebook.num(mceCounted));
        nb.claim("the bin counts add up to the test set, and the ECE is their count-weighted mean gap",
                bins.total() == test.size() && Math.abs(bins.ece() - weightedGap(bins)) < 1e-12,
                bins.total() + " of " + test.size() + " samples; ECE " + Notebook.num(bins.ece()));

        nb.section("ECE and NLL as functions of T");
        nb.text("softmax.md calls this \"Platt scaling or temperature scaling\". Precisely: Platt scaling (1999) fits a"
                + " sigmoid a s + b to a binary score, two parameters; temperature scaling (Guo et al., 2017) is its"
                + " one-parameter multi-class restriction, softmax(z / T), which cannot change the arg-max. What is fitted here"
                + " is temperature scaling.");
        int points = s.quick() ? 25 : 61;
        double[] ts = new double[points];
        double[] eceT = new double[points];
        for (int i = 0; i < points; i++) {
            ts[i] = Math.pow(10, -0.5 + 1.5 * i / (points - 1));
            INDArray pT = TemperatureScaling.probabilities(testLogits, ts[i]);
            eceT[i] = CalibrationMetrics.ece(pT, test.labels(), CalibrationMetrics.DEFAULT_BINS);
        }
        XYChart curve = Plots.chart("Held-out calibration as a function of the temperature", "temperature T (log scale)",
                "ECE (probability, 15 equal-width bins)", true, false);
        Plots.line(curve, "held-out ECE", ts, eceT);
        Plots.vertical(curve, "fitted T = " + Notebook.num(fit.temperature()) + " (on validation)", fit.temperature(), 0,
                Arrays.stream(eceT).max().orElseThrow());
        Plots.vertical(curve, "T = 1 (as trained)", 1, 0, Arrays.stream(eceT).max().orElseThrow());
        nb.figure("ece-vs-temperature.png", curve);
        int bestT = 0;
        for (int i = 1; i < points; i++) {
            bestT = eceT[i] < eceT[bestT] ? i : bestT;
        }
        nb.claim("the held-out ECE is lowest near the fitted T (within a factor 1.5), not at T = 1",
                ts[bestT] > 1 && Math.max(ts[bestT] / fit.temperature(), fit.temperature() / ts[bestT]) < 1.5,
                "ECE lowest at T = " + Notebook.num(ts[bestT]) + " (" + Notebook.num(eceT[bestT]) + "), fitted T = "
                + Notebook.num(fit.temperature()));

        nb.section("Claims");
        nb.claim("the model is over-confident: T > 1", fit.temperature() > 1, "T = " + Notebook.num(fit.temperature()));
        nb.claim(scalingClaim(testLogits, test.labels(), fit.temperature()));
        int[] before = model.predict(test.features());
        int[] after = TemperatureScaling.wrap(model::logits, fit.temperature()).predict(test.features());
        nb.claim("scaling never changes a prediction", Arrays.equals(before, after) && a.accuracy() == b.accuracy(),
                "arg-max identical on all " + before.length + " test samples");
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new CalibrationExample(), args);
    }
}
