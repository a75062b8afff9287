package dev.softgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Modules, initialisation, and a classifier's predictions and evaluation, checked by hand. */
class ClassifierTest {

    /** W = [[1, 0, -1], [0, 2, 0]], b = [0, 0, 0.5]: a 2-feature, 3-class model with known logits. */
    static SoftmaxClassifier handModel() {
        SoftmaxClassifier m = new SoftmaxClassifier(2, 3, Init.zeros(), DataType.DOUBLE);
        m.weight().value().assign(Nd4j.createFromArray(new double[][] {{1, 0, -1}, {0, 2, 0}}));
        m.bias().value().assign(Nd4j.createFromArray(0, 0, 0.5));
        return m;
    }

    static final INDArray X = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {-1, 0}, {0, -1}});
    // logits: [1, 0, -0.5], [0, 2, 0.5], [-1, 0, 1.5], [0, -2, 0.5]

    @Test
    void parametersAreNamedAndZeroable() {
        Mlp mlp = new Mlp(4, new int[] {5, 6}, 3, Activation.TANH, Init.xavierUniform(1), DataType.FLOAT);
        assertEquals(List.of("layer0.weight", "layer0.bias", "layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"),
                List.copyOf(mlp.namedParameters().keySet()));
        assertArrayEquals(new long[] {5, 6}, mlp.namedParameters().get("layer1.weight").shape());
        assertEquals(4 * 5 + 5 + 5 * 6 + 6 + 6 * 3 + 3, mlp.parameterCount());
        mlp.forward(Tensor.constant(Nd4j.ones(DataType.FLOAT, 2, 4))).sum().backward();
        assertTrue(mlp.layers().get(0).weight().grad().amaxNumber().doubleValue() > 0);
        mlp.zeroGrad();
        for (Tensor p : mlp.parameters()) {
            assertEquals(0.0, p.grad().amaxNumber().doubleValue(), 0.0);
        }
    }

    @Test
    void initialisationIsSeededAndScaled() {
        INDArray a = Init.xavierUniform(3).weight(200, 100, DataType.DOUBLE);
        assertEquals(a, Init.xavierUniform(3).weight(200, 100, DataType.DOUBLE), "same seed, same weights");
        assertNotEquals(a, Init.xavierUniform(4).weight(200, 100, DataType.DOUBLE));
        double bound = Math.sqrt(6.0 / 300);
        assertTrue(a.amaxNumber().doubleValue() <= bound);
        assertEquals(bound / Math.sqrt(3), a.stdNumber().doubleValue(), 0.02 * bound, "U(-a, a) has std a / sqrt(3)");
        INDArray h = Init.heNormal(5).weight(400, 50, DataType.DOUBLE);
        assertEquals(Math.sqrt(2.0 / 400), h.stdNumber().doubleValue(), 0.03 * Math.sqrt(2.0 / 400));
        assertEquals(0.0, h.meanNumber().doubleValue(), 0.05 * Math.sqrt(2.0 / 400));
        assertEquals(3.0, Init.normal(3.0, 1).weight(100, 100, DataType.FLOAT).stdNumber().doubleValue(), 0.1);
        assertEquals(0.0, Init.zeros().weight(3, 4, DataType.FLOAT).amaxNumber().doubleValue(), 0.0);
        Linear l = new Linear(3, 4, Init.heNormal(1), DataType.FLOAT);
        assertEquals(0.0, l.bias().value().amaxNumber().doubleValue(), 0.0, "biases start at zero");
        Mlp mlp = new Mlp(3, new int[] {4}, 2, Activation.RELU, Init.heNormal(1), DataType.FLOAT);
        assertEquals(l.weight().value(), mlp.layers().get(0).weight().value(), "layer 0 uses the seed itself");
    }

    @Test
    void predictTopKAndProbabilitiesByHand() {
        SoftmaxClassifier m = handModel();
        assertArrayEquals(new int[] {0, 1, 2, 2}, m.predict(X));
        int[][] top = m.topK(X, 2);
        assertArrayEquals(new int[] {0, 1}, top[0]);
        assertArrayEquals(new int[] {1, 2}, top[1]);
        assertArrayEquals(new int[] {2, 1}, top[2]);
        assertArrayEquals(new int[] {2, 0}, top[3]);
        INDArray p = m.probabilities(X);
        double s0 = Math.exp(1) + 1 + Math.exp(-0.5);
        assertEquals(Math.exp(1) / s0, p.getDouble(0, 0), 1e-15);
        assertEquals(Math.exp(-0.5) / s0, p.getDouble(0, 2), 1e-15);
        INDArray hot = m.probabilities(X, 2.0);
        double t0 = Math.exp(0.5) + 1 + Math.exp(-0.25);
        assertEquals(Math.exp(0.5) / t0, hot.getDouble(0, 0), 1e-15, "softmax(z / T)");
        assertTrue(hot.getDouble(1, 1) < p.getDouble(1, 1), "T > 1 flattens");
        assertTrue(m.probabilities(X, 0.1).getDouble(1, 1) > 0.999, "T < 1 sharpens");
        assertEquals(1.0, m.probabilities(X, 1e-3).getDouble(3, 2), 0.0, "tiny T stays finite (max-shifted)");
        assertThrows(IllegalArgumentException.class, () -> m.probabilities(X, 0));
        assertThrows(IllegalArgumentException.class, () -> m.topK(X, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(Nd4j.ones(DataType.DOUBLE, 2, 3)));
        assertTrue(e.getMessage().contains("[N, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.predict(Nd4j.ones(DataType.FLOAT, 2, 2)));
    }

    @Test
    void evaluationByHand() {
        SoftmaxClassifier m = handModel();
        // predictions 0, 1, 2, 2 against labels 0, 2, 2, 1
        Dataset d = new Dataset("hand", X, new int[] {0, 2, 2, 1}, List.of("a", "b", "c"));
        Evaluation ev = m.evaluate(d);
        assertEquals(0.5, ev.accuracy(), 0.0);
        long[][] expected = {{1, 0, 0}, {0, 0, 1}, {0, 1, 1}};
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(expected[i], ev.confusion()[i]);
        }
        assertArrayEquals(new double[] {1.0, 0.0, 0.5}, ev.precision(), 1e-15);
        assertArrayEquals(new double[] {1.0, 0.0, 0.5}, ev.recall(), 1e-15);
        assertArrayEquals(new double[] {1.0, 0.0, 0.5}, ev.f1(), 1e-15);
        assertEquals(0.5, ev.macroF1(), 1e-15);
        double[][] z = {{1, 0, -0.5}, {0, 2, 0.5}, {-1, 0, 1.5}, {0, -2, 0.5}};
        int[] y = {0, 2, 2, 1};
        double loss = 0;
        for (int i = 0; i < 4; i++) {
            double s = 0;
            for (double v : z[i]) {
                s += Math.exp(v);
            }
            loss += Math.log(s) - z[i][y[i]];
        }
        assertEquals(loss / 4, ev.loss(), 1e-14);
    }

    @Test
    void aClassNeverPredictedHasZeroPrecision() {
        SoftmaxClassifier m = handModel();
        Dataset d = new Dataset("hand", X.getRows(0, 1), new int[] {0, 0}, List.of("a", "b", "c"));
        Evaluation ev = m.evaluate(d);
        // predictions 0, 1 against labels 0, 0
        assertEquals(1.0, ev.precision()[0], 0.0);
        assertEquals(0.5, ev.recall()[0], 0.0);
        assertEquals(0.0, ev.precision()[1], 0.0);
        assertEquals(0.0, ev.precision()[2], 0.0, "never predicted: 0/0 -> 0");
        assertEquals(0.0, ev.recall()[1], 0.0, "absent class: 0/0 -> 0");
        assertEquals(0.0, ev.f1()[2], 0.0);
    }
}
