package dev.softgrad.nn.io;

import dev.softgrad.core.Tensor;
import dev.softgrad.nn.Activation;
import dev.softgrad.nn.Classifier;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.Mlp;
import dev.softgrad.nn.SoftmaxClassifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What a checkpoint's {@code model} section describes, and the parameters (names and shapes) it
 * implies: the one description that both {@link Checkpoint#save} and the reader use, so that the
 * sizes a file claims can be checked against its bytes before any model is built.
 *
 * @param mlp         an {@link Mlp} (else a {@link SoftmaxClassifier})
 * @param numFeatures D
 * @param numClasses  K
 * @param hidden      the hidden widths (empty for a softmax classifier)
 * @param activation  the hidden non-linearity (null for a softmax classifier)
 * @param dataType    float32 or float64
 * @param init        how the weights were initialised (null when the file does not say: format version 1)
 */
record Architecture(boolean mlp, int numFeatures, int numClasses, int[] hidden, Activation activation, DataType dataType,
        Init init) {

    /** One parameter: its name and shape. */
    record Parameter(String name, long[] shape) {
        long size() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }
    }

    /** The architecture of a model that can be saved. */
    static Architecture of(Classifier model) {
        if (model instanceof Mlp) {
            Mlp m = (Mlp) model;
            return new Architecture(true, m.numFeatures(), m.numClasses(), m.hidden(), m.activation(), m.dataType(), m.init());
        }
        if (model instanceof SoftmaxClassifier) {
            SoftmaxClassifier s = (SoftmaxClassifier) model;
            return new Architecture(false, s.numFeatures(), s.numClasses(), new int[0], null, s.dataType(), s.init());
        }
        throw new IllegalArgumentException("save: only SoftmaxClassifier and Mlp can be saved, got " + model.getClass().getName());
    }

    /** The model's type as the file names it. */
    String type() {
        return mlp ? "Mlp" : "SoftmaxClassifier";
    }

    /** Bytes per weight. */
    int width() {
        return dataType == DataType.FLOAT ? 4 : 8;
    }

    /**
     * The parameters in {@code namedParameters()} order: {@code weight}, {@code bias} for a softmax
     * classifier, {@code layer<i>.weight}, {@code layer<i>.bias} per layer of an MLP.
     */
    List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        int in = numFeatures;
        for (int i = 0; i <= hidden.length; i++) {
            int o = i < hidden.length ? hidden[i] : numClasses;
            String prefix = mlp ? "layer" + i + "." : "";
            out.add(new Parameter(prefix + "weight", new long[] {in, o}));
            out.add(new Parameter(prefix + "bias", new long[] {o}));
            in = o;
        }
        return out;
    }

    /**
     * The number of scalar parameters, counted without overflow; stops counting past {@code max}
     * (then returns a number greater than {@code max}).
     */
    long parameterCount(long max) {
        long count = 0;
        long in = numFeatures;
        for (int i = 0; i <= hidden.length && count <= max; i++) {
            long o = i < hidden.length ? hidden[i] : numClasses;
            count += in * o + o; // in, o < 2^31: no overflow
            in = o;
        }
        return count;
    }

    /**
     * Refuses an architecture past the limits (the same check on save and on load).
     *
     * @param where "save" or the file, for the message
     */
    void checkLimits(String where, Checkpoint.Limits limits) {
        if (hidden.length > limits.maxHiddenLayers()) {
            throw new IllegalArgumentException(where + ": " + hidden.length + " hidden layers, more than the "
                    + limits.maxHiddenLayers() + " a checkpoint may have");
        }
        long count = parameterCount(limits.maxParameters());
        if (count > limits.maxParameters()) {
            throw new IllegalArgumentException(where + ": the architecture has more than " + limits.maxParameters()
                    + " parameters, the most a checkpoint may have");
        }
    }

    /** A fresh model of this architecture (with {@link #init}, or zeros when it is unknown). */
    Classifier build() {
        Init start = init == null ? Init.zeros() : init;
        Classifier model = mlp ? new Mlp(numFeatures, hidden, numClasses, activation, start, dataType)
                : new SoftmaxClassifier(numFeatures, numClasses, start, dataType);
        Map<String, Tensor> actual = model.namedParameters();
        List<Parameter> expected = parameters();
        if (expected.size() != actual.size()) {
            throw new IllegalStateException("Architecture: the model has " + actual.size() + " parameters, the checkpoint"
                    + " format " + expected.size());
        }
        int i = 0;
        for (Map.Entry<String, Tensor> e : actual.entrySet()) {
            Parameter p = expected.get(i++);
            if (!p.name().equals(e.getKey()) || !Arrays.equals(p.shape(), e.getValue().shape())) {
                throw new IllegalStateException("Architecture: the model names parameter " + (i - 1) + " '" + e.getKey()
                        + "' " + Arrays.toString(e.getValue().shape()) + ", the checkpoint format '" + p.name() + "' "
                        + Arrays.toString(p.shape()));
            }
        }
        return model;
    }
}
