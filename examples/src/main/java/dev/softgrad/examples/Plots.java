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
 * the plot (it hides no data), and log axes that always span whole decades, so that every decade
 * gets a label (XChart labels only the powers of ten inside the axis range).
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

    /** Stretches each log axis to the powers of ten around all positive data, so every decade is labelled. */
    static void wholeDecades(XYChart c) {
        double[] x = {Double.POSITIVE_INFINITY, 0};
        double[] y = {Double.POSITIVE_INFINITY, 0};
        for (XYSeries s : c.getSeriesCollection()) {
            range(s.getXData(), x);
            range(s.getYData(), y);
        }
        if (c.getStyler().isXAxisLogarithmic() && x[1] > 0) {
            c.getStyler().setXAxisMin(decade(x[0], false));
            c.getStyler().setXAxisMax(Math.max(decade(x[1], true), 10 * decade(x[0], false)));
        }
        if (c.getStyler().isYAxisLogarithmic() && y[1] > 0) {
            c.getStyler().setYAxisMin(decade(y[0], false));
            c.getStyler().setYAxisMax(Math.max(decade(y[1], true), 10 * decade(y[0], false)));
        }
    }

    private static double decade(double v, boolean up) {
        double e = Math.log10(v);
        return Math.pow(10, up ? Math.ceil(e - 1e-9) : Math.floor(e + 1e-9));
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
