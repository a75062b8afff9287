package dev.softgrad.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class CsvTest {
    private static final List<String> ABC = List.of("a", "b", "c");

    @TempDir
    Path tmp;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void sharedIrisHas150RowsOf4FeaturesIn3ClassesOf50() throws IOException {
        Path folder = SharedData.folder();
        Dataset iris = Csv.readWithHeader(folder.resolve("iris.csv"));
        assertEquals("iris", iris.name());
        assertEquals(150, iris.size());
        assertEquals(4, iris.numFeatures());
        assertEquals(List.of("setosa", "versicolor", "virginica"), iris.classNames());
        assertArrayEquals(new int[] {50, 50, 50}, iris.classCounts());
        // First data line of the file: 5.1,3.5,1.4,0.2,0
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f},
                new float[] {iris.features().getFloat(0, 0), iris.features().getFloat(0, 1),
                    iris.features().getFloat(0, 2), iris.features().getFloat(0, 3)});
        Dataset viaDatasets = Datasets.iris(DataCache.at(folder).offline());
        assertArrayEquals(iris.features().data().asFloat(), viaDatasets.features().data().asFloat());
        assertEquals(Datasets.IRIS_CLASSES, viaDatasets.classNames());
    }

    @Test
    void sharedDigitsHave1797RowsOf64PixelCounts() throws IOException {
        Dataset digits = Datasets.digits(DataCache.at(SharedData.folder()).offline());
        assertEquals(1797, digits.size());
        assertEquals(64, digits.numFeatures());
        assertEquals(10, digits.numClasses());
        // scikit-learn's load_digits(): np.bincount(target)
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, digits.classCounts());
        for (float v : digits.features().data().asFloat()) {
            assertTrue(v >= 0 && v <= 16 && v == Math.rint(v), "pixel count " + v);
        }
        // First line of the file: 0,0,5,13,9,1,0,0,... label 0
        assertEquals(5f, digits.features().getFloat(0, 2));
        assertEquals(13f, digits.features().getFloat(0, 3));
        assertEquals(0, digits.label(0));
    }

    @Test
    void headedFileWithCrlfAndGzipAndDouble() throws IOException {
        byte[] text = utf8("2,3,no,yes\r\n1.5,-2e-1,+3,1\r\n0,.5,7.,0\r\n\r\n");
        Path f = tmp.resolve("tiny.csv.gz");
        Files.write(f, gzip(text));
        Dataset d = Csv.readWithHeader(f, "tiny", DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, d.dataType());
        assertArrayEquals(new double[] {1.5, -0.2, 3, 0, 0.5, 7}, d.features().data().asDouble());
        assertArrayEquals(new int[] {1, 0}, d.labels());
        assertEquals(List.of("no", "yes"), d.classNames());
        assertEquals("tiny", Csv.readWithHeader(f).name());
    }

    @Test
    void numericFileWithLabelColumnChosenByNameOrIndex() throws IOException {
        Path f = tmp.resolve("n.csv");
        Files.writeString(f, "c,1,2\n0,3,4\nb,5,6\n");
        Dataset d = Csv.readNumeric(f, 0, ABC, "n", DataType.FLOAT);
        assertArrayEquals(new int[] {2, 0, 1}, d.labels());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, d.features().data().asFloat());
        Files.writeString(f, "1,2,c\n3,4,0\n");
        Dataset last = Csv.readNumeric(f, -1, ABC, "n", DataType.FLOAT);
        assertArrayEquals(new int[] {2, 0}, last.labels());
        DatasetTest.assertMessage(() -> Csv.readNumeric(f, 3, ABC, "n", DataType.FLOAT), "labelColumn");
    }

    /** Each malformed file names the source, the line and what was wrong. */
    @Test
    void malformedHeadedFilesAreRejectedWithLineAndReason() {
        String[][] cases = {
            {"", "empty file"},
            {"x,4,a\n", "line 1: expected the number of rows"},
            {"2,0,a\n", "number of features"},
            {"2,1\n", "at least 3 fields"},
            {"1,1,a,a\n1,0\n", "distinct non-empty class name"},
            {"2,2,a,b\n1,2,0\n3,1\n", "line 3: expected 3 fields, got 2 (ragged row)"},
            {"2,2,a,b\n1,2,0\n3,4,1,9\n", "line 3: expected 3 fields, got more"},
            {"1,2,a,b\n1,abc,0\n", "line 2, field 2: expected a decimal number, got 'abc'"},
            {"1,2,a,b\n1,NaN,0\n", "got 'NaN'"},
            {"1,2,a,b\n1,Infinity,0\n", "got 'Infinity'"},
            {"1,2,a,b\n1,0x10,0\n", "got '0x10'"},
            {"1,2,a,b\n1,2d,0\n", "got '2d'"},
            {"1,2,a,b\n1,,0\n", "got ''"},
            {"1,2,a,b\n1,1e39,0\n", "outside the range of FLOAT"},
            {"1,2,a,b\n1,2,2\n", "line 2, field 3: expected a label (an integer) in [0, 2), got '2'"},
            {"1,2,a,b\n1,2,-1\n", "got '-1'"},
            {"1,2,a,b\n1,2,1.0\n", "got '1.0'"},
            {"3,2,a,b\n1,2,0\n1,2,1\n", "header declares 3 rows, the file has 2"},
            {"1,2,a,b\n1,2,0\n1,2,1\n", "line 3: more rows than the 1 the header declares"},
            {"2,2,a,b\n1,2,0\n\n1,2,1\n", "line 3 is blank but data follows on line 4"},
        };
        for (String[] c : cases) {
            DatasetFormatException e = assertThrows(DatasetFormatException.class,
                    () -> Csv.parseWithHeader(utf8(c[0]), "bad.csv", DataType.FLOAT), c[0]);
            assertTrue(e.getMessage().startsWith("bad.csv: "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), "message '" + e.getMessage() + "' lacks '" + c[1] + "'");
        }
    }

    @Test
    void malformedNumericFilesAreRejected() {
        String[][] cases = {
            {"", "no data"},
            {"1\n", "at least 2 fields"},
            {"1,2,a\n1,2\n", "line 2: expected 3 fields, got 2"},
            {"1,2,d\n", "line 1, field 3: expected a label (a class name or an integer) in [0, 3), got 'd'"},
            {"1,2,3\n", "got '3'"},
            {"1,x,a\n", "line 1, field 2: expected a decimal number, got 'x'"},
        };
        for (String[] c : cases) {
            DatasetFormatException e = assertThrows(DatasetFormatException.class,
                    () -> Csv.parseNumeric(utf8(c[0]), "bad.csv", -1, ABC, DataType.FLOAT), c[0]);
            assertTrue(e.getMessage().contains(c[1]), "message '" + e.getMessage() + "' lacks '" + c[1] + "'");
        }
    }

    @Test
    void invalidUtf8AndCorruptGzipAndHugeLinesAreFormatErrors() throws IOException {
        byte[] bad = {'1', ',', '2', ',', 'a', '\n', (byte) 0xff, (byte) 0xfe, '\n'};
        assertTrue(assertThrows(DatasetFormatException.class,
                () -> Csv.parseNumeric(bad, "bad.csv", -1, ABC, DataType.FLOAT)).getMessage().contains("invalid UTF-8"));
        byte[] gz = gzip(utf8("1,2,a\n".repeat(1000)));
        byte[] truncated = java.util.Arrays.copyOf(gz, gz.length / 2);
        assertTrue(assertThrows(DatasetFormatException.class,
                () -> Csv.parseNumeric(truncated, "cut.csv.gz", -1, ABC, DataType.FLOAT)).getMessage().contains("gzip"));
        byte[] longLine = utf8("1".repeat(Csv.MAX_LINE_LENGTH + 1));
        assertTrue(assertThrows(DatasetFormatException.class,
                () -> Csv.parseNumeric(longLine, "long.csv", -1, ABC, DataType.FLOAT)).getMessage()
                .contains("line 1 is longer than"));
    }

    @Test
    void aTableWithColumnNamesTakesTheNamedLabelColumnAndSortsItsClasses() throws IOException {
        Path file = tmp.resolve("flowers.csv");
        java.nio.file.Files.writeString(file, "width,species,height\r\n1.5,virginica,2\n0.5,setosa,-1e1\n"
                + "2.5,versicolor,3\n3.5,setosa,4\n\n");
        Dataset d = Csv.readTable(file, "species", DataType.DOUBLE);
        assertEquals("flowers", d.name());
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        assertArrayEquals(new int[] {2, 0, 1, 0}, d.labels());
        assertEquals(2, d.numFeatures());
        assertArrayEquals(new double[] {1.5, 2, 0.5, -10, 2.5, 3, 3.5, 4}, d.featuresAsDoubles(), 0.0);
        // integer labels sort as numbers (2 before 10), whatever the order of the rows
        Dataset n = Csv.parseTable(utf8("y,x\n10,1\n2,2\n10,3\n"), "n.csv", "y", DataType.FLOAT);
        assertEquals(List.of("2", "10"), n.classNames());
        assertArrayEquals(new int[] {1, 0, 1}, n.labels());
    }

    @Test
    void aTableWithoutTheLabelColumnOrWithBadNamesOrLabelsIsAFormatError() {
        String[][] cases = {
            {"a,b\n1,x\n2,y\n", "expected a column named 'label' (the label), got only a,b"},
            {"a,,label\n1,2,x\n", "line 1, field 2: expected a distinct non-empty column name, got ''"},
            {"a,a,label\n1,2,x\n", "line 1, field 2: expected a distinct non-empty column name, got 'a'"},
            {"a,label\n1,x\n2,\n", "line 3, field 2: expected a label, got an empty field"},
            {"a,label\n1,x\nNaN,y\n", "line 3, field 1: expected a decimal number, got 'NaN'"},
            {"a,label\n1,x\n2,x\n", "expected at least 2 distinct labels, got [x]"},
            {"a,label\n1,x\n2,y,3\n", "line 3: expected 2 fields, got more"},
            {"a,label\n", "no data rows"},
            {"", "line 1: expected the column names, got an empty file"},
        };
        for (String[] c : cases) {
            DatasetFormatException e = assertThrows(DatasetFormatException.class,
                    () -> Csv.parseTable(utf8(c[0]), "t.csv", "label", DataType.FLOAT), c[0]);
            assertTrue(e.getMessage().contains(c[1]), "message '" + e.getMessage() + "' lacks '" + c[1] + "'");
        }
    }

    @Test
    void plainDecimalGrammar() {
        for (String ok : new String[] {"0", "-1", "+2.5", ".5", "5.", "1e3", "1E-3", "-0.0e+0"}) {
            assertTrue(Csv.isPlainDecimal(ok), ok);
        }
        for (String bad : new String[] {"", "-", ".", "e3", "1e", "1e+", "1.2.3", "0x1", "1f", "NaN", "1 2", "--1"}) {
            assertTrue(!Csv.isPlainDecimal(bad), bad);
        }
    }

    @Test
    void byteOrderMarkIsSkipped() {
        byte[] text = utf8("\uFEFF2,2,a,b\n1.5,2,0\n3,4,1\n");
        assertEquals((byte) 0xEF, text[0]);
        Dataset d = Csv.parseWithHeader(text, "bom.csv", DataType.FLOAT);
        assertEquals(2, d.size());
        assertEquals(1.5f, d.features().getFloat(0, 0));
        Dataset n = Csv.parseNumeric(utf8("\uFEFF1.5,2,a\n3,4,b\n"), "bom.csv", -1, ABC, DataType.FLOAT);
        assertEquals(1.5f, n.features().getFloat(0, 0));
        // Only at the very start: a mark inside the data is still an error.
        assertThrows(DatasetFormatException.class,
                () -> Csv.parseNumeric(utf8("1,2,a\n\uFEFF3,4,b\n"), "bom.csv", -1, ABC, DataType.FLOAT));
    }

    @Test
    void quotedClassNamesInTheHeaderFollowRfc4180() {
        Dataset d = Csv.parseWithHeader(utf8("2,1,\"cat, domestic\",\"say \"\"hi\"\"\",plain\n1,0\n2,2\n"), "q.csv",
                DataType.FLOAT);
        assertEquals(List.of("cat, domestic", "say \"hi\"", "plain"), d.classNames());
        assertArrayEquals(new int[] {0, 2}, d.labels());
        assertTrue(assertThrows(DatasetFormatException.class,
                () -> Csv.parseWithHeader(utf8("1,1,\"open,b\n1,0\n"), "q.csv", DataType.FLOAT)).getMessage()
                .contains("closing quote"));
        assertTrue(assertThrows(DatasetFormatException.class,
                () -> Csv.parseWithHeader(utf8("1,1,a\"b,c\n1,0\n"), "q.csv", DataType.FLOAT)).getMessage()
                .contains("quote inside an unquoted field"));
    }

    @Test
    void gzipBombStopsAtTheTextLimitWithAClearError() throws IOException {
        // 2 MB of "0,0,...,0" lines in a few KiB of gzip, read with a 100 kB limit.
        byte[] bomb = gzip(utf8(("0,".repeat(99) + "0\n").repeat(10_000)));
        assertTrue(bomb.length < 16_384, "the bomb should be small on disk, is " + bomb.length);
        Path f = tmp.resolve("bomb.csv.gz");
        Files.write(f, bomb);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Csv.readNumeric(f, -1, ABC, "bomb", DataType.FLOAT, 100_000));
        assertTrue(e.getMessage().startsWith(f + ": more than 100000 bytes of decompressed data, the limit; pass a larger maxBytes"),
                e.getMessage());
        assertEquals(10_000, Csv.readNumeric(f, -1, ABC, "bomb", DataType.FLOAT, 2_000_000).size());
        byte[] headed = gzip(utf8("10000,99,a,b,c\n" + ("0,".repeat(99) + "0\n").repeat(10_000)));
        Files.write(f, headed);
        assertTrue(assertThrows(DatasetFormatException.class, () -> Csv.readWithHeader(f, "bomb", DataType.DOUBLE, 50_000))
                .getMessage().contains("more than 50000 bytes"));
        assertEquals(1L << 27, Csv.DEFAULT_MAX_BYTES);
        assertThrows(IllegalArgumentException.class, () -> Csv.readWithHeader(f, "bomb", DataType.DOUBLE, 0));
    }
}
