package dev.softgrad.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class DatasetTest {
    private static final List<String> ABC = List.of("a", "b", "c");

    private static Dataset small() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        return Dataset.of("small", x, 2, new int[] {0, 2, 1, 2}, ABC);
    }

    @Test
    void ofKeepsRowMajorLayoutAndReportsSizes() {
        Dataset d = small();
        assertEquals(4, d.size());
        assertEquals(2, d.numFeatures());
        assertEquals(3, d.numClasses());
        assertEquals(DataType.FLOAT, d.dataType());
        assertEquals(6f, d.features().getFloat(2, 1));
        assertEquals(7f, d.features().getFloat(3, 0));
        assertArrayEquals(new int[] {1, 1, 2}, d.classCounts());
        assertEquals(2, d.label(1));
        assertEquals("Dataset[small: 4 x 2 FLOAT, 3 classes]", d.toString());
    }

    @Test
    void labelsAreCopiedInAndOut() {
        int[] y = {0, 1};
        Dataset d = Dataset.of("d", new double[] {1, 2}, 1, y, List.of("x", "y"));
        y[0] = 1;
        assertEquals(0, d.label(0));
        d.labels()[0] = 1;
        assertEquals(0, d.label(0));
        assertEquals(DataType.DOUBLE, d.dataType());
    }

    @Test
    void viewsAndFortranOrderAreMadeContiguous() {
        INDArray big = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new long[] {3, 3}, DataType.FLOAT);
        INDArray view = big.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(1, 3)); // [[5,6],[8,9]]
        Dataset d = new Dataset("view", view, new int[] {0, 1}, List.of("p", "q"));
        assertNotSame(view, d.features());
        assertEquals('c', d.features().ordering());
        assertEquals(8f, d.subset("s", new int[] {1}).features().getFloat(0, 0));
        INDArray f = Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {2, 2}, DataType.FLOAT).dup('f');
        Dataset df = new Dataset("f", f, new int[] {0, 1}, List.of("p", "q"));
        assertEquals(2f, df.subset("s", new int[] {0}).features().getFloat(0, 1));
    }

    @Test
    void constructorRejectsBadInputNamingTheArgument() {
        INDArray x = Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {2, 2}, DataType.FLOAT);
        assertMessage(() -> new Dataset(" ", x, new int[] {0, 1}, ABC), "name");
        assertMessage(() -> new Dataset("d", x, new int[] {0}, ABC), "expected 2");
        assertMessage(() -> new Dataset("d", x, new int[] {0, 3}, ABC), "row 1 is 3");
        assertMessage(() -> new Dataset("d", x, new int[] {0, -1}, ABC), "row 1 is -1");
        assertMessage(() -> new Dataset("d", x, new int[] {0, 1}, List.of()), "classNames");
        assertMessage(() -> new Dataset("d", x, new int[] {0, 1}, List.of("a", "a")), "'a' appears twice");
        assertMessage(() -> new Dataset("d", Nd4j.create(new float[] {1, 2}, new long[] {2}, DataType.FLOAT),
                new int[] {0, 1}, ABC), "rank 2");
        assertMessage(() -> new Dataset("d", Nd4j.create(new int[] {1, 2}, new long[] {2, 1}, DataType.INT32),
                new int[] {0, 1}, ABC), "expected data type FLOAT or DOUBLE, got INT");
        assertMessage(() -> Dataset.of("d", new float[] {1, Float.NaN, 3, 4}, 2, new int[] {0, 1}, ABC),
                "NaN at row 0, column 1");
        assertMessage(() -> Dataset.of("d", new double[] {1, 2, 3, Double.POSITIVE_INFINITY}, 2, new int[] {0, 1}, ABC),
                "Infinity at row 1, column 1");
        assertMessage(() -> Dataset.of("d", new float[] {1, 2, 3}, 2, new int[] {0, 1}, ABC), "multiple of numFeatures=2");
    }

    @Test
    void subsetCopiesTheChosenRowsInOrder() {
        Dataset s = small().subset("sub", new int[] {3, 0, 3});
        assertEquals(3, s.size());
        assertArrayEquals(new float[] {7, 8, 1, 2, 7, 8}, s.features().data().asFloat());
        assertArrayEquals(new int[] {2, 0, 2}, s.labels());
        assertEquals(ABC, s.classNames());
        assertMessage(() -> small().subset("sub", new int[] {4}), "entry 0 is 4");
    }

    @Test
    void oneHotPutsASingleOneInTheLabelsColumn() {
        INDArray h = small().oneHot();
        assertArrayEquals(new long[] {4, 3}, h.shape());
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1}, h.data().asFloat());
        INDArray hd = Dataset.oneHot(new int[] {1}, 2, DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, hd.dataType());
        assertArrayEquals(new double[] {0, 1}, hd.data().asDouble());
        assertMessage(() -> Dataset.oneHot(new int[] {2}, 2, DataType.FLOAT), "entry 0 is 2");
    }

    @Test
    void asTypeConvertsAndKeepsValues() {
        Dataset d = small();
        assertSame(d, d.asType(DataType.FLOAT));
        Dataset dd = d.asType(DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, dd.dataType());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, dd.features().data().asDouble());
        assertArrayEquals(d.labels(), dd.labels());
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable e, String fragment) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(fragment), "message '" + ex.getMessage() + "' lacks '" + fragment + "'");
    }
}
