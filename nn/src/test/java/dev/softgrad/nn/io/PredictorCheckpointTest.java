package dev.softgrad.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.datasets.Standardizer;
import dev.softgrad.nn.Mlp;
import dev.softgrad.nn.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** A checkpoint saved from a Predictor carries its standardizer, class names and temperature, strictly. */
class PredictorCheckpointTest {
    private static final List<String> NAMES = List.of("setosa", "versi color", "virginica", "ünïcode", "5");

    /** Statistics that a decimal round trip with too few digits would change. */
    static Predictor predictor(DataType type) {
        Mlp m = new Mlp(10, new int[] {7}, 5, dev.softgrad.nn.Activation.TANH, dev.softgrad.nn.Init.xavierUniform(5), type);
        double[] mean = new double[10];
        double[] scale = new double[10];
        for (int j = 0; j < 10; j++) {
            mean[j] = Math.PI * (j - 4.5) / 7 + 1e-300 * j;
            scale[j] = Math.sqrt(j + 2) / 3;
        }
        mean[3] = -0.0;
        return new Predictor(m, Standardizer.of(mean, scale), NAMES, 1.0 / 3 + 1);
    }

    private static double[][] rows() {
        double[][] rows = new double[4][10];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 10; j++) {
                rows[i][j] = Math.sin(7 * i + j) * 3;
            }
        }
        return rows;
    }

    @Test
    void aPredictorRoundTripsBitForBitAndPredictsTheSame(@TempDir Path dir) throws IOException {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Predictor p = predictor(type);
            Path json = dir.resolve("model-" + type + ".json");
            Checkpoint.save(p, CheckpointTest.provenance(), json);
            Checkpoint.Loaded back = Checkpoint.load(json);
            Predictor q = back.predictor();
            assertTrue(q.model() == back.model(), "one model, reachable both ways");
            assertEquals(NAMES, q.classNames());
            assertEquals(Double.doubleToRawLongBits(p.temperature()), Double.doubleToRawLongBits(q.temperature()));
            double[] m0 = p.standardizer().mean();
            double[] m1 = q.standardizer().mean();
            for (int j = 0; j < m0.length; j++) {
                assertEquals(Double.doubleToRawLongBits(m0[j]), Double.doubleToRawLongBits(m1[j]), "mean[" + j + "] (-0.0 stays -0.0)");
            }
            assertArrayEquals(p.standardizer().scale(), q.standardizer().scale(), 0.0);
            assertArrayEquals(CheckpointTest.weightBytes(p.model()), CheckpointTest.weightBytes(q.model()));
            assertArrayEquals(p.predict(rows()), q.predict(rows()));
            assertEquals(p.predictNames(rows()), q.predictNames(rows()));
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(p.probabilities(rows())[i], q.probabilities(rows())[i], 0.0);
            }
        }
    }

    @Test
    void aCheckpointOfABareModelGivesAPredictorThatChangesNothing(@TempDir Path dir) throws IOException {
        Predictor p = predictor(DataType.DOUBLE);
        Path json = dir.resolve("bare.json");
        Checkpoint.save(p.model(), CheckpointTest.provenance(), json);
        assertFalse(Files.readString(json).contains("\"predictor\""));
        Predictor q = Checkpoint.load(json).predictor();
        assertEquals(List.of("0", "1", "2", "3", "4"), q.classNames());
        assertEquals(1.0, q.temperature(), 0.0);
        assertArrayEquals(p.model().predict(rows()), q.predict(rows()));
        // a version-1 checkpoint (no predictor section either) loads the same way
        Path v1 = CheckpointTest.copyResource("v1-mlp-float32.json", dir);
        assertEquals(List.of("0", "1", "2"), Checkpoint.load(v1).predictor().classNames());
    }

    @Test
    void aBadPredictorSectionFailsNamingTheField(@TempDir Path dir) throws IOException {
        Predictor p = predictor(DataType.FLOAT);
        Path json = dir.resolve("m.json");
        String scale0 = "\"scale\" : [ " + (Math.sqrt(2) / 3);
        String[][] cases = {
            {"\"virginica\",", "", "field 'predictor.classNames': expected an array of 5 names (the model's classes), got 4 entries"},
            {"\"virginica\"", "\"setosa\"", "field 'predictor': Predictor: expected distinct, non-empty class names"},
            {"\"virginica\"", "7", "field 'predictor.classNames[2]': expected a string, got NUMBER"},
            {"\"temperature\" : 1.3333333333333333", "\"temperature\" : \"hot\"", "field 'predictor.temperature': expected a number, got STRING"},
            {"\"temperature\" : 1.3333333333333333", "\"temperature\" : -1.5", "Predictor: temperature must be finite and > 0, got -1.5"},
            {"\"temperature\" : 1.3333333333333333", "\"temperature\" : 1e999", "temperature must be finite and > 0, got Infinity"},
            {scale0, "\"scale\" : [ 0", "Standardizer.of: scale[0] must be finite and > 0, got 0.0"},
            {scale0 + ",", "\"scale\" : [", "field 'predictor.standardizer.scale': expected an array of 10 numbers (the model's features), got 9 entries"},
            {"\"mean\" : [", "\"mean\" : [ null,", "field 'predictor.standardizer.mean': expected an array of 10 numbers"},
            {"\"standardizer\" : {", "\"standardizer\" : 3, \"x\" : {", "field 'standardizer': expected an object, got NUMBER"},
        };
        for (String[] c : cases) {
            Checkpoint.save(p, CheckpointTest.provenance(), json);
            CheckpointTest.rewrite(json, c[0], c[1]);
            CheckpointFormatException e = CheckpointTest.loadFails(json);
            assertTrue(e.getMessage().contains(c[2]), "message '" + e.getMessage() + "' lacks '" + c[2] + "'");
            assertTrue(e.getMessage().contains(json.toAbsolutePath().toString()), "names the file: " + e.getMessage());
        }
    }
}
