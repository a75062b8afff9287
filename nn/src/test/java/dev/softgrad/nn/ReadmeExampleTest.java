package dev.softgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.datasets.Datasets;
import dev.softgrad.datasets.Split;
import dev.softgrad.nn.io.Checkpoint;
import dev.softgrad.nn.plot.Plots;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;

/** The README's training snippet, as written there (paths moved to a temporary folder), does what it says. */
class ReadmeExampleTest {
    /** The README's two loops, the graph and the one fused call, give the same losses and weights bit for bit. */
    @Test
    void theReadmeLoopAndItsFusedCallGiveTheSameBits() {
        Split split = Split.stratified(Datasets.embeddedDefault(), 0.25, 42);
        int[] labels = split.train().labels();
        double[][] losses = new double[2][100];
        double[][] weights = new double[2][];
        for (int form = 0; form < 2; form++) {
            dev.softgrad.core.Tensor w = dev.softgrad.core.Tensor.parameter(org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 10, 5));
            dev.softgrad.core.Tensor b = dev.softgrad.core.Tensor.parameter(org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 5));
            dev.softgrad.core.Tensor x = dev.softgrad.core.Tensor.constant(split.train().features());
            Sgd sgd = new Sgd(java.util.List.of(w, b), Sgd.Config.plain(0.5));
            dev.softgrad.core.Arena arena = new dev.softgrad.core.Arena();
            for (int epoch = 0; epoch < 100; epoch++) {
                if (form == 0) {
                    try (dev.softgrad.core.Arena.Scope s = arena.open()) {
                        dev.softgrad.core.Tensor loss = dev.softgrad.core.Functional.softmaxCrossEntropy(
                                dev.softgrad.core.Functional.linear(x, w, b), labels);
                        sgd.zeroGrad();
                        loss.backward();
                        sgd.step();
                        losses[form][epoch] = loss.item();
                    }
                } else {
                    sgd.zeroGrad();
                    losses[form][epoch] = dev.softgrad.core.Functional.linearCrossEntropyGrad(x, w, b, labels);
                    sgd.step();
                }
            }
            weights[form] = w.value().dup().data().asDouble();
        }
        assertArrayEquals(losses[0], losses[1], 0.0, "the same loss at every step");
        assertArrayEquals(weights[0], weights[1], 0.0, "the same final weights");
        assertTrue(losses[1][99] < 0.5 * losses[1][0], "and it learns: " + losses[1][0] + " -> " + losses[1][99]);
    }

    @Test
    void theReadmeSnippetTrainsPlotsAndSaves(@TempDir Path dir) throws Exception {
        Split split = Split.stratified(Datasets.embeddedDefault(), 0.25, 42);
        Classifier model = new Mlp(10, new int[] {32}, 5, Activation.TANH, Init.xavierUniform(7), DataType.FLOAT);
        Trainer.Config config = Trainer.Config.of(20, 32, 0.1, 7)
                .withLoss(Loss.labelSmoothing(0.1).withLogitL2(1e-3))
                .withSchedule(LearningRateSchedule.cosine(20, 0.0)).withClipNorm(5.0);
        GradientDynamics dynamics = new GradientDynamics(0.01);
        Trainer.History h = new Trainer(config).addListener(TrainingProgress.lines(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())))
                .addListener(dynamics).fit(model, split.train(), split.test());
        Evaluation ev = model.evaluate(split.test());
        assertTrue(ev.accuracy() > 0.85, ev.toString());
        assertEquals(20 * 15, dynamics.steps().size());
        assertEquals(0.0, h.last().learningRate(), 0.02, "cosine decays towards 0");
        dynamics.writeJsonLines(dir.resolve("dynamics.jsonl"));
        dynamics.plot(dir.resolve("dynamics.png"));
        XYChart chart = Plots.chart("Training loss", "epoch", "loss (nats, log scale)", false, true);
        Plots.line(chart, "train", h.epochs().stream().mapToDouble(Trainer.EpochResult::epoch).toArray(),
                h.epochs().stream().mapToDouble(Trainer.EpochResult::trainLoss).toArray());
        Plots.writePng(dir.resolve("loss.png"), chart);
        Checkpoint.save(model, Checkpoint.Provenance.of(config, split.train()), dir.resolve("model.json"));
        assertEquals(300, Files.readAllLines(dir.resolve("dynamics.jsonl")).size());
        assertTrue(Files.size(dir.resolve("dynamics.png")) > 10_000);
        Classifier back = Checkpoint.load(dir.resolve("model.json")).model();
        assertEquals(Init.xavierUniform(7), ((Mlp) back).init());
        assertTrue(Files.size(dir.resolve("loss.png")) > 5_000);
        assertArrayEquals(model.predict(split.test().features()), back.predict(split.test().features()));
    }
}
