package dev.softgrad.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** The named loaders' lookup rules, on small hand-made files in a temporary folder. */
class DatasetsTest {
    @TempDir
    Path tmp;

    @Test
    void irisFallsBackToUcisFileWithNamedLabels() throws IOException {
        Files.writeString(tmp.resolve("iris.data"),
                "5.1,3.5,1.4,0.2,Iris-setosa\n7.0,3.2,4.7,1.4,Iris-versicolor\n6.3,3.3,6.0,2.5,Iris-virginica\n\n");
        Dataset iris = Datasets.iris(DataCache.at(tmp).offline());
        assertEquals("iris", iris.name());
        assertEquals(Datasets.IRIS_CLASSES, iris.classNames());
        assertArrayEquals(new int[] {0, 1, 2}, iris.labels());
        assertEquals(4.7f, iris.features().getFloat(1, 2));
    }

    @Test
    void mnistAcceptsRawFilesBesideMissingGzipNames() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mnist"));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxTest.idx(new int[] {2, 2, 2}, IdxTest.ramp(8)));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), CsvTest.gzip(IdxTest.idx(new int[] {2}, new byte[] {9, 4})));
        Dataset d = Datasets.mnistTest(DataCache.at(tmp).offline());
        assertEquals("mnist-test", d.name());
        assertEquals(4, d.numFeatures());
        assertArrayEquals(new int[] {9, 4}, d.labels());
        assertEquals((IdxTest.ramp(8)[6] & 0xff) / 255f, d.features().getFloat(1, 2));
    }

    @Test
    void fashionMnistUsesItsOwnFolderAndClassNames() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("fashion-mnist"));
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), CsvTest.gzip(IdxTest.idx(new int[] {1, 1, 3}, IdxTest.ramp(3))));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), CsvTest.gzip(IdxTest.idx(new int[] {1}, new byte[] {9})));
        Dataset d = Datasets.fashionMnistTrain(DataCache.at(tmp).offline());
        assertEquals("Ankle boot", d.classNames().get(d.label(0)));
        assertEquals("fashion-mnist-train", d.name());
    }

    @Test
    void irisAndDigitsComeInFloat64ReadFromTheText() throws IOException {
        Path shared = SharedData.folder();
        Dataset iris = Datasets.iris(DataCache.at(shared).offline(), DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, iris.features().dataType());
        assertEquals(150, iris.size());
        // Row 0 of iris.csv is 5.1,3.5,1.4,0.2: the doubles nearest the decimals, not widened floats.
        assertEquals(5.1, iris.features().getDouble(0, 0));
        assertEquals(1.4, iris.features().getDouble(0, 2));
        assertNotEquals((double) 5.1f, iris.features().getDouble(0, 0));
        assertEquals(DataType.FLOAT, Datasets.iris(DataCache.at(shared).offline()).features().dataType());
        Dataset digits = Datasets.digits(DataCache.at(shared).offline(), DataType.DOUBLE);
        Dataset digits32 = Datasets.digits(DataCache.at(shared).offline());
        assertEquals(DataType.DOUBLE, digits.features().dataType());
        assertEquals(digits32.features().castTo(DataType.DOUBLE), digits.features());
        assertArrayEquals(digits32.labels(), digits.labels());
        // The UCI fallback path reads float64 too.
        Files.writeString(tmp.resolve("iris.data"), "5.1,3.5,1.4,0.2,Iris-setosa\n");
        assertEquals(0.2, Datasets.iris(DataCache.at(tmp).offline(), DataType.DOUBLE).features().getDouble(0, 3));
        assertEquals(3.5, Datasets.iris(shared, DataType.DOUBLE).features().getDouble(0, 1));
        assertEquals(DataType.DOUBLE, Datasets.digits(shared, DataType.DOUBLE).features().dataType());
    }
}
