package dev.softgrad.nn.calibration;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A classifier with a temperature: its probabilities are softmax(z / T) of the wrapped model's logits
 * z. Predictions are the arg-max of the raw logits, so scaling never changes them (ties go to the
 * lowest class). It is itself a {@link LogitModel} whose logits are z / T, so it composes.
 * Immutable if the wrapped model is.
 *
 * <pre>{@code
 * CalibratedModel m = TemperatureScaling.wrap(x -> myModel.logits(x), 1.7);
 * INDArray probs = m.probabilities(features);    // [N, K]
 * int[] classes = m.predict(features);           // same as the uncalibrated model's
 * }</pre>
 */
public final class CalibratedModel implements LogitModel {

    private final LogitModel model;
    private final double temperature;

    /**
     * @param model       produces logits [N, K] from features [N, D]
     * @param temperature T &gt; 0, finite
     */
    public CalibratedModel(LogitModel model, double temperature) {
        if (model == null) {
            throw new IllegalArgumentException("CalibratedModel: model must not be null");
        }
        TemperatureScaling.checkTemperature("CalibratedModel", temperature);
        this.model = model;
        this.temperature = temperature;
    }

    /** The temperature T. */
    public double temperature() {
        return temperature;
    }

    /** The wrapped, uncalibrated model. */
    public LogitModel model() {
        return model;
    }

    /** Scaled logits z / T [N, K], in the model's data type (a new array). */
    @Override
    public INDArray logits(INDArray features) {
        return model.logits(features).div(temperature);
    }

    /** Calibrated probabilities softmax(z / T) [N, K], computed in float64, in the model's data type. */
    public INDArray probabilities(INDArray features) {
        return TemperatureScaling.probabilities(model.logits(features), temperature);
    }

    /** Predicted classes: the first arg-max of the raw logits of each row (independent of T). */
    public int[] predict(INDArray features) {
        Inputs.Matrix z = Inputs.logits("CalibratedModel.predict", model.logits(features));
        int[] out = new int[z.rows()];
        for (int i = 0; i < z.rows(); i++) {
            out[i] = Inputs.argmax(z, i);
        }
        return out;
    }
}
