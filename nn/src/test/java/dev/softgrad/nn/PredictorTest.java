package dev.softgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Standardizer;
import dev.softgrad.nn.calibration.TemperatureScaling;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Prediction from plain rows, the evaluation report, and the Predictor that carries scaling, names and T. */
class PredictorTest {
    private static final double[][] ROWS = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};

    private static void assertMessage(Executable e, String fragment) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(fragment), "message '" + ex.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void aClassifierPredictsFromPlainRowsAsFromTheSameMatrix() {
        SoftmaxClassifier m = ClassifierTest.handModel();
        // logits [1, 0, -0.5], [0, 2, 0.5], [-1, 0, 1.5], [0, -2, 0.5]
        assertArrayEquals(new int[] {0, 1, 2, 2}, m.predict(ROWS));
        assertArrayEquals(m.predict(ClassifierTest.X), m.predict(ROWS));
        double[][] p = m.probabilities(ROWS, 2.0);
        double s = Math.exp(0.5) + Math.exp(0) + Math.exp(-0.25);
        assertArrayEquals(new double[] {Math.exp(0.5) / s, 1 / s, Math.exp(-0.25) / s}, p[0], 1e-15);
        assertEquals(0, m.predict(new double[0][]).length);
        double[][] p1 = m.probabilities(ROWS);
        double s1 = Math.exp(1) + 1 + Math.exp(-0.5);
        assertArrayEquals(new double[] {Math.exp(1) / s1, 1 / s1, Math.exp(-0.5) / s1}, p1[0], 1e-15);
        // a float32 model takes the rows rounded to float32
        SoftmaxClassifier f = new SoftmaxClassifier(2, 3, Init.xavierUniform(3), DataType.FLOAT);
        INDArray x = Nd4j.createFromArray(new float[][] {{0.1f, 0.7f}, {-2.5f, 1e3f}});
        assertArrayEquals(f.predict(x), f.predict(new double[][] {{0.1, 0.7}, {-2.5, 1e3}}));
    }

    @Test
    void badRowsSayWhichRowAndWhatIsWrong() {
        SoftmaxClassifier m = ClassifierTest.handModel();
        assertMessage(() -> m.predict(new double[][] {{1, 0}, {1, 2, 3}}), "predict: rows[1]: expected 2 values (the model's features), got 3");
        assertMessage(() -> m.predict(new double[][] {null}), "rows[0]: expected 2 values (the model's features), got null");
        assertMessage(() -> m.probabilities(new double[][] {{0, Double.NaN}}, 1.0), "probabilities: rows[0][1]: expected a finite number, got NaN");
        SoftmaxClassifier f = new SoftmaxClassifier(2, 3, Init.zeros(), DataType.FLOAT);
        assertMessage(() -> f.predict(new double[][] {{1e39, 0}}), "rows[0][0]: expected a finite number within float32's range, got 1.0E39");
        assertMessage(() -> m.probabilities(ROWS, 0.0), "temperature must be a finite number > 0, got 0.0");
    }

    @Test
    void theEvaluationPrintsTheConfusionMatrixAndPerClassScoresByName() {
        // predictions 0, 1, 2, 2 against labels 0, 2, 2, 1 (ClassifierTest.evaluationByHand)
        Evaluation ev = ClassifierTest.handModel().evaluate(new Dataset("hand", ClassifierTest.X, new int[] {0, 2, 2, 1},
                List.of("cat", "dog", "a-very-long-class-name")));
        String[] lines = ev.toString().split("\\R");
        assertTrue(lines[0].startsWith("accuracy 0.5000, loss "), lines[0]);
        assertTrue(lines[0].endsWith("macro F1 0.5000 (4 rows)"), lines[0]);
        assertTrue(lines[1].startsWith("confusion matrix"), lines[1]);
        assertEquals(List.of("cat", "dog", "a-very-long-cla~"), List.of(lines[2].trim().split("\\s+")));
        assertEquals(List.of("cat", "1", "0", "0"), List.of(lines[3].trim().split("\\s+")));
        assertEquals(List.of("dog", "0", "0", "1"), List.of(lines[4].trim().split("\\s+")));
        assertEquals(List.of("a-very-long-cla~", "0", "1", "1"), List.of(lines[5].trim().split("\\s+")));
        assertEquals(List.of("class", "precision", "recall", "F1", "support"), List.of(lines[6].trim().split("\\s+")));
        assertEquals(List.of("cat", "1.0000", "1.0000", "1.0000", "1"), List.of(lines[7].trim().split("\\s+")));
        assertEquals(List.of("dog", "0.0000", "0.0000", "0.0000", "1"), List.of(lines[8].trim().split("\\s+")));
        assertEquals(List.of("a-very-long-cla~", "0.5000", "0.5000", "0.5000", "2"), List.of(lines[9].trim().split("\\s+")));
        assertEquals(10, lines.length);
        // the matrix's columns line up under their names
        assertEquals(lines[2].length(), lines[3].length());
    }

    @Test
    void aPredictorScalesRawRowsNamesTheClassesAndCalibrates() {
        SoftmaxClassifier m = ClassifierTest.handModel();
        // raw = scaled * 2 + 10: the standardizer (mean 10, scale 2) maps raw rows back onto ROWS
        double[][] raw = new double[ROWS.length][2];
        for (int i = 0; i < ROWS.length; i++) {
            for (int j = 0; j < 2; j++) {
                raw[i][j] = ROWS[i][j] * 2 + 10;
            }
        }
        Predictor p = new Predictor(m, Standardizer.of(new double[] {10, 10}, new double[] {2, 2}), List.of("a", "b", "c"), 2.0);
        assertArrayEquals(new int[] {0, 1, 2, 2}, p.predict(raw));
        assertEquals(List.of("a", "b", "c", "c"), p.predictNames(raw));
        assertArrayEquals(m.probabilities(ROWS, 2.0)[3], p.probabilities(raw)[3], 0.0);
        // the evaluation is of the calibrated probabilities: its loss is the NLL at T
        INDArray rawX = Nd4j.createFromArray(raw);
        int[] labels = {0, 2, 2, 1};
        Evaluation ev = p.evaluate(new Dataset("raw", rawX, labels, List.of("a", "b", "c")));
        assertEquals(0.5, ev.accuracy(), 0.0);
        assertEquals(TemperatureScaling.nll(m.logits(ClassifierTest.X), labels, 2.0), ev.loss(), 1e-14);
        assertEquals(m.evaluate(new Dataset("x", ClassifierTest.X, labels, List.of("a", "b", "c"))).loss(),
                new Predictor(m, p.standardizer(), p.classNames(), 1.0).evaluate(new Dataset("raw", rawX, labels, List.of("a", "b", "c"))).loss(),
                1e-14, "at T = 1 the loss is the model's");
        assertMessage(() -> p.evaluate(new Dataset("raw", rawX, labels, List.of("b", "a", "c"))),
                "has the classes [b, a, c], the model [a, b, c]");
        Predictor plain = Predictor.of(m);
        assertEquals(List.of("0", "1", "2"), plain.classNames());
        assertArrayEquals(m.predict(ROWS), plain.predict(ROWS));
    }

    @Test
    void aPredictorRefusesPartsThatDoNotFitTheModel() {
        SoftmaxClassifier m = ClassifierTest.handModel();
        Standardizer two = Standardizer.of(new double[2], new double[] {1, 1});
        assertMessage(() -> new Predictor(m, Standardizer.of(new double[3], new double[] {1, 1, 1}), List.of("a", "b", "c"), 1),
                "the standardizer was fitted on 3 features, the model takes 2");
        assertMessage(() -> new Predictor(m, two, List.of("a", "b"), 1), "expected 3 class names (the model's classes), got 2");
        assertMessage(() -> new Predictor(m, two, List.of("a", "b", "a"), 1), "expected distinct, non-empty class names");
        assertMessage(() -> new Predictor(m, two, List.of("a", "b", ""), 1), "expected distinct, non-empty class names");
        assertMessage(() -> new Predictor(m, two, List.of("a", "b", "c"), Double.NaN), "temperature must be finite and > 0, got NaN");
        assertMessage(() -> new Predictor(m, two, List.of("a", "b", "c"), -1), "temperature must be finite and > 0, got -1.0");
    }
}
