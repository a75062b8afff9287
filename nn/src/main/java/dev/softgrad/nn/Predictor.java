package dev.softgrad.nn;

import dev.softgrad.core.Dense;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Standardizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything prediction on raw rows needs, in one value: the trained model, the {@link Standardizer}
 * fitted on its training rows (applied to every row before the model sees it), the class names and
 * the temperature T fitted by {@link dev.softgrad.nn.calibration.TemperatureScaling} (probabilities
 * are softmax(z / T); T = 1 leaves them as the model gives them). A checkpoint saves and loads all
 * four as one file.
 *
 * <pre>{@code
 * Predictor predictor = new Predictor(model, scaler, data.classNames(), temperature);
 * List<String> labels = predictor.predictNames(new double[][] {{5.1, 3.5, 1.4, 0.2}});
 * double[][] p = predictor.probabilities(rows);   // calibrated, [N][K]
 * }</pre>
 *
 * @param model        the classifier, trained on standardised features
 * @param standardizer the scaling fitted on the training rows, with the model's number of features
 * @param classNames   K distinct, non-empty names, in class order
 * @param temperature  T, finite and &gt; 0
 */
public record Predictor(Classifier model, Standardizer standardizer, List<String> classNames, double temperature) {

    /** Validates; copies the class names. */
    public Predictor {
        Objects.requireNonNull(model, "Predictor: model must not be null");
        Objects.requireNonNull(standardizer, "Predictor: standardizer must not be null (Predictor.of(model) scales nothing)");
        Objects.requireNonNull(classNames, "Predictor: classNames must not be null");
        if (standardizer.numFeatures() != model.numFeatures()) {
            throw new IllegalArgumentException("Predictor: the standardizer was fitted on " + standardizer.numFeatures()
                    + " features, the model takes " + model.numFeatures());
        }
        if (classNames.size() != model.numClasses()) {
            throw new IllegalArgumentException("Predictor: expected " + model.numClasses() + " class names (the model's classes), got "
                    + classNames.size());
        }
        if (new HashSet<>(classNames).size() != classNames.size() || classNames.stream().anyMatch(n -> n == null || n.isEmpty())) {
            throw new IllegalArgumentException("Predictor: expected distinct, non-empty class names, got " + classNames);
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("Predictor: temperature must be finite and > 0, got " + temperature);
        }
        classNames = List.copyOf(classNames);
    }

    /** A predictor that passes rows to the model unscaled, names the classes "0", "1", ... and uses T = 1. */
    public static Predictor of(Classifier model) {
        Objects.requireNonNull(model, "Predictor.of: model must not be null");
        int d = model.numFeatures();
        double[] ones = new double[d];
        java.util.Arrays.fill(ones, 1.0);
        return new Predictor(model, Standardizer.of(new double[d], ones), Evaluation.indexNames(model.numClasses()), 1.0);
    }

    /** The predicted class index of each raw row ([N][D]). */
    public int[] predict(double[][] rows) {
        return model.predict(standardizer.transform(rows));
    }

    /** The predicted class name of each raw row ([N][D]). */
    public List<String> predictNames(double[][] rows) {
        int[] classes = predict(rows);
        List<String> names = new ArrayList<>(classes.length);
        for (int c : classes) {
            names.add(classNames.get(c));
        }
        return names;
    }

    /** The calibrated probabilities softmax(z / T) of each raw row, [N][K]. */
    public double[][] probabilities(double[][] rows) {
        return model.probabilities(standardizer.transform(rows), temperature);
    }

    /**
     * Accuracy, loss, confusion matrix and per-class scores on a labelled data set as read (not yet
     * standardised); the loss is the mean cross-entropy of the calibrated probabilities,
     * softmax(z / T).
     *
     * @throws IllegalArgumentException if the data set's features or class names differ from the model's
     */
    public Evaluation evaluate(Dataset data) {
        Objects.requireNonNull(data, "data");
        if (!data.classNames().equals(classNames)) {
            throw new IllegalArgumentException("evaluate: data set '" + data.name() + "' has the classes " + data.classNames()
                    + ", the model " + classNames + " (same names in the same order, or the labels mean other classes)");
        }
        if (data.numFeatures() != model.numFeatures()) {
            throw new IllegalArgumentException("evaluate: data set '" + data.name() + "' has " + data.numFeatures()
                    + " features, the model takes " + model.numFeatures());
        }
        Dataset typed = data.dataType() == model.dataType() ? data : data.asType(model.dataType());
        INDArray z = model.logits(standardizer.transform(typed.features()));
        return Evaluation.of(temperature == 1.0 ? z : scaled(z, 1.0 / temperature), data.labels(), classNames);
    }

    /** z * factor, in a new array of z's type. */
    private static INDArray scaled(INDArray z, double factor) {
        INDArray out = z.dup();
        Dense d = Dense.of(out);
        for (int i = 0; i < d.length(); i++) {
            d.set(i, d.get(i) * factor);
        }
        return out;
    }
}
