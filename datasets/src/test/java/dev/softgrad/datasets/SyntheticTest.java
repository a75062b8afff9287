package dev.softgrad.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class SyntheticTest {

    @Test
    void everyGeneratorIsDeterministicForASeedAndChangesWithIt() {
        Dataset[][] pairs = {
            {Synthetic.blobs(300, 4, 5, 2.0, 1), Synthetic.blobs(300, 4, 5, 2.0, 1), Synthetic.blobs(300, 4, 5, 2.0, 2)},
            {Synthetic.spirals(300, 3, 0.2, 1), Synthetic.spirals(300, 3, 0.2, 1), Synthetic.spirals(300, 3, 0.2, 2)},
            {Synthetic.xor(200, 0.2, 1), Synthetic.xor(200, 0.2, 1), Synthetic.xor(200, 0.2, 2)},
            {Synthetic.linearlySeparable(200, 3, 0.5, 1), Synthetic.linearlySeparable(200, 3, 0.5, 1),
                Synthetic.linearlySeparable(200, 3, 0.5, 2)},
        };
        for (Dataset[] p : pairs) {
            assertArrayEquals(p[0].features().data().asFloat(), p[1].features().data().asFloat(), p[0].name());
            assertArrayEquals(p[0].labels(), p[1].labels(), p[0].name());
            assertFalse(Arrays.equals(p[0].features().data().asFloat(), p[2].features().data().asFloat()), p[0].name());
        }
    }

    @Test
    void floatVersionIsTheDoubleVersionRoundedOnce() {
        Dataset f = Synthetic.spirals(90, 3, 0.1, 4);
        Dataset d = Synthetic.spirals(90, 3, 0.1, 4, DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, d.dataType());
        double[] xd = d.features().data().asDouble();
        float[] xf = f.features().data().asFloat();
        for (int i = 0; i < xd.length; i++) {
            assertEquals((float) xd[i], xf[i]);
        }
    }

    @Test
    void blobsAreBalancedAndTheirCentresAreSeparationApart() {
        int k = 4;
        int dims = 3;
        double sep = 5.0;
        Dataset d = Synthetic.blobs(40_000, k, dims, sep, 9);
        assertArrayEquals(new int[] {10_000, 10_000, 10_000, 10_000}, d.classCounts());
        double[][] means = classMeans(d);
        double min = Double.POSITIVE_INFINITY;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                min = Math.min(min, dist(means[a], means[b]));
            }
        }
        // Each mean has standard error 0.01 per coordinate: the closest pair is sep up to ~0.05.
        assertEquals(sep, min, 0.06);
        // Within-class standard deviation 1 in every dimension.
        float[] x = d.features().data().asFloat();
        int[] y = d.labels();
        double ss = 0;
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < dims; j++) {
                double t = x[i * dims + j] - means[y[i]][j];
                ss += t * t;
            }
        }
        assertEquals(1.0, Math.sqrt(ss / (y.length * dims)), 0.02);
    }

    @Test
    void blobsRowsAreShuffledNotGroupedByClass() {
        int[] y = Synthetic.blobs(100, 2, 2, 3.0, 1).labels();
        int changes = 0;
        for (int i = 1; i < y.length; i++) {
            changes += y[i] != y[i - 1] ? 1 : 0;
        }
        assertTrue(changes > 30, "labels look grouped: " + changes + " changes in 100 rows");
    }

    @Test
    void spiralsHaveOneArmPerClassWithinTheUnitDisc() {
        Dataset d = Synthetic.spirals(301, 3, 0.0, 5);
        assertArrayEquals(new int[] {101, 100, 100}, d.classCounts());
        assertEquals(2, d.numFeatures());
        float[] x = d.features().data().asFloat();
        int[] y = d.labels();
        for (int i = 0; i < y.length; i++) {
            double r = Math.hypot(x[2 * i], x[2 * i + 1]);
            assertTrue(r <= 1.0 + 1e-6, "radius " + r);
            if (r > 0.05) {
                // Without noise the angle is 2 pi k / 3 + 2 pi r exactly (atan2 with sin on x, cos on y).
                double expected = 2 * Math.PI * y[i] / 3 + 2 * Math.PI * r;
                double actual = Math.atan2(x[2 * i], x[2 * i + 1]);
                double diff = Math.IEEEremainder(actual - expected, 2 * Math.PI);
                assertEquals(0.0, diff, 1e-4, "row " + i);
            }
        }
    }

    @Test
    void xorLabelIsTheSignDisagreementOfTheCoordinatesAtLowNoise() {
        Dataset d = Synthetic.xor(400, 0.1, 3);
        assertArrayEquals(new int[] {200, 200}, d.classCounts());
        float[] x = d.features().data().asFloat();
        for (int i = 0; i < d.size(); i++) {
            int expected = (x[2 * i] > 0) != (x[2 * i + 1] > 0) ? 1 : 0; // noise 0.1: 10 sigma from an axis
            assertEquals(expected, d.label(i), "row " + i);
        }
        assertEquals("different", d.classNames().get(1));
    }

    @Test
    void linearlySeparableKeepsEveryPointAtLeastTheMarginFromThePlane() {
        int dims = 6;
        double margin = 0.75;
        long seed = 12;
        Dataset d = Synthetic.linearlySeparable(2000, dims, margin, seed, DataType.DOUBLE);
        double[] w = Synthetic.separatingNormal(dims, seed);
        assertEquals(1.0, Math.sqrt(dot(w, w)), 1e-12);
        double[] x = d.features().data().asDouble();
        double closest = Double.POSITIVE_INFINITY;
        int positives = 0;
        for (int i = 0; i < d.size(); i++) {
            double s = dot(w, Arrays.copyOfRange(x, i * dims, (i + 1) * dims));
            assertEquals(d.label(i) == 1, s > 0, "row " + i + " on the wrong side: " + s);
            closest = Math.min(closest, Math.abs(s));
            positives += d.label(i);
        }
        assertTrue(closest >= margin - 1e-12, "closest point at " + closest);
        assertTrue(closest < margin + 0.01, "with 2000 points some lie near the margin; closest " + closest);
        assertTrue(positives > 900 && positives < 1100, "positives " + positives);
    }

    @Test
    void aPerceptronSeparatesTheLinearlySeparableDataInFloat32() {
        Dataset d = Synthetic.linearlySeparable(500, 10, 0.5, 8);
        int dims = d.numFeatures();
        float[] x = d.features().data().asFloat();
        double[] w = new double[dims + 1];
        boolean converged = false;
        for (int epoch = 0; epoch < 1000 && !converged; epoch++) {
            converged = true;
            for (int i = 0; i < d.size(); i++) {
                double s = w[dims];
                for (int j = 0; j < dims; j++) {
                    s += w[j] * x[i * dims + j];
                }
                int t = d.label(i) == 1 ? 1 : -1;
                if (s * t <= 0) {
                    converged = false;
                    for (int j = 0; j < dims; j++) {
                        w[j] += t * x[i * dims + j];
                    }
                    w[dims] += t;
                }
            }
        }
        assertTrue(converged, "perceptron did not converge: data not separable");
    }

    @Test
    void embeddedDefaultIsAFixedBalancedFiveClassProblem() {
        Dataset d = Datasets.embeddedDefault();
        assertEquals("embedded-blobs", d.name());
        assertEquals(600, d.size());
        assertEquals(10, d.numFeatures());
        assertEquals(DataType.FLOAT, d.dataType());
        assertArrayEquals(new int[] {120, 120, 120, 120, 120}, d.classCounts());
        assertArrayEquals(d.features().data().asFloat(), Datasets.embeddedDefault().features().data().asFloat());
        // Neither trivial nor hopeless: nearest class mean (close to Bayes-optimal here) gets most right.
        double acc = nearestMeanAccuracy(d);
        assertTrue(acc > 0.80 && acc < 0.995, "nearest-mean accuracy " + acc);
    }

    @Test
    void generatorsRejectBadArgumentsNamingThem() {
        DatasetTest.assertMessage(() -> Synthetic.blobs(10, 1, 2, 1.0, 0), "number of classes");
        DatasetTest.assertMessage(() -> Synthetic.blobs(3, 4, 2, 1.0, 0), "n: expected at least one row per class");
        DatasetTest.assertMessage(() -> Synthetic.blobs(10, 2, 2, 0.0, 0), "separation");
        DatasetTest.assertMessage(() -> Synthetic.blobs(10, 2, 0, 1.0, 0), "dims");
        DatasetTest.assertMessage(() -> Synthetic.spirals(5, 3, 0.1, 0), "2 points per arm");
        DatasetTest.assertMessage(() -> Synthetic.spirals(50, 3, Double.NaN, 0), "noise");
        DatasetTest.assertMessage(() -> Synthetic.xor(3, 0.1, 0), "at least 4");
        DatasetTest.assertMessage(() -> Synthetic.linearlySeparable(10, 2, -1, 0), "margin");
        DatasetTest.assertMessage(() -> Synthetic.blobs(10, 2, 2, 1.0, 0, DataType.FLOAT16), "FLOAT or DOUBLE");
    }

    static double nearestMeanAccuracy(Dataset d) {
        double[][] means = classMeans(d);
        int dims = d.numFeatures();
        double[] x = d.featuresAsDoubles();
        int right = 0;
        for (int i = 0; i < d.size(); i++) {
            double[] row = Arrays.copyOfRange(x, i * dims, (i + 1) * dims);
            int best = 0;
            for (int c = 1; c < means.length; c++) {
                if (dist(row, means[c]) < dist(row, means[best])) {
                    best = c;
                }
            }
            right += best == d.label(i) ? 1 : 0;
        }
        return (double) right / d.size();
    }

    static double[][] classMeans(Dataset d) {
        int dims = d.numFeatures();
        double[] x = d.featuresAsDoubles();
        double[][] means = new double[d.numClasses()][dims];
        int[] counts = d.classCounts();
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < dims; j++) {
                means[d.label(i)][j] += x[i * dims + j] / counts[d.label(i)];
            }
        }
        return means;
    }

    static double dist(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return Math.sqrt(s);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
