package dev.softgrad.nn.calibration;

import dev.softgrad.nn.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reliability diagrams (DeGroot and Fienberg, 1983; Niculescu-Mizil and Caruana, 2005; Guo et al.,
 * 2017, figure 1) as PNG, and the numbers behind them as JSON.
 *
 * <p>A diagram has two panels over the same bins. Above, one bar per bin up to the bin's accuracy,
 * with the gap to the bin's mean confidence shaded: red where confidence is above accuracy
 * (over-confident), amber where it is below (under-confident). The blue part is min(accuracy,
 * confidence), so blue + red reaches the confidence and blue + amber the accuracy; a calibrated model
 * has no shading. Below, the number of predictions in each bin. The title gives accuracy, ECE and MCE.
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
    public static final int WIDTH = 640;
    /** Height of the reliability panel in pixels. */
    public static final int RELIABILITY_HEIGHT = 440;
    /** Height of the bin-count panel in pixels. */
    public static final int COUNTS_HEIGHT = 220;

    private static final Color ACCURACY = new Color(52, 101, 164);
    private static final Color OVER = new Color(204, 0, 0, 170);
    private static final Color UNDER = new Color(237, 164, 0, 190);
    private static final Color COUNTS = new Color(110, 110, 110);

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
            BufferedImage left = render(beforeBins, "before scaling (T = 1)", before);
            BufferedImage right = render(afterBins, String.format(Locale.ROOT, "after scaling (T = %.4g)", temperature),
                    after);
            BufferedImage both = new BufferedImage(left.getWidth() + right.getWidth(),
                    Math.max(left.getHeight(), right.getHeight()), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = both.createGraphics();
            try {
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, both.getWidth(), both.getHeight());
                g.drawImage(left, 0, 0, null);
                g.drawImage(right, left.getWidth(), 0, null);
            } finally {
                g.dispose();
            }
            AtomicFiles.write(file, png(both));
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
     * Draws one diagram: the reliability panel above the bin counts.
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
        List<String> categories = new ArrayList<>();
        List<Double> base = new ArrayList<>();
        List<Double> over = new ArrayList<>();
        List<Double> under = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (ReliabilityBins.Bin b : bins.bins()) {
            boolean width = bins.binning() == ReliabilityBins.Binning.EQUAL_WIDTH;
            categories.add(String.format(Locale.ROOT, width ? "%.2f" : "%.4f", width ? (b.lo() + b.hi()) / 2 : b.hi()));
            counts.add(b.count());
            if (b.count() == 0) {
                base.add(0.0);
                over.add(0.0);
                under.add(0.0);
            } else {
                base.add(Math.min(b.accuracy(), b.meanConfidence()));
                over.add(Math.max(b.meanConfidence() - b.accuracy(), 0));
                under.add(Math.max(b.accuracy() - b.meanConfidence(), 0));
            }
        }
        String text = title == null ? "" : title;
        if (metrics != null) {
            text += String.format(Locale.ROOT, ": accuracy %.3f, ECE %.4f, MCE %.4f, NLL %.4f", metrics.accuracy(),
                    metrics.ece(), metrics.mce(), metrics.nll());
        } else {
            text += String.format(Locale.ROOT, ": ECE %.4f, MCE %.4f", bins.ece(), bins.mce());
        }
        String xTitle = bins.binning() == ReliabilityBins.Binning.EQUAL_WIDTH ? "confidence (bin centre)"
                : "confidence (bin upper edge, equal-mass bins)";

        CategoryChart rel = new CategoryChartBuilder().width(WIDTH).height(RELIABILITY_HEIGHT).title(text)
                .xAxisTitle(xTitle).yAxisTitle("accuracy").build();
        int rotation = bins.numBins() > 12 ? 90 : 0;
        CategoryStyler rs = rel.getStyler();
        rs.setStacked(true);
        rs.setAvailableSpaceFill(0.95);
        rs.setLegendPosition(Styler.LegendPosition.OutsideS);
        rs.setLegendLayout(Styler.LegendLayout.Horizontal);
        rs.setYAxisMin(0.0);
        rs.setYAxisMax(1.0);
        rs.setXAxisLabelRotation(rotation);
        rs.setYAxisDecimalPattern("0.0");
        rs.setChartTitleFont(rs.getChartTitleFont().deriveFont(12f));
        CategorySeries s1 = rel.addSeries("accuracy", categories, base);
        CategorySeries s2 = rel.addSeries("over-confidence gap", categories, over);
        CategorySeries s3 = rel.addSeries("under-confidence gap", categories, under);
        s1.setFillColor(ACCURACY);
        s2.setFillColor(OVER);
        s3.setFillColor(UNDER);

        CategoryChart cnt = new CategoryChartBuilder().width(WIDTH).height(COUNTS_HEIGHT).title("")
                .xAxisTitle(xTitle).yAxisTitle("predictions").build();
        CategoryStyler cs = cnt.getStyler();
        cs.setLegendVisible(false);
        cs.setLabelsVisible(true);
        cs.setAvailableSpaceFill(0.95);
        cs.setXAxisLabelRotation(rotation);
        cs.setYAxisMin(0.0);
        cs.setYAxisDecimalPattern("0");
        cs.setChartTitleVisible(false);
        cnt.addSeries("predictions per bin", categories, counts).setFillColor(COUNTS);

        BufferedImage top = BitmapEncoder.getBufferedImage(rel);
        BufferedImage bottom = BitmapEncoder.getBufferedImage(cnt);
        BufferedImage out = new BufferedImage(WIDTH, RELIABILITY_HEIGHT + COUNTS_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.drawImage(top, 0, 0, null);
            g.drawImage(bottom, 0, RELIABILITY_HEIGHT, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Writes one diagram as a PNG, atomically. */
    public static void writePng(Path file, ReliabilityBins bins, String title) throws IOException {
        AtomicFiles.write(file, png(render(bins, title, null)));
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

    private static ObjectNode section(CalibrationMetrics.Summary m, ReliabilityBins bins) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("n", bins.total());
        s.put("accuracy", m.accuracy());
        putNumber(s, "nll", m.nll());
        s.put("brier", m.brier());
        s.put("ece", m.ece());
        s.put("mce", m.mce());
        s.put("rms", m.rms());
        s.put("adaptiveEce", m.adaptiveEce());
        s.put("classwiseEce", m.classwiseEce());
        s.set("bins", binsNode(bins).get("bins"));
        return s;
    }

    private static ObjectNode binsNode(ReliabilityBins bins) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("n", bins.total());
        s.put("ece", bins.ece());
        s.put("mce", bins.mce());
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

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer available in ImageIO");
        }
        return out.toByteArray();
    }
}
