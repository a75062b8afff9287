package dev.softgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.Dense;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Synthetic;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The Trainer's fused step for the linear softmax classifier ({@code Functional.linearCrossEntropyGrad})
 * against its autograd step ({@link Trainer#fusedStep} off): the same History bit for bit (losses,
 * accuracies, validation), the same final parameters, the same gradients and logits seen by
 * listeners, with momentum, weight decay, clipping and a schedule acting on the fused gradients;
 * other models and losses keep the graph.
 */
class FusedStepTest {

    /** What a run gave, as bits: per epoch loss, accuracy, validation loss and accuracy; parameters; per step what listeners saw. */
    record Run(List<Long> history, long[] params, List<String> steps, List<Boolean> logitsRequireGrad) {
    }

    static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    static long[] bitsOf(Dense d) {
        long[] b = new long[d.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = bits(d.get(i));
        }
        return b;
    }

    static Run train(boolean fused, Supplier<Classifier> model, Trainer.Config config, Dataset train, Dataset val) {
        boolean before = Trainer.fusedStep;
        Trainer.fusedStep = fused;
        try {
            Classifier m = model.get();
            List<String> steps = new ArrayList<>();
            List<Boolean> requireGrad = new ArrayList<>();
            GradientDynamics dynamics = new GradientDynamics(0.01);
            TrainingListener spy = new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    StringBuilder s = new StringBuilder(e.step() + " " + bits(e.loss()) + " logits "
                            + java.util.Arrays.toString(bitsOf(Dense.of(e.logits().value()))));
                    for (Tensor p : e.model().parameters()) {
                        s.append(" grad ").append(java.util.Arrays.toString(bitsOf(Dense.of(p.grad()))));
                    }
                    steps.add(s.toString());
                    requireGrad.add(e.logits().requiresGrad());
                }
            };
            Trainer.History h = new Trainer(config).addListener(spy).addListener(dynamics).fit(m, train, val);
            List<Long> history = new ArrayList<>();
            for (Trainer.EpochResult r : h.epochs()) {
                history.add(bits(r.trainLoss()));
                history.add(bits(r.trainAccuracy()));
                history.add(r.samples());
                if (r.validation() != null) {
                    history.add(bits(r.validation().loss()));
                    history.add(bits(r.validation().accuracy()));
                }
            }
            history.add(h.steps());
            history.add((long) h.bestEpoch());
            for (GradientDynamics.Step s : dynamics.steps()) {
                steps.add(s.toString()); // records compare their doubles exactly in toString's shortest repr
            }
            List<Long> params = new ArrayList<>();
            for (Tensor p : m.parameters()) {
                for (long b : bitsOf(Dense.of(p.value()))) {
                    params.add(b);
                }
            }
            return new Run(history, params.stream().mapToLong(Long::longValue).toArray(), steps, requireGrad);
        } finally {
            Trainer.fusedStep = before;
        }
    }

    static void assertSameRun(Run autograd, Run fused, String what) {
        assertEquals(autograd.history, fused.history, what + ": History");
        assertArrayEquals(autograd.params, fused.params, what + ": final parameters");
        assertEquals(autograd.steps, fused.steps, what + ": what listeners saw at each step");
    }

    @Test
    void fusedStepGivesTheAutogradHistoryBitForBit() {
        Trainer.Config plain = Trainer.Config.of(4, 32, 0.3, 7);
        Trainer.Config everything = Trainer.Config.of(4, 50, 0.3, 7).withSgd(new Sgd.Config(0.3, 0.9, 0, 1e-3, true))
                .withClipNorm(0.5).withSchedule(LearningRateSchedule.step(2, 0.5))
                .withEarlyStopping(new Trainer.EarlyStopping(Trainer.Metric.VALIDATION_LOSS, 2, 0, true));
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int k : new int[] {5, 20}) { // the short-row kernel and the row path
                Dataset all = Synthetic.blobs(300, k, 12, 2.0, k, t);
                Dataset train = all.subset("train", java.util.stream.IntStream.range(0, 230).toArray());
                Dataset val = all.subset("val", java.util.stream.IntStream.range(230, 300).toArray());
                Supplier<Classifier> model = () -> new SoftmaxClassifier(12, k, Init.xavierUniform(5), t);
                for (Trainer.Config c : new Trainer.Config[] {plain, everything, Trainer.Config.of(3, 1000, 0.5, 1)}) {
                    String what = t + " K=" + k + " " + c.describe();
                    Run autograd = train(false, model, c, train, val);
                    Run fused = train(true, model, c, train, val);
                    assertSameRun(autograd, fused, what);
                    assertTrue(autograd.logitsRequireGrad.stream().allMatch(b -> b), what + ": the switch off builds the graph");
                    assertFalse(fused.logitsRequireGrad.stream().anyMatch(b -> b), what + ": the switch on takes the fused step");
                }
            }
        }
    }

    @Test
    void otherModelsAndLossesKeepTheGraph() {
        Dataset train = Synthetic.blobs(120, 4, 6, 2.0, 3, DataType.FLOAT);
        Supplier<Classifier> linear = () -> new SoftmaxClassifier(6, 4, Init.zeros(), DataType.FLOAT);
        Supplier<Classifier> mlp = () -> new Mlp(6, new int[] {8}, 4, Activation.TANH, Init.xavierUniform(2), DataType.FLOAT);
        Trainer.Config c = Trainer.Config.of(2, 40, 0.2, 1);
        for (Trainer.Config other : new Trainer.Config[] {c.withLoss(Loss.labelSmoothing(0.1)),
                c.withLoss(Loss.crossEntropy().withLogitL2(0.01))}) {
            Run r = train(true, linear, other, train, null);
            assertTrue(r.logitsRequireGrad.stream().allMatch(b -> b), other.loss() + " keeps the graph");
            assertSameRun(train(false, linear, other, train, null), r, other.loss().toString());
        }
        assertTrue(train(true, mlp, c, train, null).logitsRequireGrad.stream().allMatch(b -> b), "an MLP keeps the graph");
    }

    @Test
    void divergenceIsReportedAsOnTheAutogradPath() {
        Dataset base = Synthetic.blobs(100, 5, 10, 2.0, 1, DataType.FLOAT);
        Dataset wild = new Dataset("wild", base.features().mul(1e30), base.labels(), base.classNames());
        List<String> messages = new ArrayList<>();
        for (boolean fused : new boolean[] {false, true}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> train(fused,
                    () -> new SoftmaxClassifier(10, 5, Init.zeros(), DataType.FLOAT), Trainer.Config.of(3, 32, 1e10, 1), wild, null));
            messages.add(e.getMessage());
        }
        assertEquals(messages.get(0), messages.get(1));
        assertTrue(messages.get(1).contains("learning rate"), messages.get(1));
    }
}
