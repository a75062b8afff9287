package dev.softgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Datasets;
import dev.softgrad.datasets.Split;
import dev.softgrad.datasets.Synthetic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The training loop: learning, reproducibility, listeners, early stopping, schedules and bad input. */
class TrainerTest {
    static final Split SPLIT = Split.stratified(Datasets.embeddedDefault(), 0.25, 42);

    static double[] flatParams(Classifier m) {
        List<Double> all = new ArrayList<>();
        for (Tensor p : m.parameters()) {
            for (double v : p.value().dup().data().asDouble()) {
                all.add(v);
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    // Bit-identity holds in float32 and float64 (core's SimdKernelTest checks its SIMD path, which
    // these 5-class models do not reach, for the same property).

    @Test
    void softmaxClassifierLearnsTheEmbeddedBlobs() {
        SoftmaxClassifier m = new SoftmaxClassifier(10, 5, Init.zeros(), DataType.FLOAT);
        Trainer.History h = new Trainer(Trainer.Config.of(10, 32, 0.1, 7)).fit(m, SPLIT.train(), SPLIT.test());
        assertEquals(10, h.epochs().size());
        assertTrue(h.last().trainLoss() < 0.6 * h.epochs().get(0).trainLoss(), "loss falls");
        // the data set's documented ceiling: nearest class mean 91.3 %, a linear softmax model ~90 %
        assertTrue(h.last().validation().accuracy() > 0.85, "held-out " + h.last().validation());
        assertEquals(10L * 15, h.steps(), "450 rows / 32 = 15 batches per epoch");
        assertEquals(450, h.last().samples());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void theSameSeedGivesBitIdenticalRuns(DataType type) {
        double[][] params = new double[3][];
        double[][] losses = new double[3][];
        Dataset train = SPLIT.train().asType(type);
        for (int run = 0; run < 3; run++) {
            Mlp m = new Mlp(10, new int[] {16}, 5, Activation.TANH, Init.xavierUniform(3), type);
            Trainer.Config c = Trainer.Config.of(4, 20, 0.05, run < 2 ? 99 : 100)
                    .withSgd(new Sgd.Config(0.05, 0.9, 0, 1e-4, true)).withClipNorm(5);
            Trainer.History h = new Trainer(c).fit(m, train, null);
            params[run] = flatParams(m);
            losses[run] = h.epochs().stream().mapToDouble(Trainer.EpochResult::trainLoss).toArray();
        }
        assertArrayEquals(params[0], params[1], 0.0, "bit-identical parameters");
        assertArrayEquals(losses[0], losses[1], 0.0, "bit-identical losses");
        assertTrue(losses[0][3] != losses[2][3], "another seed gives another batch order");
    }

    @Test
    void aFullBatchRunIsTheReadmeLoopBitForBit() {
        Dataset train = SPLIT.train().asType(DataType.DOUBLE);
        SoftmaxClassifier viaTrainer = new SoftmaxClassifier(10, 5, Init.zeros(), DataType.DOUBLE);
        Trainer.History h = new Trainer(Trainer.Config.of(25, 1000, 0.5, 1)).fit(viaTrainer, train, null);
        assertEquals(25, h.steps());
        SoftmaxClassifier byHand = new SoftmaxClassifier(10, 5, Init.zeros(), DataType.DOUBLE);
        Sgd sgd = new Sgd(byHand.parameters(), Sgd.Config.plain(0.5));
        Tensor x = Tensor.constant(train.features());
        for (int i = 0; i < 25; i++) {
            Tensor loss = dev.softgrad.core.Losses.crossEntropy(byHand.forward(x), train.labels());
            sgd.zeroGrad();
            loss.backward();
            sgd.step();
        }
        assertArrayEquals(flatParams(byHand), flatParams(viaTrainer), 0.0);
    }

    @Test
    void listenersSeeEveryStepAndEpoch() {
        List<String> calls = new ArrayList<>();
        TrainingListener l = new TrainingListener() {
            @Override
            public void onStart(int epochs, int batchesPerEpoch, int batchSize) {
                calls.add("start " + epochs + " " + batchesPerEpoch + " " + batchSize);
            }

            @Override
            public void onStep(StepEvent e) {
                assertEquals(e.labels().length, e.logits().size(0));
                assertTrue(e.model().parameters().get(0).grad() != null, "gradients are there");
                calls.add("step " + e.epoch() + "." + e.batch() + " #" + e.step());
            }

            @Override
            public void onEpoch(Trainer.EpochResult r) {
                calls.add("epoch " + r.epoch());
            }

            @Override
            public void onEnd(Trainer.History h) {
                calls.add("end " + h.steps());
            }
        };
        Dataset small = Synthetic.blobs(10, 2, 3, 3.0, 1);
        new Trainer(Trainer.Config.of(2, 4, 0.1, 1)).addListener(l)
                .fit(new SoftmaxClassifier(3, 2, Init.zeros(), DataType.FLOAT), small, null);
        assertEquals(List.of("start 2 3 4", "step 0.0 #0", "step 0.1 #1", "step 0.2 #2", "epoch 0",
                "step 1.0 #3", "step 1.1 #4", "step 1.2 #5", "epoch 1", "end 6"), calls);
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestEpoch() {
        // validation accuracy plateaus within a few epochs: patience 2 stops the run
        SoftmaxClassifier m = new SoftmaxClassifier(10, 5, Init.zeros(), DataType.DOUBLE);
        Dataset train = SPLIT.train().asType(DataType.DOUBLE);
        Dataset val = SPLIT.test().asType(DataType.DOUBLE);
        Trainer.EarlyStopping es = new Trainer.EarlyStopping(Trainer.Metric.VALIDATION_ACCURACY, 2, 0.0, true);
        Trainer.History h = new Trainer(Trainer.Config.of(200, 32, 0.1, 1).withEarlyStopping(es)).fit(m, train, val);
        assertTrue(h.stoppedEarly(), "stopped after " + h.epochs().size());
        assertEquals(h.bestEpoch() + 3, h.epochs().size(), "patience 2: two epochs without improvement after the best");
        Evaluation best = h.epochs().get(h.bestEpoch()).validation();
        for (Trainer.EpochResult r : h.epochs()) {
            assertTrue(r.validation().accuracy() <= best.accuracy());
        }
        assertTrue(h.last().validation().loss() != best.loss(), "training went on after the best epoch");
        assertEquals(best.loss(), m.evaluate(val).loss(), 0.0, "the best epoch's parameters are back");
        assertThrows(IllegalArgumentException.class,
                () -> new Trainer(Trainer.Config.of(2, 4, 0.1, 1).withEarlyStopping(es)).fit(m, train, null));
    }

    @Test
    void scheduleSetsTheRateOfEachEpoch() {
        List<Double> rates = new ArrayList<>();
        TrainingListener l = new TrainingListener() {
            @Override
            public void onEpoch(Trainer.EpochResult r) {
                rates.add(r.learningRate());
            }
        };
        Dataset small = Synthetic.blobs(10, 2, 3, 3.0, 1);
        new Trainer(Trainer.Config.of(5, 10, 0.8, 1).withSchedule(LearningRateSchedule.step(2, 0.5))).addListener(l)
                .fit(new SoftmaxClassifier(3, 2, Init.zeros(), DataType.FLOAT), small, null);
        assertEquals(List.of(0.8, 0.8, 0.4, 0.4, 0.2), rates);
    }

    @Test
    void divergenceAndMismatchedDataAreReported() {
        Dataset wild = new Dataset("wild", SPLIT.train().features().mul(1e30), SPLIT.train().labels(), SPLIT.train().classNames());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Trainer(Trainer.Config.of(3, 32, 1e10, 1)).fit(new SoftmaxClassifier(10, 5, Init.zeros(), DataType.FLOAT), wild, null));
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(Trainer.Config.of(1, 32, 0.1, 1)).fit(new SoftmaxClassifier(9, 5, Init.zeros(), DataType.FLOAT), SPLIT.train(), null));
        assertTrue(f.getMessage().contains("9") && f.getMessage().contains("10"), f.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Trainer(Trainer.Config.of(1, 32, 0.1, 1)).fit(new SoftmaxClassifier(10, 5, Init.zeros(), DataType.DOUBLE), SPLIT.train(), null));
        assertThrows(IllegalArgumentException.class, () -> Trainer.Config.of(0, 32, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Trainer.Config.of(1, 32, 0.1, 1).withClipNorm(-1));
    }
}
