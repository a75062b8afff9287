package dev.softgrad.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SplitAndScalingTest {

    /** Rows whose first feature is the row index, so every row can be traced after a split. */
    private static Dataset traced(int[] labels) {
        int n = labels.length;
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10.0 * labels[i];
        }
        return Dataset.of("traced", x, 2, labels, List.of("a", "b", "c"));
    }

    @Test
    void stratifiedSplitKeepsClassProportionsAndPartitionsTheRows() {
        int[] y = new int[100]; // 50 a, 30 b, 20 c, interleaved
        for (int i = 0; i < 100; i++) {
            y[i] = i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2;
        }
        Split s = Split.stratified(traced(y), 0.2, 3);
        assertArrayEquals(new int[] {10, 6, 4}, s.test().classCounts());
        assertArrayEquals(new int[] {40, 24, 16}, s.train().classCounts());
        assertEquals("traced/train", s.train().name());
        Set<Integer> seen = new HashSet<>();
        for (Dataset part : List.of(s.train(), s.test())) {
            double[] x = part.features().data().asDouble();
            double prev = -1;
            for (int i = 0; i < part.size(); i++) {
                int row = (int) x[2 * i];
                assertTrue(seen.add(row), "row " + row + " in both parts");
                assertTrue(row > prev, "original order kept");
                prev = row;
                assertEquals(y[row], part.label(i));
                assertEquals(10.0 * y[row], x[2 * i + 1]);
            }
        }
        assertEquals(100, seen.size());
    }

    @Test
    void splitDependsOnlyOnTheSeed() {
        Dataset d = Synthetic.blobs(200, 3, 2, 2.0, 1);
        Split a = Split.stratified(d, 0.3, 5);
        Split b = Split.stratified(d, 0.3, 5);
        Split c = Split.stratified(d, 0.3, 6);
        assertArrayEquals(a.test().features().data().asFloat(), b.test().features().data().asFloat());
        assertFalse(Arrays.equals(a.test().features().data().asFloat(), c.test().features().data().asFloat()));
    }

    @Test
    void splitRejectsFractionsThatLeaveAPartEmpty() {
        Dataset d = traced(new int[] {0, 1, 2});
        DatasetTest.assertMessage(() -> Split.stratified(d, 0.0, 1), "testFraction: expected a value in (0, 1), got 0.0");
        DatasetTest.assertMessage(() -> Split.stratified(d, 1.0, 1), "testFraction");
        DatasetTest.assertMessage(() -> Split.stratified(d, 0.1, 1), "leaves the test part empty");
        DatasetTest.assertMessage(() -> new Split(d, Synthetic.xor(8, 0.1, 1)), "class names");
    }

    @Test
    void standardizerFitsOnTrainAndAppliesTheSameShiftToTest() {
        // Column 0: 1, 2, 3, 4 -> mean 2.5, population std sqrt(1.25); column 1 constant 7 -> scale 1.
        Dataset train = Dataset.of("train", new double[] {1, 7, 2, 7, 3, 7, 4, 7}, 2, new int[] {0, 0, 1, 1},
                List.of("x", "y"));
        Standardizer s = Standardizer.fit(train);
        assertArrayEquals(new double[] {2.5, 7}, s.mean(), 1e-15);
        assertArrayEquals(new double[] {Math.sqrt(1.25), 1}, s.scale(), 1e-15);
        double[] z = s.transform(train).features().data().asDouble();
        double sd = Math.sqrt(1.25);
        assertArrayEquals(new double[] {-1.5 / sd, 0, -0.5 / sd, 0, 0.5 / sd, 0, 1.5 / sd, 0}, z, 1e-12);
        INDArray test = Nd4j.create(new float[] {5, 8}, new long[] {1, 2}, DataType.FLOAT);
        INDArray zt = s.transform(test);
        assertEquals(DataType.FLOAT, zt.dataType());
        assertEquals((float) (2.5 / sd), zt.getFloat(0, 0), 1e-6f);
        assertEquals(1f, zt.getFloat(0, 1), 0f);
        DatasetTest.assertMessage(() -> s.transform(Nd4j.create(DataType.FLOAT, 2, 3)), "expects shape [N, 2], got [2, 3]");
    }

    @Test
    void aStandardizerRebuiltFromItsMeanAndScaleTransformsBitForBitLikeTheFittedOne() {
        Dataset d = Synthetic.blobs(200, 3, 4, 5.0, 9).asType(DataType.DOUBLE);
        Standardizer fitted = Standardizer.fit(d);
        Standardizer rebuilt = Standardizer.of(fitted.mean(), fitted.scale());
        assertEquals(4, rebuilt.numFeatures());
        assertArrayEquals(fitted.transform(d).featuresAsDoubles(), rebuilt.transform(d).featuresAsDoubles(), 0.0);
        // plain rows give the same numbers as the DOUBLE matrix path, row by row
        double[] x = d.featuresAsDoubles();
        double[][] rows = new double[d.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Arrays.copyOfRange(x, 4 * i, 4 * i + 4);
        }
        double[][] z = rebuilt.transform(rows);
        double[] expected = fitted.transform(d).featuresAsDoubles();
        for (int i = 0; i < rows.length; i++) {
            assertArrayEquals(Arrays.copyOfRange(expected, 4 * i, 4 * i + 4), z[i], 0.0, "row " + i);
        }
        assertArrayEquals(Arrays.copyOfRange(x, 0, 4), rows[0], 0.0, "the input rows stay unchanged");
    }

    @Test
    void aStandardizerRebuiltFromBadStatisticsOrGivenBadRowsSaysWhatIsWrong() {
        DatasetTest.assertMessage(() -> Standardizer.of(new double[] {0, 1}, new double[] {1}),
                "expected as many scales as means (at least one), got 2 means and 1 scales");
        DatasetTest.assertMessage(() -> Standardizer.of(new double[0], new double[0]), "got 0 means");
        DatasetTest.assertMessage(() -> Standardizer.of(new double[] {0, Double.NaN}, new double[] {1, 1}),
                "mean[1] must be finite, got NaN");
        DatasetTest.assertMessage(() -> Standardizer.of(new double[] {0, 0}, new double[] {1, 0}),
                "scale[1] must be finite and > 0, got 0.0");
        DatasetTest.assertMessage(() -> Standardizer.of(new double[] {0}, new double[] {Double.POSITIVE_INFINITY}),
                "scale[0] must be finite and > 0, got Infinity");
        Standardizer s = Standardizer.of(new double[] {1, 2}, new double[] {2, 4});
        assertArrayEquals(new double[] {0.5, -0.5}, s.transform(new double[][] {{2, 0}})[0], 0.0);
        DatasetTest.assertMessage(() -> s.transform(new double[][] {{1, 2}, {1, 2, 3}}),
                "rows[1]: Standardizer was fitted on 2 features, got 3 values");
    }

    @Test
    void standardizedFloatDataHasZeroMeanAndUnitStdPerFeature() {
        Dataset d = Synthetic.blobs(1000, 3, 4, 5.0, 2);
        double[] x = Standardizer.fit(d).transform(d).featuresAsDoubles();
        for (int j = 0; j < 4; j++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < 1000; i++) {
                sum += x[i * 4 + j];
                sq += x[i * 4 + j] * x[i * 4 + j];
            }
            assertEquals(0.0, sum / 1000, 1e-6);
            assertEquals(1.0, sq / 1000, 1e-5);
        }
    }

    @Test
    void minMaxMapsTrainOntoTheUnitIntervalAndTestWithTheSameBounds() {
        Dataset train = Dataset.of("train", new float[] {-2, 5, 0, 5, 6, 5}, 2, new int[] {0, 1, 0}, List.of("x", "y"));
        MinMaxScaler m = MinMaxScaler.fit(train);
        assertArrayEquals(new double[] {-2, 5}, m.min());
        assertArrayEquals(new double[] {8, 1}, m.range());
        assertArrayEquals(new float[] {0, 0, 0.25f, 0, 1, 0}, m.transform(train).features().data().asFloat());
        Dataset test = Dataset.of("test", new float[] {10, 4}, 2, new int[] {1}, List.of("x", "y"));
        assertArrayEquals(new float[] {1.5f, -1}, m.transform(test).features().data().asFloat());
        assertEquals("test", m.transform(test).name());
    }
}
