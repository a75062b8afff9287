package dev.softgrad.nn;

import dev.softgrad.core.Arena;
import dev.softgrad.core.Functional;
import dev.softgrad.core.SoftmaxCrossEntropy;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.MiniBatch;
import dev.softgrad.datasets.MiniBatchIterator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a {@link Classifier} by minibatch SGD: epochs of shuffled minibatches, a learning-rate
 * schedule, optional gradient clipping, evaluation on a validation set after each epoch, optional
 * early stopping, and {@link TrainingListener}s at each step and epoch.
 *
 * <p>Runs are reproducible: the batches of epoch e are a permutation fixed by {@code (seed, e)}
 * ({@link MiniBatchIterator}; when one batch holds the whole training set, its rows are used in
 * data-set order, in place, without a copy) and every operation is deterministic, so the same model, data and
 * configuration give bit-identical parameters and losses, in float32 and float64 (core's SIMD
 * kernel included: it rounds the same way interpreted and compiled). Each step runs in an
 * {@link Arena} scope:
 * after the first step the loop allocates no native memory. A {@link SoftmaxClassifier} trained on
 * {@link Loss#crossEntropy()} (no LogitL2) takes the fused step instead of the graph
 * ({@code Functional.linearCrossEntropyGrad}): the same losses, gradients and parameters bit for bit,
 * with fewer calls per step ({@code -Dsoftgrad.fusedStep=false} turns it off).
 *
 * <pre>{@code
 * Classifier model = new SoftmaxClassifier(64, 10, Init.zeros(), DataType.FLOAT);
 * Trainer.History h = new Trainer(Trainer.Config.of(20, 32, 0.1, 7))
 *         .addListener(TrainingProgress.auto())
 *         .fit(model, train, validation);
 * }</pre>
 */
public final class Trainer {

    /** What early stopping watches. */
    public enum Metric {
        /** Mean cross-entropy on the validation set (lower is better). */
        VALIDATION_LOSS,
        /** Accuracy on the validation set (higher is better). */
        VALIDATION_ACCURACY
    }

    /**
     * Stop when {@code metric} has not improved by more than {@code minDelta} for {@code patience}
     * epochs; with {@code restoreBest}, put back the parameters of the best epoch.
     */
    public record EarlyStopping(Metric metric, int patience, double minDelta, boolean restoreBest) {
        /** Validates. */
        public EarlyStopping {
            if (metric == null) {
                throw new IllegalArgumentException("EarlyStopping: metric must not be null");
            }
            if (patience < 1) {
                throw new IllegalArgumentException("EarlyStopping: patience must be >= 1, got " + patience);
            }
            if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
                throw new IllegalArgumentException("EarlyStopping: minDelta must be a finite number >= 0, got " + minDelta);
            }
        }
    }

    /**
     * The training configuration.
     *
     * @param epochs        maximum number of epochs, >= 1
     * @param batchSize     minibatch size, >= 1 (the last batch of an epoch may be smaller)
     * @param seed          seed of the batch order
     * @param sgd           optimiser settings (its lr is the schedule's base rate)
     * @param loss          the objective
     * @param schedule      learning rate per epoch
     * @param clipNorm      joint gradient-norm limit, or 0 for none
     * @param earlyStopping or null for none (needs a validation set)
     */
    public record Config(int epochs, int batchSize, long seed, Sgd.Config sgd, Loss loss, LearningRateSchedule schedule,
            double clipNorm, EarlyStopping earlyStopping) {
        /** Validates. */
        public Config {
            if (epochs < 1) {
                throw new IllegalArgumentException("Trainer.Config: epochs must be >= 1, got " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("Trainer.Config: batchSize must be >= 1, got " + batchSize);
            }
            Objects.requireNonNull(sgd, "Trainer.Config: sgd must not be null");
            Objects.requireNonNull(loss, "Trainer.Config: loss must not be null");
            Objects.requireNonNull(schedule, "Trainer.Config: schedule must not be null");
            if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) {
                throw new IllegalArgumentException("Trainer.Config: clipNorm must be a finite number >= 0 (0 = off), got " + clipNorm);
            }
        }

        /** Plain SGD at rate {@code lr}, cross-entropy, constant rate, no clipping, no early stopping. */
        public static Config of(int epochs, int batchSize, double lr, long seed) {
            return new Config(epochs, batchSize, seed, Sgd.Config.plain(lr), Loss.crossEntropy(),
                    LearningRateSchedule.constant(), 0, null);
        }

        /** With other optimiser settings. */
        public Config withSgd(Sgd.Config value) {
            return new Config(epochs, batchSize, seed, value, loss, schedule, clipNorm, earlyStopping);
        }

        /** With another objective. */
        public Config withLoss(Loss value) {
            return new Config(epochs, batchSize, seed, sgd, value, schedule, clipNorm, earlyStopping);
        }

        /** With a learning-rate schedule. */
        public Config withSchedule(LearningRateSchedule value) {
            return new Config(epochs, batchSize, seed, sgd, loss, value, clipNorm, earlyStopping);
        }

        /** With gradient clipping at {@code maxNorm} (0: off). */
        public Config withClipNorm(double maxNorm) {
            return new Config(epochs, batchSize, seed, sgd, loss, schedule, maxNorm, earlyStopping);
        }

        /** With early stopping. */
        public Config withEarlyStopping(EarlyStopping value) {
            return new Config(epochs, batchSize, seed, sgd, loss, schedule, clipNorm, value);
        }

        /** With another seed. */
        public Config withSeed(long value) {
            return new Config(epochs, batchSize, value, sgd, loss, schedule, clipNorm, earlyStopping);
        }

        /** The settings as a nested map of plain values, for checkpoints and logs. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epochs", epochs);
            m.put("batchSize", batchSize);
            m.put("seed", seed);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("lr", sgd.lr());
            o.put("momentum", sgd.momentum());
            o.put("dampening", sgd.dampening());
            o.put("weightDecay", sgd.weightDecay());
            o.put("nesterov", sgd.nesterov());
            m.put("sgd", o);
            m.put("loss", loss.describe());
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("kind", schedule.kind().name());
            s.put("stepSize", schedule.stepSize());
            s.put("gamma", schedule.gamma());
            s.put("totalEpochs", schedule.totalEpochs());
            s.put("minRate", schedule.minRate());
            m.put("schedule", s);
            m.put("clipNorm", clipNorm);
            if (earlyStopping != null) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("metric", earlyStopping.metric().name());
                e.put("patience", earlyStopping.patience());
                e.put("minDelta", earlyStopping.minDelta());
                e.put("restoreBest", earlyStopping.restoreBest());
                m.put("earlyStopping", e);
            }
            return m;
        }
    }

    /**
     * What one epoch gave.
     *
     * @param epoch         0-based
     * @param trainLoss     mean objective over the epoch's samples (as the parameters moved)
     * @param trainAccuracy fraction of the epoch's samples classified right at the time of their step
     * @param learningRate  the epoch's rate
     * @param validation    the evaluation on the validation set after the epoch, or null without one
     * @param seconds       wall time of the epoch, validation included
     * @param samples       samples seen in the epoch
     */
    public record EpochResult(int epoch, double trainLoss, double trainAccuracy, double learningRate, Evaluation validation,
            double seconds, long samples) {
    }

    /**
     * A whole run.
     *
     * @param epochs       one result per epoch run
     * @param bestEpoch    the best epoch by the early-stopping metric (the last epoch without early stopping)
     * @param stoppedEarly whether early stopping ended the run before {@code Config.epochs()}
     * @param steps        optimiser steps taken
     */
    public record History(List<EpochResult> epochs, int bestEpoch, boolean stoppedEarly, long steps) {
        /** The last epoch's result. */
        public EpochResult last() {
            return epochs.get(epochs.size() - 1);
        }
    }

    private final Config config;
    private final List<TrainingListener> listeners = new ArrayList<>();

    /** A trainer with this configuration. */
    public Trainer(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** Adds a listener (called in the order added); returns this. */
    public Trainer addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Trains {@code model} in place on {@code train}, evaluating on {@code validation} after each epoch.
     *
     * @param validation may be null (then no early stopping)
     * @throws IllegalArgumentException when the data do not fit the model
     * @throws IllegalStateException    when the loss becomes NaN or infinite (the message suggests a lower rate)
     */
    public History fit(Classifier model, Dataset train, Dataset validation) {
        Objects.requireNonNull(model, "model");
        checkData("train", model, train);
        if (validation != null) {
            checkData("validation", model, validation);
        }
        if (config.earlyStopping() != null && validation == null) {
            throw new IllegalArgumentException("fit: early stopping needs a validation set, got validation=null");
        }
        Run run = new Run(model, train);
        for (TrainingListener l : listeners) {
            l.onStart(config.epochs(), run.batches.perEpoch(), Math.min(config.batchSize(), train.size()));
        }
        EarlyStopper stopper = config.earlyStopping() == null ? null : new EarlyStopper(config.earlyStopping(), run.params);
        List<EpochResult> results = new ArrayList<>();
        boolean stoppedEarly = false;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            EpochResult r = epoch(run, epoch, validation);
            results.add(r);
            boolean patienceRanOut = stopper != null && stopper.update(epoch, r.validation());
            for (TrainingListener l : listeners) {
                l.onEpoch(r);
            }
            if (patienceRanOut) {
                stoppedEarly = epoch + 1 < config.epochs();
                break;
            }
        }
        int bestEpoch = stopper == null ? results.size() - 1 : stopper.finish(results.size() - 1);
        History h = new History(List.copyOf(results), bestEpoch, stoppedEarly, run.step);
        for (TrainingListener l : listeners) {
            l.onEnd(h);
        }
        return h;
    }

    /** One epoch: every batch once at the epoch's rate, then the validation. */
    private EpochResult epoch(Run run, int epoch, Dataset validation) {
        long t0 = System.nanoTime();
        double lr = config.schedule().rate(config.sgd().lr(), epoch);
        run.sgd.setLearningRate(lr);
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        for (int b = 0; run.batches.next(); b++) {
            StepResult s = step(run, epoch, b, lr);
            lossSum += s.loss() * s.samples();
            correct += s.correct();
            seen += s.samples();
        }
        Evaluation val = validation == null ? null : run.model.evaluate(validation);
        return new EpochResult(epoch, lossSum / seen, (double) correct / seen, lr, val, (System.nanoTime() - t0) / 1e9, seen);
    }

    /** What one step saw: the batch's loss, its size and how many of it the model got right before the update. */
    private record StepResult(double loss, int samples, long correct) {
    }

    /**
     * Whether a {@link SoftmaxClassifier} trained on plain cross-entropy takes the fused step
     * ({@link Functional#linearCrossEntropyGrad}: the same loss and gradient bits as the graph, without
     * building it): on unless {@code -Dsoftgrad.fusedStep=false}; tests switch it to compare the two.
     */
    static volatile boolean fusedStep = !"false".equals(System.getProperty("softgrad.fusedStep"));

    /** One step on the current batch: forward, loss, backward, listeners, clipping, update; in an arena scope. */
    private StepResult step(Run run, int epoch, int batch, double lr) {
        INDArray features = run.batches.features();
        int[] labels = run.batches.labels();
        try (Arena.Scope scope = run.arena.open()) {
            Tensor logits;
            double value;
            if (run.fused != null) { // the linear softmax classifier on plain cross-entropy: no graph
                INDArray z = run.logits(labels.length);
                run.sgd.zeroGrad();
                try {
                    value = Functional.linearCrossEntropyGrad(Tensor.constant(features), run.fused.weight(),
                            run.fused.bias(), labels, SoftmaxCrossEntropy.Options.DEFAULT, z);
                } catch (IllegalArgumentException e) {
                    throw finiteOrDiverged(z, e, epoch, batch, lr);
                }
                logits = Tensor.constant(z);
            } else {
                logits = run.model.forward(Tensor.constant(features));
                Tensor loss;
                try {
                    loss = config.loss().apply(logits, labels, features);
                } catch (IllegalArgumentException e) {
                    throw finiteOrDiverged(logits.value(), e, epoch, batch, lr);
                }
                value = loss.item();
                if (Double.isFinite(value)) {
                    run.sgd.zeroGrad();
                    loss.backward();
                }
            }
            if (!Double.isFinite(value)) {
                throw diverged("loss", value, epoch, batch, lr, null);
            }
            long correct = Argmax.countCorrect(logits.value(), labels);
            if (!listeners.isEmpty()) {
                TrainingListener.StepEvent ev = new TrainingListener.StepEvent(epoch, run.step, batch, run.batches.perEpoch(),
                        value, lr, logits, labels, run.model);
                for (TrainingListener l : listeners) {
                    l.onStep(ev);
                }
            }
            if (config.clipNorm() > 0) {
                run.sgd.clipGradNorm(config.clipNorm());
            }
            run.sgd.step();
            run.step++;
            return new StepResult(value, labels.length, correct);
        }
    }

    /** What a run carries from step to step: the model, its optimiser, the arena, the batches and the step count. */
    private final class Run {
        final Classifier model;
        final List<Tensor> params;
        final Sgd sgd;
        final Arena arena = new Arena();
        final Batches batches;
        /** The model when it takes the fused step, else null. */
        final SoftmaxClassifier fused;
        /** The fused step's logits for the two batch sizes of an epoch (full batches, the last one). */
        private final INDArray[] logits = new INDArray[2];
        long step;

        Run(Classifier model, Dataset train) {
            this.model = model;
            this.params = model.parameters();
            this.sgd = new Sgd(params, config.sgd());
            this.batches = new Batches(train);
            Loss loss = config.loss();
            this.fused = fusedStep && model instanceof SoftmaxClassifier m && loss.kind() == Loss.Kind.CROSS_ENTROPY
                    && loss.logitL2() == 0 ? m : null;
        }

        /** An array [n, K] for the fused step's logits, kept between steps (zeros when new). */
        INDArray logits(int n) {
            for (INDArray z : logits) {
                if (z != null && z.size(0) == n) {
                    return z;
                }
            }
            logits[1] = logits[0];
            logits[0] = Nd4j.zeros(model.dataType(), n, model.numClasses());
            return logits[0];
        }
    }

    /**
     * The batches of an epoch, one after the other. A batch that holds the whole set needs no
     * shuffle and no copy: its rows are used in data-set order, in place.
     */
    private final class Batches {
        private final Dataset train;
        private final MiniBatchIterator iterator;
        private boolean fullBatchDone;
        private INDArray features;
        private int[] labels;

        Batches(Dataset train) {
            this.train = train;
            this.iterator = config.batchSize() >= train.size() ? null
                    : new MiniBatchIterator(train, config.batchSize(), true, false, config.seed());
        }

        int perEpoch() {
            return iterator == null ? 1 : iterator.batchesPerEpoch();
        }

        /** Moves to the next batch of the epoch; false (and ready for the next epoch) when the epoch is over. */
        boolean next() {
            if (iterator == null) {
                fullBatchDone = !fullBatchDone;
                features = train.features();
                labels = train.labels();
                return fullBatchDone;
            }
            if (!iterator.hasNext()) {
                iterator.reset();
                return false;
            }
            MiniBatch b = iterator.next();
            features = b.features();
            labels = b.labels();
            return true;
        }

        INDArray features() {
            return features;
        }

        int[] labels() {
            return labels;
        }
    }

    /** The loss's exception as it is when the logits are finite (bad labels, say), else "diverged" with it as cause. */
    private static RuntimeException finiteOrDiverged(INDArray logits, IllegalArgumentException e, int epoch, int batch,
            double lr) {
        return Double.isFinite(logits.sumNumber().doubleValue()) ? e : diverged("logits", Double.NaN, epoch, batch, lr, e);
    }

    private static IllegalStateException diverged(String what, double value, int epoch, int batch, double lr, Exception cause) {
        return new IllegalStateException("fit: training diverged: the " + what + " became " + (what.equals("loss") ? value
                : "non-finite") + " at epoch " + epoch + ", batch " + batch + " (learning rate " + lr
                + "); try a lower learning rate or gradient clipping", cause);
    }

    private static void checkData(String what, Classifier model, Dataset data) {
        Objects.requireNonNull(data, what);
        if (data.numFeatures() != model.numFeatures()) {
            throw new IllegalArgumentException(what + ": the model takes " + model.numFeatures() + " features, data set '"
                    + data.name() + "' has " + data.numFeatures());
        }
        if (data.dataType() != model.dataType()) {
            throw new IllegalArgumentException(what + ": the model is " + model.dataType() + ", data set '" + data.name()
                    + "' is " + data.dataType() + " (convert with Dataset.asType)");
        }
        if (data.numClasses() > model.numClasses()) {
            throw new IllegalArgumentException(what + ": the model has " + model.numClasses() + " classes, data set '"
                    + data.name() + "' has " + data.numClasses());
        }
    }
}
