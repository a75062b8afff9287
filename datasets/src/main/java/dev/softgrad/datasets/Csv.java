package dev.softgrad.datasets;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipException;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Strict readers for comma-separated data files, plain or gzipped (detected from the first two
 * bytes), UTF-8 (a leading byte-order mark is skipped), with {@code \n} or {@code \r\n} line ends.
 *
 * <ul>
 *   <li>{@link #readWithHeader(Path)}: the format scikit-learn ships its small data sets in. The
 *       first line is {@code rows,features,class name,class name,...} (for Iris
 *       {@code 150,4,setosa,versicolor,virginica}; a class name holding a comma is quoted as RFC
 *       4180 says, {@code "a, b"}, a quote inside a quoted name doubled); each following line holds {@code features}
 *       numbers and then an integer label in {@code [0, number of class names)}.</li>
 *   <li>{@link #readNumeric(Path, int, List, String, DataType)}: no header; every line holds the
 *       same number of fields, one of which (chosen by the caller) is the label, written either as
 *       a class name or as an integer index into the class names.</li>
 *   <li>{@link #readTable(Path, String, DataType)}: a spreadsheet export. The first line names the
 *       columns; the column named by the caller holds the labels, as any text, and every other
 *       column is a numeric feature. The classes are the distinct labels, sorted.</li>
 * </ul>
 *
 * <p>Nothing is trusted: a ragged row, an empty field, a token that is not a plain decimal number
 * (no {@code NaN}, {@code Infinity}, hex or type suffixes), a value outside the range of the chosen
 * data type, a label out of range, a header that disagrees with the rows, a blank line before the
 * end, invalid UTF-8, a line over {@value #MAX_LINE_LENGTH} characters or a corrupt gzip stream all
 * throw a {@link DatasetFormatException} naming the file, the line (and column) and what was
 * expected and found. The header's counts are checked, never used to size an allocation: arrays
 * grow with the rows actually read.
 *
 * <p><b>Size limit.</b> At most {@code maxBytes} bytes of text are read, after decompression,
 * {@value #DEFAULT_MAX_BYTES} (128 MiB) by default, so that a small gzip file holding gigabytes of
 * zeros (a "gzip bomb") ends in a {@link DatasetFormatException} instead of an
 * {@link OutOfMemoryError}; the overloads with a {@code maxBytes} argument raise or lower it. The
 * default keeps the worst case (two bytes of text, {@code "0,"}, per value held as a double while
 * reading) near 1 GiB of heap.
 */
public final class Csv {
    /** The longest line accepted, in characters. */
    public static final int MAX_LINE_LENGTH = 1 << 20;
    /** The default limit on the text read, in bytes after decompression (128 MiB). */
    public static final long DEFAULT_MAX_BYTES = 1L << 27;
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private Csv() {
    }

    /** Reads a headed CSV file into a float32 data set named after the file ("iris.csv" gives "iris"). */
    public static Dataset readWithHeader(Path file) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        return readWithHeader(file, Sources.baseName(file.getFileName().toString()), DataType.FLOAT);
    }

    /**
     * Reads a CSV file whose first line is {@code rows,features,class names...}.
     *
     * @param type FLOAT or DOUBLE
     * @throws DatasetFormatException if the file is malformed (see the class comment)
     * @throws IOException            if the file cannot be read
     */
    public static Dataset readWithHeader(Path file, String name, DataType type) throws IOException {
        return readWithHeader(file, name, type, DEFAULT_MAX_BYTES);
    }

    /**
     * {@link #readWithHeader(Path, String, DataType)} reading at most {@code maxBytes} bytes of text.
     *
     * @param maxBytes the most bytes of (decompressed) text read before the file is refused (&ge; 1)
     */
    public static Dataset readWithHeader(Path file, String name, DataType type, long maxBytes) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        checkType(type);
        checkMaxBytes(maxBytes);
        try (InputStream in = Files.newInputStream(file)) {
            return parseWithHeader(in, file.toString(), name, type, maxBytes);
        }
    }

    /**
     * Reads a CSV file without a header.
     *
     * @param labelColumn the label's column, 0-based; negative counts from the end (-1 is the last)
     * @param classNames  the classes; a label field is either one of these names or an integer in
     *                    {@code [0, classNames.size())}
     * @param name        the data set's name
     * @param type        FLOAT or DOUBLE
     * @throws DatasetFormatException if the file is malformed (see the class comment)
     * @throws IOException            if the file cannot be read
     */
    public static Dataset readNumeric(Path file, int labelColumn, List<String> classNames, String name, DataType type)
            throws IOException {
        return readNumeric(file, labelColumn, classNames, name, type, DEFAULT_MAX_BYTES);
    }

    /**
     * {@link #readNumeric(Path, int, List, String, DataType)} reading at most {@code maxBytes} bytes
     * of text.
     *
     * @param maxBytes the most bytes of (decompressed) text read before the file is refused (&ge; 1)
     */
    public static Dataset readNumeric(Path file, int labelColumn, List<String> classNames, String name, DataType type,
            long maxBytes) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        Objects.requireNonNull(classNames, "classNames must not be null");
        checkType(type);
        checkMaxBytes(maxBytes);
        try (InputStream in = Files.newInputStream(file)) {
            return parseNumeric(in, file.toString(), labelColumn, classNames, name, type, maxBytes);
        }
    }

    /**
     * Reads a CSV file whose first line holds the column names, e.g.
     * {@code sepal_length,sepal_width,petal_length,petal_width,species}: the column {@code labelColumn}
     * holds the labels (any non-empty text, e.g. {@code setosa}), every other column a number. The
     * classes are the distinct labels sorted, as integers when every label is one ({@code 2} before
     * {@code 10}) and as text otherwise, so the same file gives the same class indices whatever the
     * order of its rows. The data set is named after the file.
     *
     * @param labelColumn the name of the label column, as in the first line
     * @param type        FLOAT or DOUBLE
     * @throws DatasetFormatException if the file is malformed (see the class comment), has no such
     *                                column, a duplicate or empty column name, or fewer than 2 classes
     * @throws IOException            if the file cannot be read
     */
    public static Dataset readTable(Path file, String labelColumn, DataType type) throws IOException {
        return readTable(file, labelColumn, type, DEFAULT_MAX_BYTES);
    }

    /**
     * {@link #readTable(Path, String, DataType)} reading at most {@code maxBytes} bytes of text.
     *
     * @param maxBytes the most bytes of (decompressed) text read before the file is refused (&ge; 1)
     */
    public static Dataset readTable(Path file, String labelColumn, DataType type, long maxBytes) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        Objects.requireNonNull(labelColumn, "labelColumn must not be null");
        checkType(type);
        checkMaxBytes(maxBytes);
        try (InputStream in = Files.newInputStream(file)) {
            return parseTable(in, file.toString(), labelColumn, Sources.baseName(file.getFileName().toString()), type, maxBytes);
        }
    }

    /** Parses in-memory bytes of a CSV file with column names (for tests). */
    static Dataset parseTable(byte[] bytes, String source, String labelColumn, DataType type) {
        try {
            return parseTable(new ByteArrayInputStream(bytes), source, labelColumn, "fuzz", type, DEFAULT_MAX_BYTES);
        } catch (IOException e) {
            throw new DatasetFormatException(source + ": " + e.getMessage(), e);
        }
    }

    /** Parses in-memory bytes of a headed CSV file (for tests). */
    static Dataset parseWithHeader(byte[] bytes, String source, DataType type) {
        return parseWithHeader(bytes, source, type, DEFAULT_MAX_BYTES);
    }

    /** Parses in-memory bytes of a headed CSV file with a text limit (for tests). */
    static Dataset parseWithHeader(byte[] bytes, String source, DataType type, long maxBytes) {
        try {
            return parseWithHeader(new ByteArrayInputStream(bytes), source, "fuzz", type, maxBytes);
        } catch (IOException e) {
            throw new DatasetFormatException(source + ": " + e.getMessage(), e);
        }
    }

    /** Parses in-memory bytes of a plain numeric CSV file (for tests). */
    static Dataset parseNumeric(byte[] bytes, String source, int labelColumn, List<String> classNames, DataType type) {
        try {
            return parseNumeric(new ByteArrayInputStream(bytes), source, labelColumn, classNames, "fuzz", type,
                    DEFAULT_MAX_BYTES);
        } catch (IOException e) {
            throw new DatasetFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private static Dataset parseWithHeader(InputStream raw, String source, String name, DataType type, long maxBytes)
            throws IOException {
        LineReader lines = new LineReader(raw, source, maxBytes);
        try {
            String headerLine = lines.next();
            if (headerLine == null) {
                throw new DatasetFormatException(source + ": empty file, expected a header line 'rows,features,class names...'");
            }
            String[] header = splitHeader(headerLine, source);
            if (header.length < 3) {
                throw new DatasetFormatException(source + ": line 1: expected a header 'rows,features,class name,...' with at least 3 fields, got "
                        + header.length + " in '" + abbreviate(headerLine) + "'");
            }
            int rows = headerCount(header[0], "rows", source);
            int features = headerCount(header[1], "features", source);
            List<String> classNames = new ArrayList<>();
            for (int i = 2; i < header.length; i++) {
                String c = header[i].trim();
                if (c.isEmpty() || classNames.contains(c)) {
                    throw new DatasetFormatException(source + ": line 1, field " + (i + 1) + ": expected a distinct non-empty class name, got '"
                            + c + "'");
                }
                classNames.add(c);
            }
            Table t = readRows(lines, source, features + 1, features, Map.of(), classNames.size(), type, false, rows);
            if (t.rows != rows) {
                throw new DatasetFormatException(source + ": header declares " + rows + " rows, the file has " + t.rows);
            }
            return t.toDataset(name, features, classNames, type);
        } catch (ZipException | EOFException | CharacterCodingException e) {
            throw lines.failure(e);
        }
    }

    private static Dataset parseNumeric(InputStream raw, String source, int labelColumn, List<String> classNames,
            String name, DataType type, long maxBytes) throws IOException {
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("classNames: expected at least one class name, got none");
        }
        LineReader lines = new LineReader(raw, source, maxBytes);
        try {
            String first = lines.next();
            while (first != null && first.isBlank()) {
                first = lines.next();
            }
            if (first == null || lines.lineNumber() != 1) {
                throw new DatasetFormatException(source + ": " + (first == null ? "no data: expected at least one row"
                        : "line 1 is blank, expected a row of numbers"));
            }
            int columns = countFields(first);
            if (columns < 2) {
                throw new DatasetFormatException(source + ": line 1: expected at least 2 fields (features and a label), got " + columns);
            }
            int label = labelColumn < 0 ? columns + labelColumn : labelColumn;
            if (label < 0 || label >= columns) {
                throw new IllegalArgumentException("labelColumn: expected a column in [" + -columns + ", " + columns
                        + ") for the " + columns + " fields of " + source + ", got " + labelColumn);
            }
            Map<String, Integer> byName = new HashMap<>();
            for (int i = 0; i < classNames.size(); i++) {
                byName.put(classNames.get(i), i);
            }
            lines.pushBack(first);
            Table t = readRows(lines, source, columns, label, byName, classNames.size(), type, true, Integer.MAX_VALUE);
            if (t.rows == 0) {
                throw new DatasetFormatException(source + ": no data: expected at least one row");
            }
            return t.toDataset(name, columns - 1, classNames, type);
        } catch (ZipException | EOFException | CharacterCodingException e) {
            throw lines.failure(e);
        }
    }

    private static Dataset parseTable(InputStream raw, String source, String labelColumn, String name, DataType type,
            long maxBytes) throws IOException {
        LineReader lines = new LineReader(raw, source, maxBytes);
        try {
            String headerLine = lines.next();
            if (headerLine == null || headerLine.isBlank()) {
                throw new DatasetFormatException(source + ": line 1: expected the column names, got "
                        + (headerLine == null ? "an empty file" : "a blank line"));
            }
            String[] header = headerLine.split(",", -1);
            int label = -1;
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                String c = header[i].trim();
                if (c.isEmpty() || seen.put(c, i) != null) {
                    throw new DatasetFormatException(source + ": line 1, field " + (i + 1)
                            + ": expected a distinct non-empty column name, got '" + abbreviate(c) + "'");
                }
                if (c.equals(labelColumn.trim())) {
                    label = i;
                }
            }
            if (label < 0) {
                throw new DatasetFormatException(source + ": line 1: expected a column named '" + abbreviate(labelColumn)
                        + "' (the label), got only " + abbreviate(String.join(",", header)));
            }
            if (header.length < 2) {
                throw new DatasetFormatException(source + ": line 1: expected at least 2 columns (features and a label), got 1");
            }
            Map<String, Integer> byName = new HashMap<>();
            Table t = readRows(lines, source, header.length, label, byName, DISCOVER_CLASSES, type, true, Integer.MAX_VALUE);
            if (t.rows == 0) {
                throw new DatasetFormatException(source + ": no data rows after the column names");
            }
            if (byName.size() < 2) {
                throw new DatasetFormatException(source + ": column '" + header[label].trim() + "': expected at least 2 distinct labels, got "
                        + byName.keySet());
            }
            List<String> classNames = sortedClasses(byName.keySet());
            int[] index = new int[byName.size()];
            for (int c = 0; c < classNames.size(); c++) {
                index[byName.get(classNames.get(c))] = c;
            }
            for (int i = 0; i < t.labelCount; i++) {
                t.labels[i] = index[t.labels[i]];
            }
            return t.toDataset(name, header.length - 1, classNames, type);
        } catch (ZipException | EOFException | CharacterCodingException e) {
            throw lines.failure(e);
        }
    }

    /** Labels sorted as integers when all are plain non-negative integers, otherwise as text. */
    private static List<String> sortedClasses(java.util.Collection<String> labels) {
        List<String> names = new ArrayList<>(labels);
        boolean integers = names.stream().allMatch(n -> n.length() <= 9 && n.chars().allMatch(ch -> ch >= '0' && ch <= '9'));
        if (integers) {
            names.sort(java.util.Comparator.comparingInt((String n) -> Integer.parseInt(n)).thenComparing(java.util.Comparator.naturalOrder()));
        } else {
            names.sort(java.util.Comparator.naturalOrder());
        }
        return names;
    }

    /** {@code numClasses} of {@link #readRows} that collects the labels as they come into {@code byName}. */
    private static final int DISCOVER_CLASSES = -1;

    /**
     * Reads data lines until the end: each has {@code columns} fields, the label at {@code labelAt}. With
     * {@code numClasses == DISCOVER_CLASSES}, a label is any non-empty text, numbered in order of first
     * appearance into {@code byName}.
     */
    private static Table readRows(LineReader lines, String source, int columns, int labelAt, Map<String, Integer> byName,
            int numClasses, DataType type, boolean namesAllowed, int maxRows) throws IOException {
        Table t = new Table(columns - 1);
        int blankAt = 0;
        String line;
        while ((line = lines.next()) != null) {
            if (line.isBlank()) {
                blankAt = blankAt == 0 ? lines.lineNumber() : blankAt;
                continue;
            }
            if (blankAt != 0) {
                throw new DatasetFormatException(source + ": line " + blankAt + " is blank but data follows on line "
                        + lines.lineNumber() + ": expected blank lines only at the end");
            }
            if (t.rows == maxRows) {
                throw new DatasetFormatException(source + ": line " + lines.lineNumber() + ": more rows than the " + maxRows
                        + " the header declares");
            }
            int field = 0;
            int start = 0;
            int lineNo = lines.lineNumber();
            while (true) {
                int comma = line.indexOf(',', start);
                int end = comma < 0 ? line.length() : comma;
                if (field >= columns) {
                    throw new DatasetFormatException(source + ": line " + lineNo + ": expected " + columns
                            + " fields, got more (ragged row)");
                }
                String token = line.substring(start, end).trim();
                if (field == labelAt && numClasses == DISCOVER_CLASSES) {
                    if (token.isEmpty()) {
                        throw new DatasetFormatException(source + ": line " + lineNo + ", field " + (field + 1)
                                + ": expected a label, got an empty field");
                    }
                    Integer y = byName.get(token);
                    if (y == null) {
                        y = byName.size();
                        byName.put(token, y);
                    }
                    t.addLabel(y);
                } else if (field == labelAt) {
                    t.addLabel(parseLabel(token, byName, numClasses, namesAllowed, source, lineNo, field));
                } else {
                    t.addValue(parseValue(token, type, source, lineNo, field));
                }
                field++;
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
            if (field != columns) {
                throw new DatasetFormatException(source + ": line " + lineNo + ": expected " + columns + " fields, got "
                        + field + " (ragged row)");
            }
            t.rows++;
        }
        return t;
    }

    private static double parseValue(String token, DataType type, String source, int line, int field) {
        if (!isPlainDecimal(token)) {
            throw new DatasetFormatException(source + ": line " + line + ", field " + (field + 1)
                    + ": expected a decimal number, got '" + abbreviate(token) + "'");
        }
        double v = Double.parseDouble(token);
        double limit = type == DataType.FLOAT ? Float.MAX_VALUE : Double.MAX_VALUE;
        if (!(Math.abs(v) <= limit)) {
            throw new DatasetFormatException(source + ": line " + line + ", field " + (field + 1) + ": value '"
                    + abbreviate(token) + "' is outside the range of " + type);
        }
        return v;
    }

    private static int parseLabel(String token, Map<String, Integer> byName, int numClasses, boolean namesAllowed,
            String source, int line, int field) {
        Integer named = byName.get(token);
        if (named != null) {
            return named;
        }
        boolean digits = !token.isEmpty() && token.length() <= 9;
        for (int i = 0; i < token.length() && digits; i++) {
            digits = token.charAt(i) >= '0' && token.charAt(i) <= '9';
        }
        int y = digits ? Integer.parseInt(token) : -1;
        if (y < 0 || y >= numClasses) {
            throw new DatasetFormatException(source + ": line " + line + ", field " + (field + 1) + ": expected a label "
                    + (namesAllowed ? "(a class name or an integer) " : "(an integer) ") + "in [0, " + numClasses
                    + "), got '" + abbreviate(token) + "'");
        }
        return y;
    }

    /** Optional sign, digits with at most one '.', at least one digit, optional exponent with digits. */
    static boolean isPlainDecimal(String s) {
        int n = s.length();
        if (n == 0 || n > 400) {
            return false;
        }
        int i = 0;
        if (s.charAt(i) == '+' || s.charAt(i) == '-') {
            i++;
        }
        int digits = 0;
        boolean dot = false;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            for (; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static int headerCount(String field, String what, String source) {
        String s = field.trim();
        boolean digits = !s.isEmpty() && s.length() <= 9;
        for (int i = 0; i < s.length() && digits; i++) {
            digits = s.charAt(i) >= '0' && s.charAt(i) <= '9';
        }
        int v = digits ? Integer.parseInt(s) : 0;
        if (v < 1) {
            throw new DatasetFormatException(source + ": line 1: expected the number of " + what
                    + " as a positive integer below 10^9, got '" + abbreviate(s) + "'");
        }
        return v;
    }

    /** The header's fields, RFC 4180: a field in double quotes may hold commas, and two quotes stand for one. */
    static String[] splitHeader(String line, String source) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            StringBuilder f = new StringBuilder();
            int start = i;
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new DatasetFormatException(source + ": line 1, field " + (fields.size() + 1)
                                + ": expected a closing quote for the quoted field starting at column " + (start + 1));
                    }
                    char c = line.charAt(i++);
                    if (c != '"') {
                        f.append(c);
                    } else if (i < n && line.charAt(i) == '"') {
                        f.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                while (i < n && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new DatasetFormatException(source + ": line 1, field " + (fields.size() + 1)
                            + ": expected a comma after the closing quote, got '" + line.charAt(i) + "' at column " + (i + 1));
                }
            } else {
                i = start;
                while (i < n && line.charAt(i) != ',') {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        throw new DatasetFormatException(source + ": line 1, field " + (fields.size() + 1)
                                + ": a quote inside an unquoted field at column " + i + ", expected the whole field in quotes");
                    }
                    f.append(c);
                }
            }
            fields.add(f.toString());
            if (i >= n) {
                return fields.toArray(new String[0]);
            }
            i++; // the comma
        }
    }

    private static int countFields(String line) {
        int n = 1;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ',') {
                n++;
            }
        }
        return n;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static void checkMaxBytes(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: expected a limit >= 1, got " + maxBytes);
        }
    }

    private static void checkType(DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("type: expected FLOAT or DOUBLE, got " + type);
        }
    }

    /** Values and labels as read, growing with the data. */
    private static final class Table {
        private final int features;
        private double[] values = new double[1024];
        private int[] labels = new int[64];
        private int valueCount;
        private int labelCount;
        int rows;

        Table(int features) {
            this.features = features;
        }

        void addValue(double v) {
            if (valueCount == values.length) {
                if (values.length >= Integer.MAX_VALUE / 2 - 8) {
                    throw new DatasetFormatException("more values than an array can hold");
                }
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[valueCount++] = v;
        }

        void addLabel(int y) {
            if (labelCount == labels.length) {
                labels = Arrays.copyOf(labels, labels.length * 2);
            }
            labels[labelCount++] = y;
        }

        Dataset toDataset(String name, int numFeatures, List<String> classNames, DataType type) {
            if (rows == 0) {
                throw new DatasetFormatException(name + ": no data rows");
            }
            return Dataset.of(name, Arrays.copyOf(values, valueCount), numFeatures, Arrays.copyOf(labels, labelCount),
                    classNames, type);
        }
    }

    /** Lines of at most MAX_LINE_LENGTH characters from strict UTF-8, with the current line number. */
    private static final class LineReader {
        private final Reader reader;
        private final String source;
        private final char[] buf = new char[8192];
        private int pos;
        private int limit;
        private int lineNumber;
        private String pushedBack;

        LineReader(InputStream raw, String source, long maxBytes) throws IOException {
            this.source = source;
            InputStream in;
            try {
                in = Sources.limited(Sources.maybeGunzip(raw), maxBytes, source,
                        "pass a larger maxBytes to Csv.readWithHeader or Csv.readNumeric if the file is meant to be that large");
            } catch (ZipException | EOFException e) {
                throw new DatasetFormatException(source + ": corrupt or truncated gzip header: " + e.getMessage(), e);
            }
            this.reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        }

        int lineNumber() {
            return lineNumber;
        }

        void pushBack(String line) {
            pushedBack = line;
            lineNumber--;
        }

        /** The next line without its line end, or null at the end of the data. */
        String next() throws IOException {
            if (pushedBack != null) {
                String s = pushedBack;
                pushedBack = null;
                lineNumber++;
                return s;
            }
            StringBuilder sb = null;
            while (true) {
                if (pos == limit) {
                    limit = reader.read(buf, 0, buf.length);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        if (sb == null) {
                            return null;
                        }
                        lineNumber++;
                        return stripMarks(sb);
                    }
                }
                int start = pos;
                while (pos < limit && buf[pos] != '\n') {
                    pos++;
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                if (sb.length() + (pos - start) > MAX_LINE_LENGTH) {
                    throw new DatasetFormatException(source + ": line " + (lineNumber + 1) + " is longer than "
                            + MAX_LINE_LENGTH + " characters");
                }
                sb.append(buf, start, pos - start);
                if (pos < limit) {
                    pos++; // the '\n'
                    lineNumber++;
                    return stripMarks(sb);
                }
            }
        }

        /** Without a trailing '\r', and on line 1 without a leading byte-order mark. */
        private String stripMarks(StringBuilder sb) {
            int n = sb.length();
            int from = lineNumber == 1 && n > 0 && sb.charAt(0) == BYTE_ORDER_MARK ? 1 : 0;
            return sb.substring(from, n > from && sb.charAt(n - 1) == '\r' ? n - 1 : n);
        }

        DatasetFormatException failure(IOException e) {
            String what = e instanceof CharacterCodingException ? "invalid UTF-8 text" : "corrupt or truncated gzip data";
            return new DatasetFormatException(source + ": " + what + " near line " + (lineNumber + 1) + ": " + e, e);
        }
    }
}
