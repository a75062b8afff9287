package dev.softgrad.nn.calibration;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Anything that maps features {@code [N, D]} to unnormalised class scores (logits) {@code [N, K]}:
 * the one thing temperature scaling needs from a classifier. nn's classifiers fit with a method
 * reference:
 * <pre>{@code
 * SoftmaxClassifier classifier = ...;
 * CalibratedModel calibrated = TemperatureScaling.wrap(classifier::logits, fit.temperature());
 * }</pre>
 */
@FunctionalInterface
public interface LogitModel {

    /**
     * Logits for a batch.
     *
     * @param features [N, D]
     * @return [N, K], finite or -inf (a masked class); the caller must not keep it across calls if the
     *     model reuses buffers
     */
    INDArray logits(INDArray features);
}
