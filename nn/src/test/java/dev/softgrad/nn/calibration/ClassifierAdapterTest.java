package dev.softgrad.nn.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.softgrad.nn.Init;
import dev.softgrad.nn.SoftmaxClassifier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** nn's classifiers plug in with a method reference, and both routes to softmax(z / T) agree. */
class ClassifierAdapterTest {

    @Test
    void softmaxClassifierAsLogitModel() {
        SoftmaxClassifier classifier = new SoftmaxClassifier(6, 4, Init.normal(2.0, 5), DataType.DOUBLE);
        CalibratedModel calibrated = TemperatureScaling.wrap(classifier::logits, 2.5);
        int[] unused = new int[50];
        INDArray x = TemperatureScalingTest.randomLogits(50, 6, 1.0, 1.0, 8, unused); // any [50, 6] features
        INDArray ours = calibrated.probabilities(x);
        INDArray theirs = classifier.probabilities(x, 2.5);
        double[][] a = ours.toDoubleMatrix();
        double[][] b = theirs.toDoubleMatrix();
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(b[i], a[i], 1e-15, "row " + i);
        }
        assertArrayEquals(classifier.predict(x), calibrated.predict(x));
        assertEquals(DataType.DOUBLE, ours.dataType());
        SoftmaxClassifier f32 = new SoftmaxClassifier(6, 4, Init.normal(2.0, 5), DataType.FLOAT);
        assertEquals(DataType.FLOAT, TemperatureScaling.wrap(f32::logits, 0.5).probabilities(x.castTo(DataType.FLOAT))
                .dataType());
    }
}
