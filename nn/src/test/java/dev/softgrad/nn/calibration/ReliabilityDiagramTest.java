package dev.softgrad.nn.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** PNG and JSON of reliability diagrams for the over-confident model before and after scaling. */
class ReliabilityDiagramTest {

    static INDArray testLogits;
    static int[] testLabels;
    static double temperature;

    @BeforeAll
    static void trainOnce() {
        OverConfident oc = OverConfident.train(3, 1000);
        LogitModel model = oc.model();
        temperature = TemperatureScaling.fit(model.logits(oc.validation.features()), oc.validation.labels()).temperature();
        testLogits = model.logits(oc.test.features());
        testLabels = oc.test.labels();
    }

    @Test
    void beforeAfterPngAndJson(@TempDir Path dir) throws IOException {
        ReliabilityDiagram.Comparison c = ReliabilityDiagram.compare(testLogits, testLabels, temperature, 15);
        Path png = dir.resolve("plots/reliability.png");
        Path json = dir.resolve("plots/reliability.json");
        c.writePng(png);
        c.writeJson(json);

        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "a readable PNG");
        assertEquals(2 * ReliabilityDiagram.WIDTH, image.getWidth());
        assertEquals(ReliabilityDiagram.RELIABILITY_HEIGHT + ReliabilityDiagram.COUNTS_HEIGHT, image.getHeight());

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(temperature, root.get("temperature").asDouble(), 0.0);
        assertEquals(15, root.get("numBins").asInt());
        assertEquals("EQUAL_WIDTH", root.get("binning").asText());
        INDArray p1 = TemperatureScaling.probabilities(testLogits, 1.0);
        INDArray pt = TemperatureScaling.probabilities(testLogits, temperature);
        JsonNode before = root.get("before");
        JsonNode after = root.get("after");
        assertEquals(CalibrationMetrics.ece(p1, testLabels), before.get("ece").asDouble(), 1e-12);
        assertEquals(CalibrationMetrics.ece(pt, testLabels), after.get("ece").asDouble(), 1e-12);
        assertEquals(CalibrationMetrics.mce(pt, testLabels), after.get("mce").asDouble(), 1e-12);
        assertEquals(CalibrationMetrics.brier(pt, testLabels), after.get("brier").asDouble(), 1e-12);
        assertEquals(TemperatureScaling.nll(testLogits, testLabels, temperature), after.get("nll").asDouble(), 1e-12);
        assertEquals(before.get("accuracy").asDouble(), after.get("accuracy").asDouble(), 0.0);
        assertTrue(after.get("ece").asDouble() < before.get("ece").asDouble());
        for (JsonNode section : List.of(before, after)) {
            JsonNode bins = section.get("bins");
            assertEquals(15, bins.size());
            int total = 0;
            double ece = 0;
            for (int m = 0; m < 15; m++) {
                JsonNode b = bins.get(m);
                assertEquals(m / 15.0, b.get("lo").asDouble(), 0.0);
                assertEquals((m + 1) / 15.0, b.get("hi").asDouble(), 0.0);
                int count = b.get("count").asInt();
                total += count;
                if (count == 0) {
                    assertTrue(b.get("accuracy").isNull() && b.get("meanConfidence").isNull() && b.get("gap").isNull(),
                            "empty bin " + m + " has nulls, not NaN");
                } else {
                    double conf = b.get("meanConfidence").asDouble();
                    assertTrue(conf > m / 15.0 && conf <= (m + 1) / 15.0, "bin " + m + " mean confidence " + conf);
                    assertEquals(conf - b.get("accuracy").asDouble(), b.get("gap").asDouble(), 1e-15);
                    ece += count * Math.abs(b.get("gap").asDouble());
                }
            }
            assertEquals(testLabels.length, total);
            assertEquals(testLabels.length, section.get("n").asInt());
            assertEquals(section.get("ece").asDouble(), ece / total, 1e-12, "ECE from the bins in the JSON");
        }
        assertTrue(before.get("bins").get(14).get("count").asInt() > testLabels.length / 2,
                "over-confident: most predictions above 14/15 before scaling");
        try (Stream<Path> files = Files.list(png.getParent())) {
            assertEquals(List.of("reliability.json", "reliability.png"),
                    files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList()),
                    "no temporary file left behind");
        }
    }

    @Test
    void singleDiagramOverwritesAtomically(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("one.png");
        Files.writeString(png, "old content");
        ReliabilityBins bins = ReliabilityBins.topLabel(TemperatureScaling.probabilities(testLogits, 1.0), testLabels, 10,
                ReliabilityBins.Binning.EQUAL_MASS);
        ReliabilityDiagram.writePng(png, bins, "equal-mass bins");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertEquals(ReliabilityDiagram.WIDTH, image.getWidth());
        assertEquals(ReliabilityDiagram.RELIABILITY_HEIGHT + ReliabilityDiagram.COUNTS_HEIGHT, image.getHeight());

        JsonNode root = new ObjectMapper().readTree(ReliabilityDiagram.toJson(bins));
        assertEquals("EQUAL_MASS", root.get("binning").asText());
        assertEquals(bins.ece(), root.get("ece").asDouble(), 0.0);
        assertEquals(bins.rms(), root.get("rms").asDouble(), 0.0);
        for (JsonNode b : root.get("bins")) {
            int count = b.get("count").asInt();
            assertTrue(count == testLabels.length / 10 || count == testLabels.length / 10 + 1
                    || count == 0, "equal mass: " + count);
        }
    }

    @Test
    void badInput(@TempDir Path dir) throws IOException {
        assertThrows(IllegalArgumentException.class, () -> ReliabilityDiagram.compare(testLogits, testLabels, 0.0, 15));
        assertThrows(IllegalArgumentException.class, () -> ReliabilityDiagram.compare(testLogits, testLabels, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> ReliabilityDiagram.compare(testLogits, new int[3], 1.0, 15));
        assertThrows(IllegalArgumentException.class, () -> ReliabilityDiagram.toJson(null));
        ReliabilityDiagram.Comparison c = ReliabilityDiagram.compare(testLogits, testLabels, 2.0, 15);
        Path aDirectory = Files.createDirectory(dir.resolve("taken"));
        Files.writeString(aDirectory.resolve("x"), "x");
        assertThrows(IOException.class, () -> c.writePng(aDirectory), "a non-empty folder cannot be replaced by a file");
    }

    @Test
    void mceOverBinsWithAMinimumCountIgnoresAOneSampleBin() throws IOException {
        // one wrong prediction at confidence 0.85 (gap 0.85), twenty at 0.95 of which 18 right (gap 0.05)
        double[] conf = new double[21];
        boolean[] right = new boolean[21];
        conf[0] = 0.85;
        for (int i = 1; i <= 20; i++) {
            conf[i] = 0.95;
            right[i] = i > 2;
        }
        ReliabilityBins bins = ReliabilityBins.of(conf, right, 10, ReliabilityBins.Binning.EQUAL_WIDTH);
        assertEquals(0.85, bins.mce(), 1e-12, "the plain MCE is the one-sample bin's gap");
        assertEquals(0.05, bins.mce(ReliabilityDiagram.MIN_BIN_COUNT), 1e-12);
        assertEquals(0.85, bins.mce(1), 1e-12);
        assertEquals(0.0, bins.mce(21), 0.0, "no bin holds 21");
        assertThrows(IllegalArgumentException.class, () -> bins.mce(0));
        JsonNode root = new ObjectMapper().readTree(ReliabilityDiagram.toJson(bins));
        assertEquals(ReliabilityDiagram.MIN_BIN_COUNT, root.get("minBinCount").asInt());
        assertEquals(0.05, root.get("mceOverBinsOfMinCount").asDouble(), 1e-12);
    }
}
