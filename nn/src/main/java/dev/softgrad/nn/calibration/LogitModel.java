package dev.softgrad.nn.calibration;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Anything that maps features {@code [N, D]} to unnormalised class scores (logits) {@code [N, K]}:
 * the one thing temperature scaling needs from a classifier. A softgrad model adapts to it with a
 * method reference, e.g. {@code LogitModel m = x -> Functional.linear(Tensor.constant(x), w, b).value()}.
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
