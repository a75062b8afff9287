package dev.softgrad.nn.calibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softgrad.nn.io.AtomicFiles;
import dev.softgrad.nn.plot.Plots;
import dev.softgrad.nn.plot.ReliabilityChart;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reliability diagrams (DeGroot and Fienberg, 1983; Niculescu-Mizil and Caruana, 2005; Guo et al.,
 * 2017, figure 1) as PNG, and the numbers behind them as JSON.
 *
 * <p>A diagram has two panels over the same confidence axis, drawn by {@link ReliabilityChart}. Above,
 * one bar per bin up to the bin's <b>accuracy</b> (always the accuracy), the gap to the bin's mean
 * confidence outlined from the bar's top: red where the confidence is above the accuracy
 * (over-confident), amber where below (under-confident); the diagonal y = x is drawn, so a calibrated
 * model's bars reach it and have no outline. Below, each bin's share of the predictions with its count
 * written above it. The title gives accuracy, NLL, ECE, MCE and the MCE over bins of at least
 * {@value #MIN_BIN_COUNT} predictions (a one-sample bin's gap is noise).
 *
 * <pre>{@code
 * ReliabilityDiagram.Comparison c = ReliabilityDiagram.compare(testLogits, testLabels, fit.temperature(), 15);
 * c.writePng(Path.of("reliability.png"));    // before | after, side by side
 * c.writeJson(Path.of("reliability.json"));
 * }</pre>
 *
 * <p>Files are written atomically (temporary file in the same folder, forced, then moved into place).
 * JSON has no NaN: an empty bin's confidence, accuracy and gap are {@code null}.
 */
public final class ReliabilityDiagram {

    /** Width of one diagram in pixels. */
    public static final int WIDTH = Plots.WIDTH;
    /** Height of the reliability panel in pixels. */
    public static final int RELIABILITY_HEIGHT = Plots.HEIGHT;
    /** Height of the bin-count panel in pixels. */
    public static final int COUNTS_HEIGHT = ReliabilityChart.COUNTS_HEIGHT;
    /** The fewest predictions a bin needs to count in the second, noise-robust MCE. */
    public static final int MIN_BIN_COUNT = 10;

    private ReliabilityDiagram() {
    }

    /**
     * Calibration of one set of logits before (T = 1) and after temperature scaling, on the same bins.
     *
     * @param temperature the temperature applied in {@code after}
     * @param before      metrics at T = 1 (the NLL from the logits, so never infinite by underflow)
     * @param after       metrics at T
     * @param beforeBins  top-label bins at T = 1
     * @param afterBins   top-label bins at T
     */
    public record Comparison(double temperature, CalibrationMetrics.Summary before, CalibrationMetrics.Summary after,
                             ReliabilityBins beforeBins, ReliabilityBins afterBins) {

        /** The two diagrams side by side (before left, after right), as a PNG written atomically. */
        public void writePng(Path file) throws IOException {
            BufferedImage left = render(beforeBins, "before (T = 1)", before);
            BufferedImage right = render(afterBins, String.format(Locale.ROOT, "after (T = %.3g)", temperature),
                    after);
            Plots.writePng(file, Plots.beside(left, right));
        }

        /** The numbers as JSON: temperature, then for "before" and "after" the metrics and every bin. */
        public String toJson() {
            ObjectNode root = MAPPER.createObjectNode();
            root.put("temperature", temperature);
            root.put("binning", beforeBins.binning().name());
            root.put("numBins", beforeBins.numBins());
            root.put("binRule", BIN_RULE);
            root.set("before", section(before, beforeBins));
            root.set("after", section(after, afterBins));
            return write(root);
        }

        /** Writes {@link #toJson()} atomically (UTF-8). */
        public void writeJson(Path file) throws IOException {
            AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final String BIN_RULE = "equal-width bins ((m-1)/M, m/M]: a confidence on an edge belongs to the bin"
            + " below it (Guo et al., 2017); the first bin also holds 0";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Compares the calibration of logits at T = 1 and at the given temperature.
     *
     * @param logits      [N, K], K &gt;= 2, finite or -inf
     * @param labels      N labels in [0, K); each label's logit finite
     * @param temperature T &gt; 0
     * @param numBins     M &gt;= 1 equal-width bins
     */
    public static Comparison compare(INDArray logits, int[] labels, double temperature, int numBins) {
        String where = "ReliabilityDiagram.compare";
        TemperatureScaling.checkTemperature(where, temperature);
        Inputs.checkBins(where, numBins);
        Inputs.Matrix z = Inputs.logits(where, logits, labels, true);
        Inputs.Matrix p1 = new Inputs.Matrix(TemperatureScaling.softmax(z, 1.0), z.rows(), z.cols());
        Inputs.Matrix pt = new Inputs.Matrix(TemperatureScaling.softmax(z, 1.0 / temperature), z.rows(), z.cols());
        TemperatureScaling.Objective nll = new TemperatureScaling.Objective(z, labels);
        // every label's logit is finite (checked), so no true-class probability is exactly 0
        return new Comparison(temperature, CalibrationMetrics.summary(p1, labels, numBins, nll.eval(1.0).value(), 0),
                CalibrationMetrics.summary(pt, labels, numBins, nll.eval(1.0 / temperature).value(), 0),
                ReliabilityBins.topLabel(p1, labels, numBins, ReliabilityBins.Binning.EQUAL_WIDTH),
                ReliabilityBins.topLabel(pt, labels, numBins, ReliabilityBins.Binning.EQUAL_WIDTH));
    }

    /**
     * Draws one diagram ({@link ReliabilityChart}): the reliability panel (accuracy bars, the gap to
     * the confidence outlined red or amber, the diagonal) above the bin counts, on one confidence axis.
     * The title gives accuracy, ECE, MCE, and the MCE over bins of at least {@value #MIN_BIN_COUNT}.
     *
     * @param bins    the bins to draw
     * @param title   first line of the title
     * @param metrics shown in the title if not null
     * @return an RGB image {@link #WIDTH} x ({@link #RELIABILITY_HEIGHT} + {@link #COUNTS_HEIGHT})
     */
    public static BufferedImage render(ReliabilityBins bins, String title, CalibrationMetrics.Summary metrics) {
        if (bins == null) {
            throw new IllegalArgumentException("ReliabilityDiagram.render: bins must not be null");
        }
        List<ReliabilityChart.Bin> drawn = new ArrayList<>();
        for (ReliabilityBins.Bin b : bins.bins()) {
            drawn.add(new ReliabilityChart.Bin(b.lo(), Math.min(b.hi(), 1.0), b.count(), b.meanConfidence(), b.accuracy()));
        }
        String text = (title == null || title.isBlank() ? "reliability" : title) + ": "
                + (metrics == null ? "" : String.format(Locale.ROOT, "acc %.3f  NLL %.3f  ", metrics.accuracy(), metrics.nll()))
                + String.format(Locale.ROOT, "ECE %.3f  MCE %.3f (bins of %d+: %.3f)", bins.ece(), bins.mce(), MIN_BIN_COUNT,
                        bins.mce(MIN_BIN_COUNT));
        String xTitle = bins.binning() == ReliabilityBins.Binning.EQUAL_WIDTH
                ? "confidence (top-class probability), equal-width bins"
                : "confidence (top-class probability), equal-mass bins";
        return ReliabilityChart.image(text, xTitle, drawn);
    }

    /** Writes one diagram as a PNG, atomically. */
    public static void writePng(Path file, ReliabilityBins bins, String title) throws IOException {
        Plots.writePng(file, render(bins, title, null));
    }

    /** The bins of one diagram as JSON: binning, N, ECE, MCE, RMS and every bin. */
    public static String toJson(ReliabilityBins bins) {
        if (bins == null) {
            throw new IllegalArgumentException("ReliabilityDiagram.toJson: bins must not be null");
        }
        ObjectNode root = MAPPER.createObjectNode();
        root.put("binning", bins.binning().name());
        root.put("numBins", bins.numBins());
        root.setAll(binsNode(bins));
        return write(root);
    }

    /** The bins' node (n, ECE, MCE, RMS: the summary's, from the same bins) with the summary's other metrics. */
    private static ObjectNode section(CalibrationMetrics.Summary m, ReliabilityBins bins) {
        ObjectNode s = binsNode(bins);
        s.put("accuracy", m.accuracy());
        putNumber(s, "nll", m.nll());
        s.put("brier", m.brier());
        s.put("adaptiveEce", m.adaptiveEce());
        s.put("classwiseEce", m.classwiseEce());
        return s;
    }

    private static ObjectNode binsNode(ReliabilityBins bins) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("n", bins.total());
        s.put("ece", bins.ece());
        s.put("mce", bins.mce());
        s.put("minBinCount", MIN_BIN_COUNT);
        s.put("mceOverBinsOfMinCount", bins.mce(MIN_BIN_COUNT));
        s.put("rms", bins.rms());
        ArrayNode arr = s.putArray("bins");
        for (ReliabilityBins.Bin b : bins.bins()) {
            ObjectNode o = arr.addObject();
            o.put("lo", b.lo());
            o.put("hi", b.hi());
            o.put("count", b.count());
            putNumber(o, "meanConfidence", b.meanConfidence());
            putNumber(o, "accuracy", b.accuracy());
            putNumber(o, "gap", b.gap());
        }
        return s;
    }

    /** JSON has no NaN or infinity: those become null. */
    private static void putNumber(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) {
            o.put(name, v);
        } else {
            o.putNull(name);
        }
    }

    private static String write(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
