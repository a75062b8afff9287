package dev.softgrad.nn.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.Losses;
import dev.softgrad.core.SoftmaxCrossEntropy;
import dev.softgrad.core.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The temperature fit against an independent grid search, its edge cases, and its effect on a real over-confident model. */
class TemperatureScalingTest {

    /** Logits [n, k] ~ scale * N(0, 1) with labels drawn from softmax(z / trueT) (so the best T is near trueT). */
    static INDArray randomLogits(int n, int k, double scale, double trueT, long seed, int[] labelsOut) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] z = new double[n * k];
        double[] w = new double[k];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double g = gaussian(rnd);
                z[i * k + j] = scale * g;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[i * k + j]);
            }
            for (int j = 0; j < k; j++) {
                w[j] = Math.exp((z[i * k + j] - max) / trueT);
                sum += w[j];
            }
            double u = rnd.nextDouble() * sum;
            int y = k - 1;
            for (int j = 0; j < k; j++) {
                u -= w[j];
                if (u < 0) {
                    y = j;
                    break;
                }
            }
            labelsOut[i] = y;
        }
        return Nd4j.create(z, new long[] {n, k}, DataType.DOUBLE);
    }

    static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    /** The test's own mean NLL of softmax(z / t): naive but stable log-sum-exp over a double[][] copy. */
    static double referenceNll(double[][] z, int[] y, double t) {
        double total = 0;
        for (int i = 0; i < z.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z[i]) {
                max = Math.max(max, v / t);
            }
            double s = 0;
            for (double v : z[i]) {
                s += Math.exp(v / t - max);
            }
            total += max + Math.log(s) - z[i][y[i]] / t;
        }
        return total / z.length;
    }

    @Test
    void fitMatchesAFineGridSearch() {
        for (double trueT : new double[] {0.4, 1.0, 2.5}) {
            int[] y = new int[600];
            INDArray logits = randomLogits(600, 5, 3.0, trueT, 11, y);
            double[][] z = logits.toDoubleMatrix();
            TemperatureScaling.Result r = TemperatureScaling.fit(logits, y);
            assertEquals(TemperatureScaling.Status.CONVERGED, r.status());
            // grid over T in [0.2, 6] with step 1e-2, then step 1e-5 within +-0.02 of its best point
            // (the NLL is convex in 1/T, hence unimodal in T)
            double coarse = gridArgMin(z, y, 0.2, 1e-2, 580);
            double bestT = gridArgMin(z, y, coarse - 0.02, 1e-5, 4000);
            double bestNll = referenceNll(z, y, bestT);
            assertEquals(bestT, r.temperature(), 1e-5, "grid optimum, true T " + trueT);
            assertTrue(r.nllAfter() <= bestNll + 1e-13, "fit " + r.nllAfter() + " vs grid " + bestNll);
            assertEquals(referenceNll(z, y, r.temperature()), r.nllAfter(), 1e-13);
            assertEquals(referenceNll(z, y, 1.0), r.nllBefore(), 1e-13);
            // the derivative vanishes: central difference of the reference NLL in T
            double h = 1e-5 * r.temperature();
            double slope = (referenceNll(z, y, r.temperature() + h) - referenceNll(z, y, r.temperature() - h)) / (2 * h);
            assertEquals(0.0, slope, 1e-7, "dNLL/dT at the fit");
            assertTrue(r.iterations() < 20, "Newton iterations " + r.iterations());
        }
    }

    static double gridArgMin(double[][] z, int[] y, double from, double step, int steps) {
        double bestT = Double.NaN;
        double bestNll = Double.POSITIVE_INFINITY;
        for (int g = 0; g <= steps; g++) {
            double t = from + g * step;
            double nll = referenceNll(z, y, t);
            if (nll < bestNll) {
                bestNll = nll;
                bestT = t;
            }
        }
        return bestT;
    }

    @Test
    void analyticDerivativesAgreeWithAutogradThroughCoreCrossEntropy() {
        int[] y = new int[120];
        INDArray logits = randomLogits(120, 5, 2.5, 1.3, 17, y);
        Inputs.Matrix z = Inputs.logits("test", logits, y, true);
        TemperatureScaling.Objective f = new TemperatureScaling.Objective(z, y);
        for (double beta : new double[] {0.05, 0.4, 1.0, 2.7}) {
            TemperatureScaling.Objective.Point at = f.eval(beta);
            // core's cross-entropy at temperature 1 / beta: an independent value
            double ce = Losses.crossEntropy(Tensor.constant(logits), y,
                    SoftmaxCrossEntropy.Options.DEFAULT.withTemperature(1 / beta)).item();
            assertEquals(ce, at.value(), 1e-13, "f at beta " + beta);
            assertEquals(autogradSlope(logits, y, beta), at.gradient(), 1e-12, "f' at beta " + beta);
            double h = 1e-5;
            double curvature = (autogradSlope(logits, y, beta + h) - autogradSlope(logits, y, beta - h)) / (2 * h);
            assertEquals(curvature, at.curvature(), 1e-7 * Math.max(1, curvature), "f'' at beta " + beta);
        }
    }

    /** d/dbeta of core's mean cross-entropy of beta * z, by reverse mode through a rank-0 parameter. */
    static double autogradSlope(INDArray logits, int[] y, double beta) {
        Tensor b = Tensor.parameter(Nd4j.scalar(beta));
        Losses.crossEntropy(Tensor.constant(logits).mul(b), y).backward();
        return b.grad().getDouble();
    }

    @Test
    void scalingTheLogitsScalesT() {
        int[] y = new int[300];
        INDArray logits = randomLogits(300, 4, 2.0, 1.5, 5, y);
        double t = TemperatureScaling.fit(logits, y).temperature();
        double t3 = TemperatureScaling.fit(logits.mul(3.0), y).temperature();
        assertEquals(3 * t, t3, 1e-10 * t3);
        // float32 logits give the same T as their float64 values
        INDArray f32 = logits.castTo(DataType.FLOAT);
        assertEquals(TemperatureScaling.fit(f32.castTo(DataType.DOUBLE), y).temperature(),
                TemperatureScaling.fit(f32, y).temperature(), 0.0);
    }

    @Test
    void separableAndCorrectHitsTheLowerCap() {
        INDArray logits = Nd4j.createFromArray(new double[][] {{3, 0, 0}, {0, 2, -1}, {-1, 0, 1}});
        int[] y = {0, 1, 2};
        TemperatureScaling.Result r = TemperatureScaling.fit(logits, y);
        assertEquals(TemperatureScaling.Status.AT_MIN_TEMPERATURE, r.status());
        assertEquals(TemperatureScaling.Options.DEFAULT.minTemperature(), r.temperature(), 0.0);
        assertTrue(r.nllAfter() < r.nllBefore());
        assertTrue(r.nllAfter() < 1e-20, "at T = 0.01 the margins 1..3 are 100..300: NLL " + r.nllAfter());
        TemperatureScaling.Options opts = new TemperatureScaling.Options(0.5, 3, 100);
        assertEquals(0.5, TemperatureScaling.fit(logits, y, opts).temperature(), 0.0);
    }

    @Test
    void wellSeparatedLogitsReachTheCapInsteadOfCreepingTowardIt() {
        // Margins 6 and 5: f' and f'' fade like e^(-beta m), Newton moves beta by about 1/m per step
        // and used to stop at MAX_ITERATIONS with T = 0.0246, neither the cap nor an optimum.
        INDArray logits = Nd4j.createFromArray(new double[][] {{5, -1}, {-2, 3}});
        TemperatureScaling.Result r = TemperatureScaling.fit(logits, new int[] {0, 1});
        assertEquals(TemperatureScaling.Status.AT_MIN_TEMPERATURE, r.status());
        assertEquals(0.01, r.temperature(), 0.0);
        assertTrue(r.gradient() <= 0, "the NLL still falls at the cap: f' = " + r.gradient());
        assertTrue(r.iterations() < 10, "the cap is noticed early, iterations " + r.iterations());
        assertEquals(TemperatureScaling.nll(logits, new int[] {0, 1}, 0.01), r.nllAfter(), 0.0);
        // The same logits with a cap the optimum lies above are still found by Newton: one wrong row.
        INDArray mixed = Nd4j.createFromArray(new double[][] {{5, -1}, {-2, 3}, {1, 0}});
        TemperatureScaling.Result m = TemperatureScaling.fit(mixed, new int[] {0, 1, 1});
        assertEquals(TemperatureScaling.Status.CONVERGED, m.status());
        assertEquals(0, m.gradient(), 1e-12);
    }

    @Test
    void capsThatExcludeOne() {
        int[] y = new int[400];
        INDArray logits = randomLogits(400, 4, 3.0, 2.5, 31, y);
        TemperatureScaling.Result free = TemperatureScaling.fit(logits, y);
        assertTrue(free.temperature() > 2 && free.temperature() < 3.5, "T " + free.temperature());
        // caps [2, 10]: the fit starts at the upper end of beta (T = 2) and must find the same optimum
        TemperatureScaling.Result capped = TemperatureScaling.fit(logits, y, new TemperatureScaling.Options(2, 10, 100));
        assertEquals(TemperatureScaling.Status.CONVERGED, capped.status());
        assertEquals(free.temperature(), capped.temperature(), 1e-12 * free.temperature());
        assertEquals(free.nllBefore(), capped.nllBefore(), 0.0, "nllBefore is at T = 1 even outside the caps");
        // caps [4, 10]: the optimum lies below, the fit stops at T = 4
        TemperatureScaling.Result low = TemperatureScaling.fit(logits, y, new TemperatureScaling.Options(4, 10, 100));
        assertEquals(TemperatureScaling.Status.AT_MIN_TEMPERATURE, low.status());
        assertEquals(4.0, low.temperature(), 0.0);
        // caps [0.1, 1.5]: the optimum lies above, the fit stops at T = 1.5
        TemperatureScaling.Result high = TemperatureScaling.fit(logits, y, new TemperatureScaling.Options(0.1, 1.5, 100));
        assertEquals(TemperatureScaling.Status.AT_MAX_TEMPERATURE, high.status());
        assertEquals(1.5, high.temperature(), 0.0);
        // an iteration limit below what Newton needs is reported, not hidden
        TemperatureScaling.Result cut = TemperatureScaling.fit(logits, y, new TemperatureScaling.Options(0.01, 100, 2));
        assertEquals(TemperatureScaling.Status.MAX_ITERATIONS, cut.status());
        assertEquals(2, cut.iterations());
        assertTrue(cut.nllAfter() >= free.nllAfter());
    }

    @Test
    void wrongOnAverageHitsTheUpperCap() {
        // every label is the least likely class: the NLL falls all the way to uniform probabilities
        INDArray logits = Nd4j.createFromArray(new double[][] {{3, 0, 0}, {0, 2, -1}, {-1, 0, 1}});
        TemperatureScaling.Result r = TemperatureScaling.fit(logits, new int[] {1, 2, 0});
        assertEquals(TemperatureScaling.Status.AT_MAX_TEMPERATURE, r.status());
        assertEquals(100.0, r.temperature(), 0.0);
        assertTrue(r.nllAfter() < r.nllBefore() && r.nllAfter() > Math.log(3) - 1e-3, "near log 3: " + r.nllAfter());
    }

    @Test
    void constantLogitsGiveOne() {
        INDArray logits = Nd4j.createFromArray(new double[][] {{2, 2, 2}, {-1, -1, -1}, {0, Double.NEGATIVE_INFINITY, 0}});
        TemperatureScaling.Result r = TemperatureScaling.fit(logits, new int[] {0, 2, 2});
        assertEquals(TemperatureScaling.Status.CONSTANT_LOGITS, r.status());
        assertEquals(1.0, r.temperature(), 0.0);
        assertEquals((2 * Math.log(3) + Math.log(2)) / 3, r.nllBefore(), 1e-15);
    }

    @Test
    void aMinusInfinityLogitIsAMaskedClass() {
        int[] y = new int[200];
        INDArray logits = randomLogits(200, 3, 2.0, 1.7, 9, y);
        INDArray masked = Nd4j.concat(1, logits, Nd4j.valueArrayOf(new long[] {200, 1}, Double.NEGATIVE_INFINITY,
                DataType.DOUBLE));
        TemperatureScaling.Result plain = TemperatureScaling.fit(logits, y);
        TemperatureScaling.Result withMask = TemperatureScaling.fit(masked, y);
        assertEquals(plain.temperature(), withMask.temperature(), 1e-12 * plain.temperature());
        INDArray p = TemperatureScaling.probabilities(masked, withMask.temperature());
        for (int i = 0; i < 200; i++) {
            assertEquals(0.0, p.getDouble(i, 3), 0.0);
            assertTrue(Double.isFinite(p.getDouble(i, 0)));
        }
        assertEquals(plain.nllAfter(), TemperatureScaling.nll(masked, y, withMask.temperature()), 1e-13);
    }

    @Test
    void probabilitiesAreStableForHugeLogits() {
        INDArray z = Nd4j.createFromArray(new double[][] {{1e300, -1e300, 0}, {800, 799, -800}});
        INDArray p = TemperatureScaling.probabilities(z, 1.0);
        assertEquals(1.0, p.getDouble(0, 0), 0.0);
        assertEquals(1 / (1 + Math.exp(-1)), p.getDouble(1, 0), 1e-15);
        assertEquals(Math.log(1 + Math.exp(-1)), TemperatureScaling.nll(z.getRow(1, true), new int[] {0}, 1.0), 1e-15);
        assertEquals(DataType.FLOAT, TemperatureScaling.probabilities(z.getRow(1, true).castTo(DataType.FLOAT), 2.0)
                .dataType());
    }

    @Test
    void neverChangesTheArgMax() {
        int[] y = new int[500];
        INDArray logits = randomLogits(500, 6, 4.0, 1.0, 21, y);
        LogitModel model = x -> logits; // features are ignored: the logits are the model's output
        int[] raw = firstArgMax(logits.toDoubleMatrix());
        for (double t : new double[] {0.01, 0.3, 1, 4.7, 100}) {
            CalibratedModel m = TemperatureScaling.wrap(model, t);
            assertArrayEquals(raw, m.predict(Nd4j.zeros(500, 1)), "predict at T " + t);
            INDArray p = m.probabilities(Nd4j.zeros(500, 1));
            assertArrayEquals(raw, firstArgMax(p.toDoubleMatrix()), "arg-max of the probabilities at T " + t);
            assertEquals(CalibrationMetrics.accuracy(TemperatureScaling.probabilities(logits, 1), y),
                    CalibrationMetrics.accuracy(p, y), 0.0);
            assertEquals(logits.getDouble(7, 2) / t, m.logits(Nd4j.zeros(500, 1)).getDouble(7, 2), 1e-15);
        }
    }

    static int[] firstArgMax(double[][] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 1; j < rows[i].length; j++) {
                if (rows[i][j] > rows[i][out[i]]) {
                    out[i] = j;
                }
            }
        }
        return out;
    }

    @Test
    void lowersEceAndNllOfAnOverConfidentModel() {
        OverConfident oc = OverConfident.train(7, 1500);
        LogitModel model = oc.model();
        int[] yTrain = oc.train.labels();
        assertEquals(1.0, CalibrationMetrics.accuracy(TemperatureScaling.probabilities(model.logits(oc.train.features()), 1),
                yTrain), 0.0, "the model memorised its noisy training labels");
        TemperatureScaling.Result r = TemperatureScaling.fit(model.logits(oc.validation.features()), oc.validation.labels());
        assertEquals(TemperatureScaling.Status.CONVERGED, r.status());
        assertTrue(r.temperature() > 1, "over-confident: T " + r.temperature());
        CalibratedModel calibrated = TemperatureScaling.wrap(model, r.temperature());
        int[] yTest = oc.test.labels();
        INDArray before = TemperatureScaling.probabilities(model.logits(oc.test.features()), 1);
        INDArray after = calibrated.probabilities(oc.test.features());
        CalibrationMetrics.Summary b = CalibrationMetrics.summary(before, yTest, 15);
        CalibrationMetrics.Summary a = CalibrationMetrics.summary(after, yTest, 15);
        assertTrue(a.ece() < b.ece() / 2, "test ECE " + b.ece() + " -> " + a.ece());
        assertTrue(a.nll() < b.nll(), "test NLL " + b.nll() + " -> " + a.nll());
        assertTrue(a.brier() < b.brier(), "test Brier " + b.brier() + " -> " + a.brier());
        assertTrue(a.adaptiveEce() < b.adaptiveEce() && a.classwiseEce() < b.classwiseEce());
        assertEquals(b.accuracy(), a.accuracy(), 0.0, "accuracy is unchanged");
        assertTrue(r.nllAfter() < r.nllBefore());
    }

    @Test
    void badInputIsNamed() {
        INDArray z = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TemperatureScaling.fit(z, new int[] {0}));
        assertTrue(e.getMessage().contains("labels") && e.getMessage().contains("2") && e.getMessage().contains("1"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TemperatureScaling.fit(Nd4j.createFromArray(new double[][] {{1}, {2}}), new int[] {0, 0}));
        assertTrue(e.getMessage().contains("at least 2 classes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TemperatureScaling.fit(Nd4j.createFromArray(new double[][] {{1, Double.NaN}}), new int[] {0}));
        assertTrue(e.getMessage().contains("logits[0, 1]") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.fit(
                Nd4j.createFromArray(new double[][] {{1, Double.POSITIVE_INFINITY}}), new int[] {0}));
        assertTrue(e.getMessage().contains("Infinity"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.fit(
                Nd4j.createFromArray(new double[][] {{1, Double.NEGATIVE_INFINITY}}), new int[] {1}));
        assertTrue(e.getMessage().contains("true class"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.probabilities(z, 0.0));
        assertTrue(e.getMessage().contains("temperature") && e.getMessage().contains("0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.probabilities(z, -1.0));
        assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.probabilities(z, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.nll(z, new int[] {0, 1}, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.wrap(x -> z, -2));
        assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.wrap(null, 1));
        assertThrows(IllegalArgumentException.class, () -> new TemperatureScaling.Options(0, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new TemperatureScaling.Options(2, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new TemperatureScaling.Options(0.1, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.fit(z, new int[] {0, 1}, null));
        assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.fit(
                Nd4j.createFromArray(new double[][] {{Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}}), new int[] {0}));
    }
}
