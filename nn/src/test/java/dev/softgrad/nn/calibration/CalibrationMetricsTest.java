package dev.softgrad.nn.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The metrics against cases computed by hand (numbers worked out in the comments). */
class CalibrationMetricsTest {

    /**
     * Four rows, three classes. Top-label confidences and outcomes: 0.7 right, 0.8 wrong, 0.5 right,
     * 0.9 right. With M = 5 bins of width 0.2: (0.4, 0.6] holds 0.5; (0.6, 0.8] holds 0.7 and 0.8
     * (0.8 is on the edge and goes below it); (0.8, 1] holds 0.9.
     */
    static final double[][] PROBS = {
        {0.7, 0.2, 0.1},
        {0.1, 0.8, 0.1},
        {0.2, 0.3, 0.5},
        {0.05, 0.05, 0.9},
    };
    static final int[] LABELS = {0, 0, 2, 2};

    static INDArray probs() {
        return Nd4j.createFromArray(PROBS);
    }

    @Test
    void accuracyNllBrierByHand() {
        assertEquals(0.75, CalibrationMetrics.accuracy(probs(), LABELS), 0.0);
        double nll = -(Math.log(0.7) + Math.log(0.1) + Math.log(0.5) + Math.log(0.9)) / 4;
        assertEquals(nll, CalibrationMetrics.nll(probs(), LABELS), 1e-15);
        // rows: 0.09+0.04+0.01, 0.81+0.64+0.01, 0.04+0.09+0.25, 0.0025+0.0025+0.01
        assertEquals((0.14 + 1.46 + 0.38 + 0.015) / 4, CalibrationMetrics.brier(probs(), LABELS), 1e-15);
    }

    @Test
    void eceMceRmsByHandWithAnEdge() {
        // bins: {0.5 right}: gap 0.5; {0.7 right, 0.8 wrong}: acc 0.5, conf 0.75, gap 0.25; {0.9 right}: gap 0.1
        assertEquals(0.25 * 0.5 + 0.5 * 0.25 + 0.25 * 0.1, CalibrationMetrics.ece(probs(), LABELS, 5), 1e-15);
        assertEquals(0.5, CalibrationMetrics.mce(probs(), LABELS, 5), 1e-15);
        assertEquals(Math.sqrt(0.25 * 0.25 + 0.5 * 0.0625 + 0.25 * 0.01),
                CalibrationMetrics.rmsCalibrationError(probs(), LABELS, 5), 1e-15);
        ReliabilityBins bins = ReliabilityBins.topLabel(probs(), LABELS, 5, ReliabilityBins.Binning.EQUAL_WIDTH);
        List<ReliabilityBins.Bin> b = bins.bins();
        assertEquals(5, b.size());
        assertEquals(0, b.get(0).count());
        assertEquals(0, b.get(1).count());
        assertTrue(Double.isNaN(b.get(0).accuracy()) && Double.isNaN(b.get(0).meanConfidence()), "empty bin is NaN");
        assertEquals(1, b.get(2).count());
        assertEquals(2, b.get(3).count(), "0.8 lies on the edge 4/5 and belongs to (0.6, 0.8]");
        assertEquals(0.75, b.get(3).meanConfidence(), 1e-15);
        assertEquals(0.5, b.get(3).accuracy(), 0.0);
        assertEquals(0.25, b.get(3).gap(), 1e-15);
        assertEquals(1, b.get(4).count());
        assertEquals(0.6, b.get(3).lo(), 0.0);
        assertEquals(0.8, b.get(3).hi(), 0.0);
    }

    @Test
    void javadocExampleAgainstTorchmetricsRule() {
        // 0.3 right and 0.35 wrong, M = 10: (0.2, 0.3] and (0.3, 0.4] -> 0.5*0.7 + 0.5*0.35
        ReliabilityBins bins = ReliabilityBins.of(new double[] {0.3, 0.35}, new boolean[] {true, false}, 10,
                ReliabilityBins.Binning.EQUAL_WIDTH);
        assertEquals(0.525, bins.ece(), 1e-15);
        assertEquals(1, bins.bins().get(2).count());
        assertEquals(1, bins.bins().get(3).count());
        // the same through top-label probabilities of a 4-class model: [0.3, 0.3, 0.2, 0.2] predicts class 0
        INDArray p = Nd4j.createFromArray(new double[][] {{0.3, 0.3, 0.2, 0.2}, {0.35, 0.25, 0.2, 0.2}});
        assertEquals(0.525, CalibrationMetrics.ece(p, new int[] {0, 1}, 10), 1e-15);
        // a float32 0.3f is above the edge 0.3 as a double: it lands in (0.3, 0.4]
        INDArray p32 = p.castTo(DataType.FLOAT);
        assertEquals(2, ReliabilityBins.topLabel(p32, new int[] {0, 1}, 10, ReliabilityBins.Binning.EQUAL_WIDTH)
                .bins().get(3).count());
    }

    @Test
    void everyEdgeGoesToTheBinBelow() {
        for (int bins = 1; bins <= 25; bins++) {
            for (int m = 1; m <= bins; m++) {
                double edge = m / (double) bins;
                assertEquals(m - 1, ReliabilityBins.equalWidthBin(edge, bins), "edge " + m + "/" + bins);
                if (m < bins) {
                    assertEquals(m, ReliabilityBins.equalWidthBin(Math.nextUp(edge), bins), "just above " + m + "/" + bins);
                }
                assertEquals(m - 1, ReliabilityBins.equalWidthBin(Math.nextDown(edge), bins), "just below " + m + "/" + bins);
            }
            assertEquals(0, ReliabilityBins.equalWidthBin(0.0, bins), "0 goes to the first bin");
        }
        // 0.1 * 3 = 0.30000000000000004 > 0.3: the bin above
        assertEquals(3, ReliabilityBins.equalWidthBin(0.1 * 3, 10));
        assertEquals(2, ReliabilityBins.equalWidthBin(0.3, 10));
    }

    @Test
    void emptyBinsChangeNothing() {
        double[] conf = {0.91, 0.93, 0.95, 0.97};
        boolean[] hit = {true, true, false, true};
        // one occupied bin: acc 0.75, conf 0.94, ECE = MCE = RMS = 0.19 whatever the number of empty bins
        for (int bins : new int[] {1, 2, 5, 10}) {
            ReliabilityBins b = ReliabilityBins.of(conf, hit, bins, ReliabilityBins.Binning.EQUAL_WIDTH);
            assertEquals(0.19, b.ece(), 1e-15, "bins " + bins);
            assertEquals(0.19, b.mce(), 1e-15, "bins " + bins);
            assertEquals(0.19, b.rms(), 1e-15, "bins " + bins);
            assertEquals(4, b.bins().stream().mapToInt(ReliabilityBins.Bin::count).sum());
        }
    }

    @Test
    void adaptiveByHandAndTiesStayTogether() {
        // sorted confidences 0.5 (right), 0.7 (right), 0.8 (wrong), 0.9 (right); 2 bins of two:
        // {0.5, 0.7}: acc 1, conf 0.6; {0.8, 0.9}: acc 0.5, conf 0.85 -> 0.5*0.4 + 0.5*0.35
        assertEquals(0.375, CalibrationMetrics.adaptiveEce(probs(), LABELS, 2), 1e-15);
        ReliabilityBins b = ReliabilityBins.topLabel(probs(), LABELS, 2, ReliabilityBins.Binning.EQUAL_MASS);
        assertEquals(0.7, b.bins().get(0).hi(), 0.0);
        assertEquals(0.9, b.bins().get(1).hi(), 0.0);
        // ties across the cut at 2 of 4 go wholly to the lower bin: {0.5 x3}, {0.9}
        ReliabilityBins ties = ReliabilityBins.of(new double[] {0.5, 0.9, 0.5, 0.5}, new boolean[] {true, true, false, false},
                2, ReliabilityBins.Binning.EQUAL_MASS);
        assertEquals(3, ties.bins().get(0).count());
        assertEquals(1, ties.bins().get(1).count());
        assertEquals(0.75 * Math.abs(1.0 / 3 - 0.5) + 0.25 * 0.1, ties.ece(), 1e-15);
        // more bins than predictions: empty bins, same ECE as one bin per prediction
        ReliabilityBins sparse = ReliabilityBins.of(new double[] {0.6, 0.8}, new boolean[] {true, false}, 5,
                ReliabilityBins.Binning.EQUAL_MASS);
        assertEquals(2, sparse.bins().stream().filter(x -> x.count() > 0).count());
        assertEquals(0.5 * 0.4 + 0.5 * 0.8, sparse.ece(), 1e-15);
    }

    @Test
    void classwiseByHand() {
        // class 0: p = .7 (y=0), .1 (y=0), .2 (y=2), .05 (y=2); bins (0,.2]: {.1 hit, .2, .05}, (.6,.8]: {.7 hit}
        //   -> (|1 - .35| + |1 - .7|) / 4 = .2375
        // class 1: no row labelled 1 -> sum of p / 4 = (.2 + .8 + .3 + .05) / 4 = .3375
        // class 2: p = .1, .1 (misses), .5 (hit), .9 (hit) -> (.2 + .5 + .1) / 4 = .2
        assertEquals((0.2375 + 0.3375 + 0.2) / 3, CalibrationMetrics.classwiseEce(probs(), LABELS, 5), 1e-15);
    }

    @Test
    void summaryAgreesWithTheSingleMetrics() {
        CalibrationMetrics.Summary s = CalibrationMetrics.summary(probs(), LABELS, 5);
        assertEquals(CalibrationMetrics.ece(probs(), LABELS, 5), s.ece(), 0.0);
        assertEquals(CalibrationMetrics.adaptiveEce(probs(), LABELS, 5), s.adaptiveEce(), 0.0);
        assertEquals(CalibrationMetrics.classwiseEce(probs(), LABELS, 5), s.classwiseEce(), 0.0);
        assertEquals(CalibrationMetrics.brier(probs(), LABELS), s.brier(), 0.0);
        assertEquals(0.75, s.accuracy(), 0.0);
    }

    @Test
    void fromLogitsTheNllIsFiniteWhereAFloat32SoftmaxUnderflows() {
        // Row 0: the label's logit is 120 below the other, e^-120 ~ 8e-53 is 0 in float32.
        INDArray logits = Nd4j.createFromArray(new float[][] {{0f, 120f}, {2f, -1f}, {0.5f, 0.25f}});
        int[] y = {0, 0, 1};
        INDArray p32 = Nd4j.createFromArray(new float[][] {{0f, 1f}, {(float) (1 / (1 + Math.exp(-3))), (float) (1 / (1 + Math.exp(3)))},
                {(float) (1 / (1 + Math.exp(-0.25))), (float) (1 / (1 + Math.exp(0.25)))}});
        CalibrationMetrics.Summary fromP = CalibrationMetrics.summary(p32, y, 5);
        assertEquals(Double.POSITIVE_INFINITY, fromP.nll());
        assertEquals(1, fromP.zeroTrueClassProbabilities(), "the summary says a true-class probability was 0");
        CalibrationMetrics.Summary s = CalibrationMetrics.summaryFromLogits(logits, y, 5);
        // -log softmax(z)_y = logsumexp(z) - z_y, written out per row
        double expected = (120 + Math.log1p(Math.exp(-120)) + Math.log1p(Math.exp(-3)) + 0.25 + Math.log1p(Math.exp(-0.25))) / 3;
        assertEquals(expected, s.nll(), 1e-13);
        assertEquals(0, s.zeroTrueClassProbabilities());
        assertEquals(TemperatureScaling.nll(logits, y, 1.0), s.nll(), 1e-13);
        // The other metrics are those of the float64 probabilities.
        INDArray p64 = TemperatureScaling.probabilities(logits.castTo(DataType.DOUBLE), 1.0);
        CalibrationMetrics.Summary ref = CalibrationMetrics.summary(p64, y, 5);
        assertEquals(ref.ece(), s.ece(), 1e-15);
        assertEquals(ref.brier(), s.brier(), 1e-15);
        assertEquals(ref.classwiseEce(), s.classwiseEce(), 1e-15);
        assertEquals(1.0 / 3, s.accuracy(), 0.0); // row 1 right, rows 0 and 2 wrong
        // A label whose logit is -inf has probability 0 exactly: then the NLL is +inf, and counted.
        INDArray masked = Nd4j.createFromArray(new double[][] {{Double.NEGATIVE_INFINITY, 1}, {2, -1}});
        CalibrationMetrics.Summary m = CalibrationMetrics.summaryFromLogits(masked, new int[] {0, 0}, 5);
        assertEquals(Double.POSITIVE_INFINITY, m.nll());
        assertEquals(1, m.zeroTrueClassProbabilities());
        assertThrows(IllegalArgumentException.class,
                () -> CalibrationMetrics.summaryFromLogits(Nd4j.createFromArray(new double[][] {{Double.NaN, 1}}), new int[] {0}, 5));
    }

    @Test
    void defaultIs15Bins() {
        SplittableRandom rnd = new SplittableRandom(3);
        INDArray p = perfectlyCalibrated(2000, rnd);
        int[] y = lastLabels;
        assertEquals(CalibrationMetrics.ece(p, y, 15), CalibrationMetrics.ece(p, y), 0.0);
        assertTrue(CalibrationMetrics.ece(p, y, 14) != CalibrationMetrics.ece(p, y, 15));
    }

    private static int[] lastLabels;

    /**
     * Binary predictions [c, 1 - c] with c uniform on [0, 1], label 0 drawn with probability c: the
     * predictor is calibrated, top-label and per class.
     */
    static INDArray perfectlyCalibrated(int n, SplittableRandom rnd) {
        double[] p = new double[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double c = rnd.nextDouble();
            p[2 * i] = c;
            p[2 * i + 1] = 1 - c;
            y[i] = rnd.nextDouble() < c ? 0 : 1;
        }
        lastLabels = y;
        return Nd4j.create(p, new long[] {n, 2}, DataType.DOUBLE);
    }

    @Test
    void perfectlyCalibratedPredictorApproachesZero() {
        SplittableRandom rnd = new SplittableRandom(42);
        double[] eces = new double[3];
        int[] sizes = {1_000, 10_000, 200_000};
        for (int s = 0; s < sizes.length; s++) {
            INDArray p = perfectlyCalibrated(sizes[s], rnd);
            CalibrationMetrics.Summary m = CalibrationMetrics.summary(p, lastLabels, 15);
            eces[s] = m.ece();
            if (sizes[s] == 200_000) {
                // sampling noise ~ sqrt(M / N) ~ 0.01 shrinks to a few thousandths
                assertTrue(m.ece() < 0.006, "ECE " + m.ece());
                assertTrue(m.adaptiveEce() < 0.006, "adaptive ECE " + m.adaptiveEce());
                assertTrue(m.classwiseEce() < 0.006, "classwise ECE " + m.classwiseEce());
                assertTrue(m.rms() < 0.006, "RMS " + m.rms());
            }
        }
        assertTrue(eces[0] > eces[2] && eces[1] > eces[2], "ECE must fall with N: " + java.util.Arrays.toString(eces));
        // an over-confident version of the same predictor (c pushed towards 0 and 1) is not calibrated
        INDArray p = perfectlyCalibrated(200_000, rnd);
        INDArray sharp = sharpen(p);
        assertTrue(CalibrationMetrics.ece(sharp, lastLabels) > 0.05);
    }

    static INDArray sharpen(INDArray probs) {
        double[] p = probs.data().asDouble();
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i += 2) {
            double c = p[i];
            double s = c * c / (c * c + (1 - c) * (1 - c)); // softmax of the doubled logit
            out[i] = s;
            out[i + 1] = 1 - s;
        }
        return Nd4j.create(out, probs.shape(), DataType.DOUBLE);
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationMetrics.ece(probs(), new int[] {0, 1, 2}));
        assertTrue(e.getMessage().contains("labels") && e.getMessage().contains("4") && e.getMessage().contains("3"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationMetrics.ece(Nd4j.createFromArray(new double[][] {{1.0}, {1.0}}), new int[] {0, 0}));
        assertTrue(e.getMessage().contains("at least 2 classes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationMetrics.nll(Nd4j.createFromArray(new double[][] {{Double.NaN, 0.5}}), new int[] {0}));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("[0, 0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationMetrics.brier(Nd4j.createFromArray(new double[][] {{2.0, -1.0}}), new int[] {0}));
        assertTrue(e.getMessage().contains("probabilities[0, 0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationMetrics.accuracy(Nd4j.createFromArray(new double[][] {{0.2, 0.3}}), new int[] {0}));
        assertTrue(e.getMessage().contains("sum to 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CalibrationMetrics.ece(probs(), new int[] {0, 1, 3, 0}));
        assertTrue(e.getMessage().contains("labels[2]") && e.getMessage().contains("3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CalibrationMetrics.ece(probs(), LABELS, 0));
        assertTrue(e.getMessage().contains("numBins"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CalibrationMetrics.ece(null, LABELS));
        assertThrows(IllegalArgumentException.class, () -> CalibrationMetrics.ece(probs(), null));
        assertThrows(IllegalArgumentException.class, () -> CalibrationMetrics.ece(Nd4j.create(DataType.DOUBLE, 0, 3), new int[0]));
        assertThrows(IllegalArgumentException.class, () -> ReliabilityBins.of(new double[] {0.5}, new boolean[2], 5,
                ReliabilityBins.Binning.EQUAL_WIDTH));
        assertThrows(IllegalArgumentException.class, () -> ReliabilityBins.ofClass(probs(), LABELS, 3, 5));
    }

    @Test
    void nllOfAZeroProbabilityIsInfinite() {
        INDArray p = Nd4j.createFromArray(new double[][] {{1.0, 0.0}});
        assertEquals(Double.POSITIVE_INFINITY, CalibrationMetrics.nll(p, new int[] {1}));
        assertEquals(0.0, CalibrationMetrics.nll(p, new int[] {0}), 0.0);
    }
}
