package dev.softgrad.nn.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** The house style: sizes, titles, whole decades on log axes, and a reliability chart whose bars are accuracies. */
class PlotsTest {
    /** Where to leave the PNGs for a look (environment variable SOFTGRAD_PLOTS), else a temporary folder. */
    static Path out(Path tmp) throws IOException {
        String dir = System.getenv("SOFTGRAD_PLOTS");
        return dir == null ? tmp : Files.createDirectories(Path.of(dir));
    }

    @Test
    void aChartHasTheHouseSizeTitlesAndLinesWithoutMarkers() {
        XYChart c = Plots.chart("t", "x (unit)", "y (unit)", false, false);
        assertEquals(Plots.WIDTH, c.getWidth());
        assertEquals(Plots.HEIGHT, c.getHeight());
        assertTrue(Plots.WIDTH >= 800 && Plots.HEIGHT >= 500);
        XYSeries s = Plots.line(c, "a", new double[] {0, 1}, new double[] {0, 1});
        assertEquals(XYSeries.XYSeriesRenderStyle.Line, s.getXYSeriesRenderStyle().orElseThrow());
        assertEquals("None", s.getMarker().getClass().getSimpleName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Plots.chart("t", " ", "y", false, false));
        assertTrue(e.getMessage().contains("xTitle"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plots.chart(null, "x", "y", false, false));
        assertThrows(IllegalArgumentException.class, () -> Plots.chart("t", "x", "y", false, false, 100, 500));
    }

    @Test
    void linearTickLabelsKeepTheirLeadingZero(@TempDir Path tmp) throws IOException {
        XYChart c = Plots.chart("small values", "x", "ECE", false, false);
        Plots.line(c, "a", new double[] {0, 0.5, 1}, new double[] {0.0, 0.02, 0.05});
        Plots.writePng(out(tmp).resolve("leading-zeros.png"), c);
        java.text.DecimalFormat y = new java.text.DecimalFormat(c.getStyler().getYAxisDecimalPattern(),
                java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT));
        assertEquals("0.020", y.format(0.02), "XChart's own pattern printed .02");
        assertEquals("0.005", y.format(0.005), "the decimals of a step of 0.005, the finest XChart takes here");
        assertEquals("0.00025", y.format(0.00025), "up to three decimals below the decade of the span");
        assertEquals("0.300", y.format(0.30000000000000004), "no rounding noise");
        XYChart tiny = Plots.chart("tiny span", "x", "y", false, false);
        Plots.line(tiny, "a", new double[] {0, 1}, new double[] {0.0, 0.0004});
        assertEquals("0.00010", new java.text.DecimalFormat(Plots.decimalPattern(tiny, false),
                java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)).format(0.0001));
        XYChart big = Plots.chart("integers", "x", "y", false, false);
        Plots.line(big, "a", new double[] {0, 3000}, new double[] {0, 1e8});
        assertEquals("0", Plots.decimalPattern(big, true));
        assertEquals(null, Plots.decimalPattern(big, false), "1e8 keeps XChart's own labels");
        XYChart own = Plots.chart("the caller's pattern", "x", "y", false, false);
        Plots.line(own, "a", new double[] {0, 1}, new double[] {0, 0.5});
        own.getStyler().setYAxisDecimalPattern("0.0");
        Plots.image(own);
        assertEquals("0.0", own.getStyler().getYAxisDecimalPattern(), "a pattern the caller set is left alone");
    }

    @Test
    void theTickLabelsOfOneAxisPrintWithTheSameDecimals() {
        // the training report's loss axis: XChart puts ticks 0.1 apart and printed "1.1, 1, 0.9"
        XYChart loss = Plots.chart("loss", "epoch", "cross-entropy", false, false);
        Plots.line(loss, "train", new double[] {1, 30}, new double[] {1.25, 0.22});
        Plots.image(loss);
        java.text.DecimalFormat y = new java.text.DecimalFormat(loss.getStyler().getYAxisDecimalPattern(),
                java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT));
        assertEquals("1.0", y.format(1.0));
        assertEquals("1.1", y.format(1.1));
        assertEquals("0.3", y.format(0.30000000000000004));
        assertEquals("10", new java.text.DecimalFormat(loss.getStyler().getXAxisDecimalPattern()).format(10.0),
                "epochs 5 apart print as integers");
        // horizontal axes: XChart spaces their ticks wider (the training report's 8 epochs 1 apart,
        // the Hessian notebook's t from -4 to 4, a probability from 0 to 1 0.1 apart)
        String[][] xCases = {{"1", "8", "1", "8"}, {"-4", "4", "-4", "4"}, {"0", "1", "0.1", "1.0"}};
        double[][] xValues = {{1, 8}, {-4, 4}, {0.1, 1.0}};
        for (int i = 0; i < xCases.length; i++) {
            XYChart c = Plots.chart("x axis " + i, "x", "y", false, false);
            Plots.line(c, "a", new double[] {Double.parseDouble(xCases[i][0]), Double.parseDouble(xCases[i][1])},
                    new double[] {0, 1});
            java.text.DecimalFormat f = new java.text.DecimalFormat(Plots.decimalPattern(c, true),
                    java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT));
            assertEquals(xCases[i][2], f.format(xValues[i][0]), "x axis " + i);
            assertEquals(xCases[i][3], f.format(xValues[i][1]), "x axis " + i);
        }
        // any span: the ticks of every step XChart may take (1, 2 or 5 times a power of ten, from the
        // finest, one tick per 40 pixels of a vertical axis, 80 of a horizontal one, to span / 2) print
        // with one number of decimals
        for (double span : new double[] {0.0004, 0.013, 0.05, 0.4, 1.03, 2.3, 7, 29, 450}) {
            for (boolean x : new boolean[] {false, true}) {
                XYChart c = Plots.chart("span " + span, "x", "y", false, false);
                Plots.line(c, "a", new double[] {0.1 * span, 1.1 * span}, new double[] {0.1 * span, 1.1 * span});
                java.text.DecimalFormat f = new java.text.DecimalFormat(Plots.decimalPattern(c, x),
                        java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT));
                double finest = span / (x ? c.getWidth() / 80.0 : c.getHeight() / 40.0);
                int e = (int) Math.floor(Math.log10(finest)) - 1;
                for (; e <= Math.log10(span); e++) {
                    for (double m : new double[] {1, 2, 5}) {
                        double step = m * Math.pow(10, e);
                        if (step < finest || step > span / 2) {
                            continue;
                        }
                        java.util.Set<Integer> lengths = new java.util.TreeSet<>();
                        for (long i = (long) Math.ceil(0.1 * span / step); i * step <= 1.1 * span; i++) {
                            String label = f.format(i * step);
                            int dot = label.indexOf('.');
                            lengths.add(dot < 0 ? 0 : label.length() - dot - 1);
                        }
                        assertEquals(1, lengths.size(), (x ? "x" : "y") + " span " + span + ", step " + step + ": decimals " + lengths);
                    }
                }
            }
        }
    }

    @Test
    void logAxesSpanWholeDecadesSoEveryDecadeIsLabelled(@TempDir Path tmp) throws IOException {
        XYChart c = Plots.chart("within one decade", "x", "y (log scale)", false, true);
        Plots.line(c, "a", new double[] {1, 2, 3}, new double[] {2, 3, 5});
        assertArrayEquals(new double[] {1, 10}, Plots.decades(c, false), 0.0, "a range inside one decade widens to it");
        XYChart d = Plots.chart("three decades", "x (log scale)", "y (log scale)", true, true);
        Plots.line(d, "b", new double[] {0.003, 0.05, 0.2}, new double[] {1e-7, 1e-5, 1e-4});
        assertArrayEquals(new double[] {1e-3, 1}, Plots.decades(d, true), 1e-18);
        assertArrayEquals(new double[] {1e-7, 1e-4}, Plots.decades(d, false), 1e-22);
        Plots.writePng(out(tmp).resolve("log-axes.png"), List.of(c, d), 1, 2);
        assertEquals(1e-3, d.getStyler().getXAxisMin(), 1e-18, "set on the chart when drawn");
        assertEquals(1.0, d.getStyler().getXAxisMax(), 0.0);
        XYChart set = Plots.chart("range set by the caller", "x", "y (log scale)", false, true);
        Plots.line(set, "c", new double[] {1, 2}, new double[] {2, 3});
        set.getStyler().setYAxisMin(1.5);
        Plots.image(set);
        assertEquals(null, set.getStyler().getYAxisMax(), "a range the caller set is left alone");
    }

    static int[] columnCounts(BufferedImage image, Color colour, int y0, int y1) {
        int rgb = colour.getRGB();
        return IntStream.range(0, image.getWidth()).map(x -> (int) IntStream.range(y0, y1)
                .filter(y -> image.getRGB(x, y) == rgb).count()).toArray();
    }

    @Test
    void reliabilityBarsAreAccuraciesWithTheGapOutlinedInItsColour(@TempDir Path tmp) throws IOException {
        // left bin under-confident (accuracy 0.9, confidence 0.2), right bin over-confident (accuracy 0.3, confidence
        // 0.8), an empty bin between them so that each lies wholly in its half of the image
        List<ReliabilityChart.Bin> bins = List.of(new ReliabilityChart.Bin(0, 0.3, 40, 0.2, 0.9),
                new ReliabilityChart.Bin(0.3, 0.7, 0, Double.NaN, Double.NaN), new ReliabilityChart.Bin(0.7, 1, 60, 0.8, 0.3));
        BufferedImage image = ReliabilityChart.image("two bins", "confidence", bins);
        ImageIO.write(image, "png", out(tmp).resolve("reliability-two-bins.png").toFile());
        assertEquals(Plots.WIDTH, image.getWidth());
        assertEquals(Plots.HEIGHT + ReliabilityChart.COUNTS_HEIGHT, image.getHeight());
        int[] blue = columnCounts(image, ReliabilityChart.ACCURACY, 0, Plots.HEIGHT);
        int mid = image.getWidth() / 2;
        int left = IntStream.of(blue).limit(mid).max().orElse(0);
        int right = IntStream.of(blue).skip(mid).max().orElse(0);
        assertTrue(left > 100, "the left bar is drawn: " + left);
        assertEquals(0.3 / 0.9, (double) right / left, 0.03, "bar heights are the accuracies 0.9 and 0.3 (pixels " + left
                + ", " + right + "), not min(accuracy, confidence)");
        int plot = Plots.HEIGHT - 60; // above the legend, which shows both colours
        int[] red = columnCounts(image, ReliabilityChart.OVER, 0, plot);
        int[] amber = columnCounts(image, ReliabilityChart.UNDER, 0, plot);
        assertTrue(IntStream.of(red).skip(mid).sum() > 100 && IntStream.of(red).limit(mid).sum() == 0,
                "red outlines only the over-confident bin");
        assertTrue(IntStream.of(amber).limit(mid).sum() > 100 && IntStream.of(amber).skip(mid).sum() == 0,
                "amber outlines only the under-confident bin");
        int[] grey = columnCounts(image, ReliabilityChart.COUNTS, Plots.HEIGHT, image.getHeight());
        int cl = IntStream.of(grey).limit(mid).max().orElse(0);
        int cr = IntStream.of(grey).skip(mid).max().orElse(0);
        assertEquals(0.6 / 0.4, (double) cr / cl, 0.08, "count bars in proportion 60 : 40");
    }

    @Test
    void equallySpacedXValuesStillGetRoundNumberTicks() {
        // XChart labels equally spaced x values one by one (run-together labels over a long run); an
        // invisible point off the spacing makes it fall back to round-number ticks
        XYChart c = Plots.chart("a long run", "step", "loss (nats)", false, false);
        double[] x = IntStream.range(0, 2000).asDoubleStream().toArray();
        Plots.line(c, "loss", x, x);
        Plots.image(c);
        XYSeries helper = c.getSeries(Plots.TICK_HELPER);
        assertTrue(helper != null && !helper.isShowInLegend(), "an invisible helper point, not in the legend");
        double at = helper.getXData()[0];
        assertTrue(at > 0 && at < 1999 && at != Math.rint(at), "inside the range, off the spacing: " + at);
        Plots.image(c);
        assertEquals(2, c.getSeriesCollection().size(), "added once");
        XYChart epochs = Plots.chart("ten epochs", "epoch", "loss (nats)", false, false);
        Plots.line(epochs, "loss", new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, new double[] {5, 4, 3, 2, 1, 1, 1, 1, 1, 1});
        Plots.image(epochs);
        assertEquals(null, epochs.getSeries(Plots.TICK_HELPER), "a few integer x values keep a tick each");
    }

    @Test
    void countLabelsNeverOverlap() {
        // fifteen equal-mass bins crowded into [0.95, 1] beside two wide ones
        List<ReliabilityChart.Bin> bins = new java.util.ArrayList<>();
        bins.add(new ReliabilityChart.Bin(0, 0.5, 1234, 0.3, 0.3));
        bins.add(new ReliabilityChart.Bin(0.5, 0.95, 5678, 0.8, 0.7));
        for (int m = 0; m < 15; m++) {
            bins.add(new ReliabilityChart.Bin(0.95 + m / 300.0, 0.95 + (m + 1) / 300.0, 100 + m, 0.97, 0.9));
        }
        int[] rows = ReliabilityChart.labelRows(bins);
        assertEquals(0, rows[0], "a wide bin's label sits in the first row");
        assertEquals(0, rows[1]);
        int shown = 0;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0) {
                continue;
            }
            shown++;
            for (int j = i + 1; j < rows.length; j++) {
                if (rows[j] == rows[i]) {
                    double[] a = ReliabilityChart.labelSpan(bins.get(i));
                    double[] b = ReliabilityChart.labelSpan(bins.get(j));
                    assertTrue(a[1] <= b[0] || b[1] <= a[0], "labels " + i + " and " + j + " overlap in row " + rows[i]);
                }
            }
        }
        assertTrue(shown >= 2 + ReliabilityChart.LABEL_ROWS, "every row is used before a count is left out: " + shown);
    }
}
