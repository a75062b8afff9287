package dev.softgrad.nn.plot;

import dev.softgrad.nn.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * softgrad's house style for figures, and the one place that turns XChart charts into PNG files.
 *
 * <p>The style: every chart has a title and axis titles (put the unit in the axis title, e.g.
 * {@code "temperature tau (dimensionless)"}, {@code "step"}, {@code "loss (nats)"}); the legend sits
 * outside the plot, right of it, so it hides no data; curves are lines ({@link #line}), formulas laid
 * over them dashed ({@link #dashed}), and only true scatter data gets markers ({@link #points}); a
 * logarithmic axis spans whole decades so that every decade carries a label (never a single tick
 * label); the default size is {@value #WIDTH} x {@value #HEIGHT} pixels.
 *
 * <pre>{@code
 * XYChart c = Plots.chart("Entropy against temperature", "tau (log scale)", "entropy (nats)", true, false);
 * Plots.line(c, "H(softmax(z / tau))", taus, entropy);
 * Plots.dashed(c, "ln K (the limit)", taus, lnK);
 * Plots.writePng(Path.of("entropy.png"), c);
 * }</pre>
 *
 * <p>Files are written atomically ({@link AtomicFiles}).
 */
public final class Plots {
    /** Default width of a chart in pixels. */
    public static final int WIDTH = 800;
    /** Default height of a chart in pixels. */
    public static final int HEIGHT = 500;
    /** The smallest width or height a chart may have, in pixels (below it titles and labels collide). */
    public static final int MIN_SIZE = 200;

    private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {8f, 6f}, 0f);

    private Plots() {
    }

    /** An empty {@value #WIDTH} x {@value #HEIGHT} line chart in the house style; logX / logY switch an axis to log scale. */
    public static XYChart chart(String title, String xTitle, String yTitle, boolean logX, boolean logY) {
        return chart(title, xTitle, yTitle, logX, logY, WIDTH, HEIGHT);
    }

    /**
     * An empty line chart in the house style.
     *
     * @param title  what the figure shows (not blank)
     * @param xTitle the x quantity and its unit (not blank)
     * @param yTitle the y quantity and its unit (not blank)
     * @param width  in pixels, at least {@value #MIN_SIZE} ({@value #WIDTH} by default)
     * @param height in pixels, at least {@value #MIN_SIZE} ({@value #HEIGHT} by default)
     */
    public static XYChart chart(String title, String xTitle, String yTitle, boolean logX, boolean logY, int width, int height) {
        requireText("title", title);
        requireText("xTitle", xTitle);
        requireText("yTitle", yTitle);
        if (width < MIN_SIZE || height < MIN_SIZE) {
            throw new IllegalArgumentException("Plots.chart: width and height must be at least " + MIN_SIZE + " pixels, got "
                    + width + " x " + height);
        }
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setXAxisLogarithmicDecadeOnly(true);
        c.getStyler().setYAxisLogarithmicDecadeOnly(true);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendBorderColor(Color.LIGHT_GRAY);
        c.getStyler().setPlotGridLinesVisible(true);
        c.getStyler().setMarkerSize(5);
        return c;
    }

    /** Adds a curve: a line without markers. */
    public static XYSeries line(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /** Adds a dashed line without markers: a formula, an asymptote or a reference laid over measured curves. */
    public static XYSeries dashed(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = line(c, name, x, y);
        s.setLineStyle(DASHED);
        return s;
    }

    /** Adds scatter data: small markers, no line (for samples, not for curves). */
    public static XYSeries points(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        return s;
    }

    /** Adds a horizontal dashed reference line at {@code y} across [xMin, xMax]. */
    public static XYSeries horizontal(XYChart c, String name, double y, double xMin, double xMax) {
        return dashed(c, name, new double[] {xMin, xMax}, new double[] {y, y});
    }

    /** Adds a vertical dashed reference line at {@code x} across [yMin, yMax]. */
    public static XYSeries vertical(XYChart c, String name, double x, double yMin, double yMax) {
        return dashed(c, name, new double[] {x, x}, new double[] {yMin, yMax});
    }

    /**
     * The chart as an image, after the house style's last touches: log axes widened to whole decades,
     * round-number ticks on a linear x axis even when the x values are equally spaced, and tick labels
     * with a leading zero on linear axes ("0.02", not XChart's ".02").
     */
    public static BufferedImage image(Chart<?, ?> chart) {
        if (chart instanceof XYChart) {
            wholeDecades((XYChart) chart);
            roundTicks((XYChart) chart);
            leadingZeros((XYChart) chart);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The chart as PNG bytes. */
    public static byte[] png(Chart<?, ?> chart) {
        return png(image(chart));
    }

    /** An image as PNG bytes. */
    public static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer available in ImageIO");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the chart as a PNG, atomically. */
    public static void writePng(Path file, Chart<?, ?> chart) throws IOException {
        AtomicFiles.write(file, png(chart));
    }

    /** Writes charts as one PNG, a grid of {@code rows} x {@code cols} panels filled row by row, atomically. */
    public static void writePng(Path file, List<? extends Chart<?, ?>> charts, int rows, int cols) throws IOException {
        AtomicFiles.write(file, png(grid(charts, rows, cols)));
    }

    /** Writes an image (e.g. from {@link #grid} or {@link #stack}) as a PNG, atomically. */
    public static void writePng(Path file, BufferedImage image) throws IOException {
        AtomicFiles.write(file, png(image));
    }

    /**
     * Charts as one image, a grid of {@code rows} x {@code cols} cells filled row by row; each cell is
     * as large as the largest chart.
     */
    public static BufferedImage grid(List<? extends Chart<?, ?>> charts, int rows, int cols) {
        if (charts.isEmpty() || rows < 1 || cols < 1 || charts.size() > rows * cols) {
            throw new IllegalArgumentException("Plots.grid: " + charts.size() + " charts do not fit " + rows + " x " + cols
                    + " cells (at least one chart, rows and cols >= 1)");
        }
        BufferedImage[] images = charts.stream().map(Plots::image).toArray(BufferedImage[]::new);
        int w = 0;
        int h = 0;
        for (BufferedImage i : images) {
            w = Math.max(w, i.getWidth());
            h = Math.max(h, i.getHeight());
        }
        BufferedImage out = blank(w * cols, h * rows);
        Graphics2D g = out.createGraphics();
        try {
            for (int i = 0; i < images.length; i++) {
                g.drawImage(images[i], (i % cols) * w, (i / cols) * h, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Images one above the other (left-aligned), e.g. a panel and the panel that shares its x axis. */
    public static BufferedImage stack(BufferedImage... images) {
        return join(true, images);
    }

    /** Images side by side (top-aligned), e.g. a before and an after. */
    public static BufferedImage beside(BufferedImage... images) {
        return join(false, images);
    }

    private static BufferedImage join(boolean vertical, BufferedImage... images) {
        int w = 0;
        int h = 0;
        for (BufferedImage i : images) {
            w = vertical ? Math.max(w, i.getWidth()) : w + i.getWidth();
            h = vertical ? h + i.getHeight() : Math.max(h, i.getHeight());
        }
        BufferedImage out = blank(w, h);
        Graphics2D g = out.createGraphics();
        try {
            int at = 0;
            for (BufferedImage i : images) {
                g.drawImage(i, vertical ? 0 : at, vertical ? at : 0, null);
                at += vertical ? i.getHeight() : i.getWidth();
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage blank(int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Widens each logarithmic axis whose range the caller did not set to the enclosing powers of ten,
     * at least one decade wide, so that XChart labels every decade and never shows a single label.
     */
    static void wholeDecades(XYChart c) {
        var st = c.getStyler();
        if (st.isXAxisLogarithmic() && st.getXAxisMin() == null && st.getXAxisMax() == null) {
            double[] r = decades(c, true);
            if (r != null) {
                st.setXAxisMin(r[0]);
                st.setXAxisMax(r[1]);
            }
        }
        if (st.isYAxisLogarithmic() && st.getYAxisMin() == null && st.getYAxisMax() == null) {
            double[] r = decades(c, false);
            if (r != null) {
                st.setYAxisMin(r[0]);
                st.setYAxisMax(r[1]);
            }
        }
    }

    static final String TICK_HELPER = "\u200b"; // a zero-width name, never in the legend

    /**
     * XChart puts the x ticks of equally spaced x values at the values themselves (a tick per bin
     * edge at 1/15, 2/15, ... labelled 0.1, 0.1, 0.2, ...; thousands of run-together labels for a long
     * run). One invisible point at an irrational fraction of the range breaks the spacing, and XChart
     * falls back to round-number ticks. A few integer x values (epochs 1 to 10) keep a tick each.
     */
    static void roundTicks(XYChart c) {
        if (c.getStyler().isXAxisLogarithmic() || c.getSeries(TICK_HELPER) != null) {
            return;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double y = Double.NaN;
        java.util.Set<Double> distinct = new java.util.HashSet<>();
        boolean integers = true;
        for (XYSeries s : c.getSeriesCollection()) {
            double[] xs = s.getXData();
            double[] ys = s.getYData();
            for (int i = 0; i < xs.length; i++) {
                if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
                    lo = Math.min(lo, xs[i]);
                    hi = Math.max(hi, xs[i]);
                    y = Double.isNaN(y) ? ys[i] : y;
                    integers &= xs[i] == Math.rint(xs[i]);
                    distinct.add(xs[i]);
                }
            }
        }
        if (!(hi > lo) || (integers && distinct.size() <= 20)) {
            return;
        }
        XYSeries helper = c.addSeries(TICK_HELPER, new double[] {lo + (hi - lo) / Math.E}, new double[] {y});
        helper.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        helper.setMarker(SeriesMarkers.NONE);
        helper.setShowInLegend(false);
    }

    /**
     * XChart's automatic tick labels drop the zero before the decimal point on an axis whose values
     * are below 1 (".02", ".5"). On each linear axis without a pattern of the caller's, this sets
     * {@code "0.0##"}: as many decimals as the axis range needs (three more than the decade of its span:
     * ticks 0.002 apart on [0, 0.02] print as 0.002, 0.004, ...), of which those of the finest step
     * XChart takes are fixed ({@link #decimalsOfFinestStep}), so that the labels of one axis print
     * alike (1.1, 1.0, 0.9 on a loss axis, not 1.1, 1, 0.9). Axes whose values
     * reach 1e7 or whose span is below 1e-9 keep XChart's own labels (it switches to powers of ten).
     */
    static void leadingZeros(XYChart c) {
        var st = c.getStyler();
        if (!st.isXAxisLogarithmic() && st.getXAxisDecimalPattern() == null) {
            String p = decimalPattern(c, true);
            if (p != null) {
                st.setXAxisDecimalPattern(p);
            }
        }
        if (!st.isYAxisLogarithmic() && st.getYAxisDecimalPattern() == null) {
            String p = decimalPattern(c, false);
            if (p != null) {
                st.setYAxisDecimalPattern(p);
            }
        }
    }

    /** The pattern {@link #leadingZeros} sets on one axis, or null to keep XChart's. */
    static String decimalPattern(XYChart c, boolean x) {
        double[] range = dataRange(c, x, false);
        double lo = range[0];
        double hi = range[1];
        var st = c.getStyler();
        Double min = x ? st.getXAxisMin() : st.getYAxisMin();
        Double max = x ? st.getXAxisMax() : st.getYAxisMax();
        lo = min != null ? min : lo;
        hi = max != null ? max : hi;
        double span = hi - lo;
        if (!(span > 1e-9) || Math.max(Math.abs(lo), Math.abs(hi)) >= 1e7) {
            return null;
        }
        int decimals = Math.max(0, Math.min(12, 3 - (int) Math.floor(Math.log10(span))));
        int fixed = Math.min(decimals, x ? decimalsOfFinestStep(span, c.getWidth(), X_PIXELS_PER_TICK)
                : decimalsOfFinestStep(span, c.getHeight(), Y_PIXELS_PER_TICK));
        return decimals == 0 ? "0" : "0." + "0".repeat(fixed) + "#".repeat(decimals - fixed);
    }

    /** The fewest pixels XChart puts between two ticks on a vertical axis (its labels are one line high). */
    static final double Y_PIXELS_PER_TICK = 40;
    /** The same on a horizontal axis, whose labels stand side by side and need their width. */
    static final double X_PIXELS_PER_TICK = 80;

    /**
     * The decimals of the finest tick step XChart takes on an axis of this span drawn over about this
     * many pixels: the smallest of 1, 2 or 5 times a power of ten that is at least the span over one
     * tick per {@code pixelsPerTick} pixels (as measured on the house charts: on a vertical axis ticks
     * 0.1 apart from 0.2 to 1.25 over 500 pixels, 0.5 apart from 0 to 8.3 over 700; on a horizontal
     * one ticks 1 apart from 1 to 8 epochs or from -4 to 4, 0.1 apart from 0 to 1, over 800). Every
     * tick label of that step or a coarser one then prints with this many decimals ("1.1, 1.0, 0.9",
     * not "1.1, 1, 0.9"; epochs "1, 2, 3", not "1.0, 2.0, 3.0").
     */
    static int decimalsOfFinestStep(double span, int pixels, double pixelsPerTick) {
        double target = span / Math.max(4.0, pixels / pixelsPerTick);
        int e = (int) Math.floor(Math.log10(target));
        double m = target / Math.pow(10, e); // in [1, 10)
        if (m > 5 + 1e-9) {
            e++; // the step is 10^(e + 1)
        }
        return Math.max(0, -e);
    }

    /** [10^floor(log10 min), 10^ceil(log10 max)] over the positive finite data of one axis, or null if there is none. */
    static double[] decades(XYChart c, boolean x) {
        double[] range = dataRange(c, x, true);
        double lo = range[0];
        double hi = range[1];
        if (!(hi > 0)) {
            return null;
        }
        int a = (int) Math.floor(Math.log10(lo) + 1e-12);
        int b = (int) Math.ceil(Math.log10(hi) - 1e-12);
        if (b <= a) {
            b = a + 1;
        }
        return new double[] {Math.pow(10, a), Math.pow(10, b)};
    }

    /** [min, max] of one axis's finite data over every series (only the positive values if asked); [inf, -inf] if none. */
    private static double[] dataRange(XYChart c, boolean x, boolean positive) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (XYSeries s : c.getSeriesCollection()) {
            for (double v : x ? s.getXData() : s.getYData()) {
                if (Double.isFinite(v) && (!positive || v > 0)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return new double[] {lo, hi};
    }

    private static void requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "Plots.chart: %s must name what is shown (house style), got %s", what, value == null ? "null" : "\"\""));
        }
    }
}
