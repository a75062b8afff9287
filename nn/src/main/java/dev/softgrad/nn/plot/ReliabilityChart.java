package dev.softgrad.nn.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * Draws a reliability diagram (Guo et al., 2017, figure 1) from plain bin numbers: two panels over
 * the same confidence axis [0, 1], same width and same plot area, the reliability panel above the
 * bin counts.
 *
 * <p>Above: one filled bar per non-empty bin up to the bin's <b>accuracy</b>, always; the gap to the
 * bin's mean <b>confidence</b> as an outline from the accuracy up (or down) to the confidence, red
 * where the confidence is above the accuracy (over-confident), amber where below (under-confident);
 * the diagonal y = x (perfect calibration) dashed. Below: the share of predictions in each bin as a
 * bar, with its count written in the upper part of the panel (in more rows where bins are too narrow
 * for one), so that a bin that decides the MCE with one sample is seen to.
 */
public final class ReliabilityChart {
    /** Height of the counts panel in pixels (the reliability panel is {@link Plots#HEIGHT}). */
    public static final int COUNTS_HEIGHT = 260;

    static final Color ACCURACY = new Color(52, 101, 164);
    static final Color OVER = new Color(204, 0, 0);
    static final Color UNDER = new Color(230, 150, 0);
    static final Color COUNTS = new Color(110, 110, 110);
    private static final BasicStroke OUTLINE = new BasicStroke(2.5f);
    /** Rows of count labels in the counts panel. */
    static final int LABEL_ROWS = 7;
    private static final double ROW_STEP = 0.11;
    private static final double PLOT_WIDTH_PX = 0.84 * Plots.WIDTH;
    private static final double PX_PER_DIGIT = 7.5;

    private ReliabilityChart() {
    }

    /**
     * One bin, as drawn.
     *
     * @param lo             lower edge, in [0, 1]
     * @param hi             upper edge, in [lo, 1]
     * @param count          predictions in the bin, >= 0
     * @param meanConfidence mean confidence (NaN when empty)
     * @param accuracy       fraction correct (NaN when empty)
     */
    public record Bin(double lo, double hi, long count, double meanConfidence, double accuracy) {
        /** Validates. */
        public Bin {
            if (!(lo >= 0 && lo <= hi && hi <= 1) || count < 0) {
                throw new IllegalArgumentException("ReliabilityChart.Bin: expected 0 <= lo <= hi <= 1 and count >= 0, got lo="
                        + lo + ", hi=" + hi + ", count=" + count);
            }
        }
    }

    /**
     * The two panels, stacked.
     *
     * @param title  the first panel's title (say what model and which metrics)
     * @param xTitle the confidence axis' title
     * @param bins   the bins, in order of confidence
     * @return an image {@link Plots#WIDTH} x ({@link Plots#HEIGHT} + {@link #COUNTS_HEIGHT})
     */
    public static BufferedImage image(String title, String xTitle, List<Bin> bins) {
        return Plots.stack(Plots.image(reliability(title, xTitle, bins)), Plots.image(counts(xTitle, bins)));
    }

    /** The reliability panel: accuracy bars, gap outlines and the diagonal. */
    static XYChart reliability(String title, String xTitle, List<Bin> bins) {
        XYChart c = Plots.chart(title, xTitle, "accuracy (fraction correct)", false, false, Plots.WIDTH, Plots.HEIGHT);
        unitAxes(c);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(13f));
        List<double[]> bars = new ArrayList<>();
        List<double[]> over = new ArrayList<>();
        List<double[]> under = new ArrayList<>();
        for (Bin b : bins) {
            if (b.count() == 0) {
                continue;
            }
            bars.add(new double[] {b.lo(), 0, b.lo(), b.accuracy(), b.hi(), b.accuracy(), b.hi(), 0});
            double[] outline = {b.lo(), b.accuracy(), b.lo(), b.meanConfidence(), b.hi(), b.meanConfidence(), b.hi(),
                b.accuracy(), b.lo(), b.accuracy()};
            (b.meanConfidence() > b.accuracy() ? over : under).add(outline);
        }
        XYSeries acc = polyline(c, "accuracy", bars.isEmpty() ? List.of(new double[] {0, 0}) : bars, false);
        acc.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        acc.setFillColor(ACCURACY);
        acc.setLineColor(ACCURACY.darker());
        acc.setLineStyle(new BasicStroke(1f));
        if (!over.isEmpty()) {
            polyline(c, "gap to confidence: over-confident", over, true).setLineColor(OVER);
        }
        if (!under.isEmpty()) {
            polyline(c, "gap: under-confident", under, true).setLineColor(UNDER);
        }
        Plots.dashed(c, "y = x", new double[] {0, 1}, new double[] {0, 1}).setLineColor(Color.DARK_GRAY);
        return c;
    }

    /**
     * The counts panel: share of predictions per bin as bars, each count written in the panel's upper
     * part, in as many rows as narrow bins need for their labels not to overlap (at most
     * {@value #LABEL_ROWS}; the title says when a count did not fit).
     */
    static XYChart counts(String xTitle, List<Bin> bins) {
        long total = bins.stream().mapToLong(Bin::count).sum();
        List<double[]> bars = new ArrayList<>();
        for (Bin b : bins) {
            double share = total == 0 ? 0 : (double) b.count() / total;
            bars.add(new double[] {b.lo(), 0, b.lo(), share, b.hi(), share, b.hi(), 0});
        }
        int[] rows = labelRows(bins);
        List<AnnotationText> labels = new ArrayList<>();
        boolean dropped = false;
        for (int i = 0; i < bins.size(); i++) {
            Bin b = bins.get(i);
            if (rows[i] < 0) {
                dropped = true;
            } else {
                labels.add(new AnnotationText(Long.toString(b.count()), (b.lo() + b.hi()) / 2, 0.92 - ROW_STEP * rows[i], false));
            }
        }
        String title = "predictions per bin, with their counts" + (dropped ? " (some narrow bins' counts left out)" : "");
        XYChart c = Plots.chart(title, xTitle, "share of predictions", false, false, Plots.WIDTH, COUNTS_HEIGHT);
        unitAxes(c);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(12f));
        XYSeries s = polyline(c, "share", bars, false);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        s.setFillColor(COUNTS);
        s.setLineColor(COUNTS.darker());
        labels.forEach(c::addAnnotation);
        return c;
    }

    /**
     * The row of each bin's count label, left to right: the first row where the label (about
     * {@value #PX_PER_DIGIT} pixels per digit, centred on its bin) clears the previous label in that
     * row; -1 when none of the {@value #LABEL_ROWS} rows has room.
     */
    static int[] labelRows(List<Bin> bins) {
        double[] rowEnd = new double[LABEL_ROWS];
        java.util.Arrays.fill(rowEnd, Double.NEGATIVE_INFINITY);
        int[] rows = new int[bins.size()];
        for (int i = 0; i < bins.size(); i++) {
            Bin b = bins.get(i);
            double[] span = labelSpan(b);
            int row = 0;
            while (row < LABEL_ROWS && span[0] < rowEnd[row]) {
                row++;
            }
            rows[i] = row == LABEL_ROWS ? -1 : row;
            if (row < LABEL_ROWS) {
                rowEnd[row] = span[1];
            }
        }
        return rows;
    }

    /** Where a bin's count label lies on the plot, in pixels from the left edge of the plot area: [left, right]. */
    static double[] labelSpan(Bin b) {
        double centre = (b.lo() + b.hi()) / 2 * PLOT_WIDTH_PX;
        double half = (PX_PER_DIGIT * Long.toString(b.count()).length() + 4) / 2;
        return new double[] {centre - half, centre + half};
    }

    /** Both axes on [0, 1] with the same tick labels, so that the two panels' plot areas line up. */
    private static void unitAxes(XYChart c) {
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        c.getStyler().setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
        c.getStyler().setAxisTitlePadding(6);
    }

    /** One series of (x, y) pairs drawn as separate polylines (NaN breaks the line between them). */
    private static XYSeries polyline(XYChart c, String name, List<double[]> parts, boolean outline) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (double[] p : parts) {
            if (outline && !xs.isEmpty()) {
                xs.add(p[0]);
                ys.add(Double.NaN);
            }
            for (int i = 0; i < p.length; i += 2) {
                xs.add(p[i]);
                ys.add(p[i + 1]);
            }
        }
        XYSeries s = Plots.line(c, name, xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray());
        if (outline) {
            s.setLineStyle(OUTLINE);
        }
        return s;
    }

}
