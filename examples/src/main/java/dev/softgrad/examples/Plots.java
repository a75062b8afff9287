package dev.softgrad.examples;

import java.awt.Color;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Small helpers over XChart for the examples' line plots: 800x500, titled axes, the legend outside
 * the plot (it hides no data), and log axes that hold at least two powers of ten, so that they carry
 * at least two labels (XChart labels only the powers of ten inside the axis range).
 */
public final class Plots {
    private Plots() {
    }

    /** An empty 800x500 line chart with axis titles; logX / logY switch the axes to log scale. */
    public static XYChart chart(String title, String xTitle, String yTitle, boolean logX, boolean logY) {
        XYChart c = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        c.getStyler().setXAxisDecimalPattern("#,##0.###");
        return c;
    }

    /** Adds a line without markers. */
    public static XYSeries line(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        wholeDecades(c);
        return s;
    }

    /** Adds a dashed line without markers (a formula or a reference drawn over measured data). */
    public static XYSeries dashed(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = line(c, name, x, y);
        s.setLineStyle(SeriesLines.DASH_DASH);
        return s;
    }

    /** A vertical dashed line at x from y0 to y1 (a threshold). */
    public static XYSeries vertical(XYChart c, String name, double x, double y0, double y1) {
        return dashed(c, name, new double[] {x, x}, new double[] {y0, y1});
    }

    /** A shaded band from x0 to x1, height y0 to y1 (a region where something happens). */
    public static XYSeries band(XYChart c, String name, double x0, double x1, double y0, double y1, Color color) {
        XYSeries s = c.addSeries(name, new double[] {x0, x0, x1, x1}, new double[] {y0, y1, y1, y0});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        s.setMarker(SeriesMarkers.NONE);
        s.setFillColor(color);
        s.setLineColor(color);
        return s;
    }

    /** Adds points without a line. */
    public static XYSeries points(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        wholeDecades(c);
        return s;
    }

    /** Sets each log axis to the range of all positive data, widened where needed to hold two powers of ten. */
    static void wholeDecades(XYChart c) {
        double[] x = {Double.POSITIVE_INFINITY, 0};
        double[] y = {Double.POSITIVE_INFINITY, 0};
        for (XYSeries s : c.getSeriesCollection()) {
            range(s.getXData(), x);
            range(s.getYData(), y);
        }
        if (c.getStyler().isXAxisLogarithmic() && x[1] > 0) {
            double[] r = twoDecades(x[0], x[1]);
            c.getStyler().setXAxisMin(r[0]).setXAxisMax(r[1]);
        }
        if (c.getStyler().isYAxisLogarithmic() && y[1] > 0) {
            double[] r = twoDecades(y[0], y[1]);
            c.getStyler().setYAxisMin(r[0]).setYAxisMax(r[1]);
        }
    }

    /** The data range, widened to the nearest powers of ten (the nearer side first) until it holds at least two. */
    static double[] twoDecades(double min, double max) {
        double lo = Math.floor(Math.log10(min) + 1e-9);
        double hi = Math.ceil(Math.log10(max) - 1e-9);
        long inside = (long) (Math.floor(Math.log10(max) + 1e-9) - Math.ceil(Math.log10(min) - 1e-9) + 1);
        if (inside >= 2) {
            return new double[] {min, max};
        }
        double down = Math.pow(10, lo);
        double up = Math.pow(10, Math.max(hi, lo + 1));
        if (inside == 1) {
            return min / down <= up / max ? new double[] {down, max} : new double[] {min, up};
        }
        return new double[] {down, up};
    }

    private static void range(double[] v, double[] minMax) {
        for (double d : v) {
            if (d > 0 && Double.isFinite(d)) {
                minMax[0] = Math.min(minMax[0], d);
                minMax[1] = Math.max(minMax[1], d);
            }
        }
    }
}
