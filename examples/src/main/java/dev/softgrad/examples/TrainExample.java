package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Datasets;
import dev.softgrad.datasets.Split;
import dev.softgrad.datasets.Standardizer;
import dev.softgrad.nn.Evaluation;
import dev.softgrad.nn.GradientDynamics;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.TrainingProgress;
import dev.softgrad.nn.SoftmaxClassifier;
import dev.softgrad.nn.Trainer;
import dev.softgrad.nn.calibration.CalibrationMetrics;
import dev.softgrad.nn.calibration.ReliabilityBins;
import dev.softgrad.nn.calibration.ReliabilityDiagram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Trains a linear softmax classifier end to end (the README's main job): the embedded default data
 * set unless {@code -o dataset=iris|digits|mnist} names another (read from {@code -o data=FOLDER},
 * default {@code ../shared/datasets}, or downloaded), a stratified validation split, standardised
 * features, minibatch SGD with a progress display, and a report with the loss and accuracy
 * curves, the gradient dynamics, the confusion matrix, per-class precision, recall and F1, and the
 * calibration of the result (ECE and a reliability diagram).
 */
public final class TrainExample implements Example {

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a softmax classifier end to end (embedded data, or iris / digits / mnist): curves, dynamics, confusion";
    }

    static final ExampleOption<String> DATASET = ExampleOption.choice("dataset", "embedded", "the data set",
            "embedded", "iris", "digits", "mnist");
    static final ExampleOption<Integer> EPOCHS = ExampleOption.positiveInt("epochs", 30,
            "epochs of SGD (--quick: 8 unless given)");
    static final ExampleOption<Integer> BATCH = ExampleOption.positiveInt("batch", 32, "minibatch size");
    static final ExampleOption<Double> LR = ExampleOption.positiveReal("lr", 0.1, "learning rate");

    @Override
    public List<ExampleOption<?>> options() {
        return List.of(DATASET, Lessons.DATA, EPOCHS, BATCH, LR);
    }

    static Dataset load(Settings s) {
        String name = DATASET.get(s);
        Path folder = Lessons.DATA.get(s);
        try {
            return switch (name) {
                case "iris" -> Datasets.iris(folder);
                case "digits" -> Datasets.digits(folder);
                case "mnist" -> Datasets.mnistTest(folder); // reads folder/mnist/t10k-*
                default -> Datasets.embeddedDefault();
            };
        } catch (IOException e) {
            throw new UncheckedIOException("train: cannot load data set '" + name + "' from " + folder, e);
        }
    }

    /** The loss after one full-batch step of size lr from zero weights, measured, against the closed form (tests pass wrong ones). */
    static Notebook.Claim firstStepClaim(double measured, double[][] x, int[] y, int k, double lr) {
        int n = x.length;
        int d = x[0].length;
        double[][] w = new double[d][k];
        double[] b = new double[k];
        double gradSq = 0;
        for (int j = 0; j < k; j++) {
            for (int f = 0; f <= d; f++) {
                double g = 0;
                for (int i = 0; i < n; i++) {
                    g += (f < d ? x[i][f] : 1) * (1.0 / k - (y[i] == j ? 1 : 0)) / n;
                }
                gradSq += g * g;
                if (f < d) {
                    w[f][j] = -lr * g;
                } else {
                    b[j] = -lr * g;
                }
            }
        }
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double[] z = b.clone();
            for (int j = 0; j < k; j++) {
                for (int f = 0; f < d; f++) {
                    z[j] += x[i][f] * w[f][j];
                }
            }
            loss += (Lessons.logSumExp(z) - z[y[i]]) / n;
        }
        return new Notebook.Claim("after one full-batch step from zero weights the loss equals the closed form",
                Math.abs(measured - loss) < 1e-9, "softgrad " + Notebook.num(measured) + ", by hand " + Notebook.num(loss)
                + " (difference " + Notebook.num(Math.abs(measured - loss)) + "); first order ln K - lr ||g||^2 = "
                + Notebook.num(Math.log(k) - lr * gradSq));
    }

    @Override
    public Notebook.Result run(Settings s) {
        int epochs = s.quick() && !EPOCHS.isSet(s) ? 8 : EPOCHS.get(s);
        int batch = BATCH.get(s);
        double lr = LR.get(s);
        Dataset data = load(s);
        Notebook nb = Notebook.open(name(), "Training a softmax classifier on " + data.name(), s);
        nb.equation("L(W, b) = \\frac{1}{N} \\sum_{i=1}^{N} -\\ln \\operatorname{softmax}(W x_i + b)_{y_i}, \\qquad W"
                + " \\leftarrow W - \\eta \\nabla_W L",
                "the loss minibatch SGD minimises (theory: The Cross-Entropy Loss)");
        Split split = Split.stratified(data, 0.25, s.seed());
        Standardizer scaler = Standardizer.fit(split.train());
        Dataset train = scaler.transform(split.train());
        Dataset val = scaler.transform(split.test());
        nb.text("%s: %d training and %d validation samples, %d features, %d classes; %d epochs of minibatch SGD"
                + " (batch %d, lr %s), seed %d.", data.name(), train.size(), val.size(), data.numFeatures(),
                data.numClasses(), epochs, batch, Notebook.num(lr), s.seed());

        SoftmaxClassifier model = new SoftmaxClassifier(data.numFeatures(), data.numClasses(), Init.zeros(), DataType.FLOAT);
        Evaluation before = model.evaluate(val);
        GradientDynamics dyn = new GradientDynamics(1e-3);
        Trainer trainer = new Trainer(Trainer.Config.of(epochs, batch, lr, s.seed())).addListener(dyn)
                .addListener(s.console() == System.out ? TrainingProgress.auto() : TrainingProgress.lines(s.console()));
        Trainer.History h = trainer.fit(model, train, val);

        nb.section("Loss and accuracy per epoch");
        List<List<String>> rows = new ArrayList<>();
        double[] ep = new double[h.epochs().size()];
        double[] trainLoss = new double[ep.length];
        double[] valLoss = new double[ep.length];
        double[] trainAcc = new double[ep.length];
        double[] valAcc = new double[ep.length];
        for (int i = 0; i < ep.length; i++) {
            Trainer.EpochResult r = h.epochs().get(i);
            ep[i] = r.epoch() + 1;
            trainLoss[i] = r.trainLoss();
            valLoss[i] = r.validation().loss();
            trainAcc[i] = r.trainAccuracy();
            valAcc[i] = r.validation().accuracy();
            rows.add(List.of(String.valueOf(r.epoch() + 1), Notebook.num(r.trainLoss()), Notebook.num(r.trainAccuracy()),
                    Notebook.num(r.validation().loss()), Notebook.num(r.validation().accuracy())));
        }
        nb.table(List.of("epoch", "train loss", "train acc", "val loss", "val acc"), rows);
        XYChart lc = Plots.chart("Loss", "epoch", "cross-entropy", false, false);
        Plots.line(lc, "train", ep, trainLoss);
        Plots.line(lc, "validation", ep, valLoss);
        nb.figure("loss.png", lc);
        XYChart ac = Plots.chart("Accuracy", "epoch", "accuracy", false, false);
        Plots.line(ac, "train", ep, trainAcc);
        Plots.line(ac, "validation", ep, valAcc);
        nb.figure("accuracy.png", ac);
        try {
            dyn.plot(nb.folder().resolve("dynamics.png"), 1000, 700);
            dyn.writeJsonLines(nb.folder().resolve("dynamics.jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException("train: cannot write the dynamics", e);
        }
        nb.text("Gradient dynamics per step (loss, gradient norms, logit norm, saturation, entropy, margin): "
                + "![dynamics.png](dynamics.png), numbers in dynamics.jsonl.");

        int lastBatch = train.size() % batch;
        nb.text("Each step of the dynamics plot is one minibatch. %s The training loss in the table is the mean of the"
                + " epoch's minibatch losses, each taken before its step: it averages over weights that were still"
                + " improving, while the validation loss is measured once, after the epoch. That is why validation can sit"
                + " below training (here, at the end: epoch mean %s, training set after the epoch %s, validation %s; what"
                + " remains between the last two is the luck of a " + val.size() + "-sample validation split).",
                lastBatch == 0 ? "Every epoch divides into full batches." : String.format(java.util.Locale.ROOT,
                        "%d = %d x %d + %d: the last batch of every epoch holds only %d samples, so its gradient is noisy and"
                        + " the curves spike once per epoch (drop it, or pick a batch size that divides %d, to remove the"
                        + " spikes).", train.size(), train.size() / batch, batch, lastBatch, lastBatch, train.size()),
                Notebook.num(trainLoss[ep.length - 1]), Notebook.num(model.evaluate(train).loss()),
                Notebook.num(valLoss[ep.length - 1]));

        nb.section("The first step from zero weights, by hand");
        SoftmaxClassifier one = new SoftmaxClassifier(data.numFeatures(), data.numClasses(), Init.zeros(), DataType.DOUBLE);
        Dataset train64 = train.asType(DataType.DOUBLE);
        new Trainer(Trainer.Config.of(1, train.size(), lr, s.seed())).fit(one, train64, null);
        nb.text("At W = 0, b = 0 every p is uniform, so the full-batch gradient is g_W = X^T (1/K - Y) / N and"
                + " g_b = mean(1/K - Y); one step gives W = -lr g_W, b = -lr g_b, and the loss after it follows in closed form"
                + " (to first order ln K - lr ||g||^2).");
        nb.claim(firstStepClaim(one.evaluate(train64).loss(), train64.features().toDoubleMatrix(), train64.labels(),
                data.numClasses(), lr));

        nb.section("Validation: confusion matrix and per-class scores");
        Evaluation after = h.last().validation();
        List<String> header = new ArrayList<>(List.of("true \\ predicted"));
        header.addAll(data.classNames());
        header.addAll(List.of("precision", "recall", "F1"));
        List<List<String>> cm = new ArrayList<>();
        for (int i = 0; i < data.numClasses(); i++) {
            List<String> r = new ArrayList<>(List.of(data.classNames().get(i)));
            for (long c : after.confusion()[i]) {
                r.add(String.valueOf(c));
            }
            r.addAll(List.of(Notebook.num(after.precision()[i]), Notebook.num(after.recall()[i]), Notebook.num(after.f1()[i])));
            cm.add(r);
        }
        nb.table(header, cm);

        nb.section("Calibration of the result");
        // from the logits: a float32 softmax can underflow a true-class probability to 0 (NLL Infinity on MNIST)
        CalibrationMetrics.Summary cal = CalibrationMetrics.summaryFromLogits(model.logits(val.features()), val.labels(),
                CalibrationMetrics.DEFAULT_BINS);
        nb.text("validation: accuracy %s, NLL %s, Brier %s, ECE %s (15 equal-width bins), MCE %s",
                Notebook.num(cal.accuracy()), Notebook.num(cal.nll()), Notebook.num(cal.brier()), Notebook.num(cal.ece()),
                Notebook.num(cal.mce()));
        try {
            ReliabilityDiagram.writePng(nb.folder().resolve("reliability.png"),
                    ReliabilityBins.topLabel(model.probabilities(val.features()), val.labels(),
                            CalibrationMetrics.DEFAULT_BINS, ReliabilityBins.Binning.EQUAL_WIDTH), "validation");
        } catch (IOException e) {
            throw new UncheckedIOException("train: cannot write the reliability diagram", e);
        }
        nb.attach("reliability.png", "Reliability diagram on the validation set:");

        nb.section("Claims");
        nb.claim("zero weights predict the uniform distribution: the initial loss is ln K",
                Math.abs(before.loss() - Math.log(data.numClasses())) < 1e-5,
                "loss " + Notebook.num(before.loss()) + ", ln K = " + Notebook.num(Math.log(data.numClasses())));
        nb.claim("the training loss falls", trainLoss[ep.length - 1] < 0.8 * trainLoss[0],
                Notebook.num(trainLoss[0]) + " -> " + Notebook.num(trainLoss[ep.length - 1]));
        double chance = 1.0 / data.numClasses();
        nb.claim("the classifier beats chance by far on held-out data", after.accuracy() > Math.min(0.8, 3 * chance),
                "validation accuracy " + Notebook.num(after.accuracy()) + " (chance " + Notebook.num(chance) + ")");
        long total = java.util.Arrays.stream(after.confusion()).flatMapToLong(java.util.Arrays::stream).sum();
        nb.claim("the confusion matrix counts every validation sample once", total == val.size(),
                total + " of " + val.size());
        nb.claim("the calibration metrics agree with the evaluation's accuracy", Math.abs(cal.accuracy() - after.accuracy())
                < 1e-9, Notebook.num(cal.accuracy()) + " and " + Notebook.num(after.accuracy()));
        nb.claim("the validation NLL is finite, as every logit is (computed from the logits, not from float32"
                + " probabilities that can underflow to 0)", Double.isFinite(cal.nll()), "NLL " + Notebook.num(cal.nll()));
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new TrainExample(), args);
    }
}
