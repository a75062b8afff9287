package dev.softgrad.nn.calibration;

import dev.softgrad.core.Arena;
import dev.softgrad.core.Autograd;
import dev.softgrad.core.Functional;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Split;
import dev.softgrad.datasets.Synthetic;
import dev.softgrad.nn.Sgd;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded over-confident classifier for the tests: a linear softmax model trained for many full-batch
 * steps without regularisation on few, high-dimensional, noisily labelled points, so that it fits the
 * noise and its weights keep growing. Train, validation and test sets share the label noise.
 */
final class OverConfident {

    final Dataset train;
    final Dataset validation;
    final Dataset test;
    final Tensor weight;
    final Tensor bias;

    private OverConfident(Dataset train, Dataset validation, Dataset test, Tensor weight, Tensor bias) {
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.weight = weight;
        this.bias = bias;
    }

    /**
     * Trains the model; deterministic for a seed. 2000 points of 4 Gaussian blobs in 100-D (centres 4
     * apart), 10 % of labels flipped; 400 for training (linearly separable in 100-D, so the noise is
     * memorised and the weights grow for as long as training runs), 800 validation, 800 test.
     */
    static OverConfident train(long seed, int steps) {
        Dataset all = noisy(Synthetic.blobs(2000, 4, 100, 4.0, seed, DataType.DOUBLE), 0.1, seed + 1);
        Split first = Split.stratified(all, 0.8, seed + 2);
        Split rest = Split.stratified(first.test(), 0.5, seed + 3);
        Dataset train = first.train();
        Tensor w = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, train.numFeatures(), train.numClasses()));
        Tensor b = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, train.numClasses()));
        Sgd sgd = new Sgd(List.of(w, b), Sgd.Config.plain(0.5));
        Tensor x = Tensor.constant(train.features());
        int[] y = train.labels();
        Arena arena = new Arena();
        for (int step = 0; step < steps; step++) {
            try (Arena.Scope s = arena.open()) {
                sgd.zeroGrad();
                Losses.crossEntropy(Functional.linear(x, w, b), y).backward();
                sgd.step();
            }
        }
        return new OverConfident(train, rest.train(), rest.test(), w, b);
    }

    /** The model as a LogitModel: x W + b, a fresh array. */
    LogitModel model() {
        return features -> {
            try (Autograd.Scope s = Autograd.noGrad()) {
                return Functional.linear(Tensor.constant(features), weight, bias).value().dup();
            }
        };
    }

    /** A copy of data whose labels are replaced, with probability rate each, by another class drawn uniformly. */
    static Dataset noisy(Dataset data, double rate, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] labels = data.labels();
        int k = data.numClasses();
        for (int i = 0; i < labels.length; i++) {
            if (rnd.nextDouble() < rate) {
                labels[i] = (labels[i] + 1 + rnd.nextInt(k - 1)) % k;
            }
        }
        return new Dataset(data.name() + "/noisy", data.features(), labels, data.classNames());
    }

    static INDArray logits(LogitModel m, Dataset d) {
        return m.logits(d.features());
    }
}
