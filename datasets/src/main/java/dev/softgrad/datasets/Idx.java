package dev.softgrad.datasets;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.ZipException;

/**
 * A strict reader for IDX files of unsigned bytes (the format of MNIST and Fashion-MNIST), gzipped
 * or raw (detected from the first two bytes, not from the name).
 *
 * <p>An IDX file is a big-endian header (two zero bytes, a type byte, the number of dimensions
 * {@code r}, then {@code r} 32-bit dimension sizes) followed by the values in row-major order. The
 * reader never trusts the header: it checks the magic number, the type (only {@code 0x08},
 * unsigned byte), each dimension, that the product fits in an array, and that the file holds
 * exactly that many values, and it throws a {@link DatasetFormatException} naming the file, the byte
 * offset (in the decompressed data for a gzip file) and what was wrong. The size claimed by a raw
 * file's header is compared with the file size before anything is allocated; a gzip file is read
 * into a buffer that grows with the data actually decompressed, so a lying header never causes a
 * large allocation. Exactly the bytes the header claims are inflated (one more byte proves the
 * end), and data after the gzip stream is refused.
 *
 * <p><b>Size limit.</b> A truthful header can still claim more than the heap holds (a gzip file of
 * under 1 MiB can hold 1 GB of zeros). A header claiming more than {@code maxBytes} value bytes,
 * {@value #DEFAULT_MAX_BYTES} by default, is refused before anything is inflated; pass a larger
 * limit to {@link #read(Path, long)} or {@link #readImages(Path, Path, String, List, long)} for
 * larger files (as float32 features each byte becomes 4 bytes of heap).
 *
 * <pre>{@code
 * Dataset test = Idx.readImages(dir.resolve("t10k-images-idx3-ubyte.gz"),
 *         dir.resolve("t10k-labels-idx1-ubyte.gz"), "mnist-test", Datasets.DIGIT_CLASSES);
 * }</pre>
 */
public final class Idx {
    /** The IDX type code of unsigned bytes, the only type this reader accepts. */
    public static final int UNSIGNED_BYTE = 0x08;
    /**
     * The default limit on the value bytes a header may claim: 256 MiB, i.e. 342,000 images of
     * 28x28 (MNIST's training set is 47 MB), 1 GiB of heap as float32 features.
     */
    public static final long DEFAULT_MAX_BYTES = 1L << 28;
    /** The largest number of dimensions accepted. */
    public static final int MAX_RANK = 8;
    /** Deflate cannot compress better than about 1032:1, so a valid gzip file is never smaller than this ratio allows. */
    static final long MAX_GZIP_RATIO = 1032;
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;
    private static final float[] UNIT_SCALE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            UNIT_SCALE[i] = i / 255f;
        }
    }

    private Idx() {
    }

    /**
     * The contents of an IDX file of unsigned bytes.
     *
     * @param shape  the dimension sizes from the header, each &ge; 1 (not copied: do not modify)
     * @param values the values in row-major order, as stored (read them with {@code & 0xff})
     */
    public record Data(int[] shape, byte[] values) {
        /** Checks that the values fill the shape exactly. */
        public Data {
            Objects.requireNonNull(shape, "shape must not be null");
            Objects.requireNonNull(values, "values must not be null");
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("values: expected " + n + " for shape " + Arrays.toString(shape)
                        + ", got " + values.length);
            }
        }
    }

    /**
     * Reads an IDX file of unsigned bytes, gzipped or raw.
     *
     * @throws DatasetFormatException if the file is not a well-formed IDX file of unsigned bytes
     * @throws IOException            if the file cannot be read
     */
    public static Data read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_BYTES);
    }

    /**
     * Reads an IDX file of unsigned bytes, gzipped or raw, whose header claims at most
     * {@code maxBytes} value bytes.
     *
     * @param maxBytes the largest number of value bytes accepted (&ge; 1)
     * @throws DatasetFormatException if the file is not a well-formed IDX file of unsigned bytes or
     *                                claims more than {@code maxBytes} values
     * @throws IOException            if the file cannot be read
     */
    public static Data read(Path file, long maxBytes) throws IOException {
        return read(file, -1, maxBytes);
    }

    /**
     * Reads an images file and its labels file into a float32 data set: features are the pixels of
     * each image (all dimensions after the first, flattened row-major) divided by 255, so in [0, 1].
     *
     * @param images     IDX file of rank &ge; 2, e.g. [N, 28, 28]
     * @param labels     IDX file of rank 1 with N values, each in {@code [0, classNames.size())}
     * @param name       the data set's name
     * @param classNames names of the classes, in label order
     * @throws DatasetFormatException if a file is malformed, the counts disagree or a label is out of range
     * @throws IOException            if a file cannot be read
     */
    public static Dataset readImages(Path images, Path labels, String name, List<String> classNames) throws IOException {
        return readImages(images, labels, name, classNames, DEFAULT_MAX_BYTES);
    }

    /**
     * {@link #readImages(Path, Path, String, List)} with a limit on the value bytes each file's
     * header may claim (see the class comment).
     *
     * @param maxBytes the largest number of value bytes accepted per file (&ge; 1)
     */
    public static Dataset readImages(Path images, Path labels, String name, List<String> classNames, long maxBytes)
            throws IOException {
        Objects.requireNonNull(images, "images must not be null");
        Objects.requireNonNull(labels, "labels must not be null");
        Objects.requireNonNull(classNames, "classNames must not be null");
        Data y = read(labels, -1, maxBytes);
        if (y.shape().length != 1) {
            throw new DatasetFormatException(labels + ": expected a labels file of rank 1, got shape " + Arrays.toString(y.shape()));
        }
        int n = y.shape()[0];
        int[] label = new int[n];
        byte[] yv = y.values();
        for (int i = 0; i < n; i++) {
            label[i] = yv[i] & 0xff;
            if (label[i] >= classNames.size()) {
                throw new DatasetFormatException(labels + ": label " + label[i] + " of item " + i + " (byte offset "
                        + (8 + i) + ") is out of range, expected a value in [0, " + classNames.size() + ")");
            }
        }
        Data x = read(images, n, maxBytes);
        if (x.shape().length < 2) {
            throw new DatasetFormatException(images + ": expected an images file of rank >= 2, got shape "
                    + Arrays.toString(x.shape()));
        }
        int features = x.values().length / n;
        byte[] xv = x.values();
        float[] f = new float[xv.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = UNIT_SCALE[xv[i] & 0xff];
        }
        return Dataset.of(name, f, features, label, classNames);
    }

    /** Reads a file; {@code expectedCount} &ge; 0 requires that first dimension (checked before allocating). */
    static Data read(Path file, int expectedCount, long maxBytes) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        checkMaxBytes(maxBytes);
        long size = Files.size(file);
        try (InputStream raw = Files.newInputStream(file)) {
            return parse(raw, file.toString(), size, expectedCount, maxBytes);
        }
    }

    private static void checkMaxBytes(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: expected a limit >= 1, got " + maxBytes);
        }
    }

    /** Parses in-memory bytes (for tests). */
    static Data parse(byte[] bytes, String source) {
        return parse(bytes, source, DEFAULT_MAX_BYTES);
    }

    /** Parses in-memory bytes with a limit on the claimed value bytes (for tests). */
    static Data parse(byte[] bytes, String source, long maxBytes) {
        checkMaxBytes(maxBytes);
        try {
            return parse(new ByteArrayInputStream(bytes), source, bytes.length, -1, maxBytes);
        } catch (IOException e) { // cannot happen for an in-memory stream except through gzip, mapped below
            throw new DatasetFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private static Data parse(InputStream raw, String source, long fileSize, int expectedCount, long maxBytes)
            throws IOException {
        InputStream in;
        try {
            in = Sources.maybeGunzip(raw);
        } catch (ZipException | EOFException e) {
            throw new DatasetFormatException(source + ": corrupt or truncated gzip header: " + e.getMessage(), e);
        }
        boolean gzip = in instanceof StrictGzipInputStream;
        String where = gzip ? " of the decompressed data" : "";
        try {
            byte[] magic = new byte[4];
            readHeader(in, magic, source, 0, "the 4-byte magic number", where);
            if (magic[0] != 0 || magic[1] != 0) {
                throw new DatasetFormatException(source + ": wrong magic number at byte offset 0" + where
                        + ": expected 0x0000 followed by a type and a rank (e.g. 0x00000803 for MNIST images), got 0x"
                        + hex(magic) + (gzip ? "" : " (not an IDX file; a gzip file would start with 0x1f8b)"));
            }
            int type = magic[2] & 0xff;
            if (type != UNSIGNED_BYTE) {
                throw new DatasetFormatException(source + ": unsupported IDX type 0x" + String.format("%02x", type)
                        + " at byte offset 2" + where + ": expected 0x08 (unsigned byte)");
            }
            int rank = magic[3] & 0xff;
            if (rank < 1 || rank > MAX_RANK) {
                throw new DatasetFormatException(source + ": number of dimensions " + rank + " at byte offset 3" + where
                        + ": expected 1.." + MAX_RANK);
            }
            byte[] dimBytes = new byte[4 * rank];
            readHeader(in, dimBytes, source, 4, "the " + rank + " dimension sizes", where);
            int[] shape = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                int d = ((dimBytes[4 * i] & 0xff) << 24) | ((dimBytes[4 * i + 1] & 0xff) << 16)
                        | ((dimBytes[4 * i + 2] & 0xff) << 8) | (dimBytes[4 * i + 3] & 0xff);
                if (d < 1) {
                    throw new DatasetFormatException(source + ": dimension " + i + " at byte offset " + (4 + 4 * i) + where
                            + " is " + Integer.toUnsignedString(d) + ", expected 1.." + Integer.MAX_VALUE);
                }
                shape[i] = d;
                total *= d;
                if (total > MAX_VALUES) {
                    throw new DatasetFormatException(source + ": header declares shape up to " + Arrays.toString(Arrays.copyOf(shape, i + 1))
                            + ", more than the " + MAX_VALUES + " values an array can hold");
                }
            }
            if (expectedCount >= 0 && shape[0] != expectedCount) {
                throw new DatasetFormatException(source + ": header declares " + shape[0] + " items (shape "
                        + Arrays.toString(shape) + "), expected " + expectedCount + " to match the labels file");
            }
            int header = 4 + 4 * rank;
            if (total > maxBytes) {
                throw new DatasetFormatException(source + ": header declares shape " + Arrays.toString(shape) + ", i.e. "
                        + total + " value bytes, more than the limit of " + maxBytes
                        + " (raise it with the maxBytes argument of Idx.read or Idx.readImages)");
            }
            String claim = "header declares shape " + Arrays.toString(shape) + ", i.e. " + total + " bytes after the "
                    + header + "-byte header";
            if (!gzip) {
                long available = fileSize - header;
                if (available != total) {
                    throw new DatasetFormatException(source + ": " + claim + ", but the file holds " + available
                            + (available < total ? " (truncated)" : " (trailing bytes)"));
                }
            } else if (total > MAX_GZIP_RATIO * fileSize) {
                throw new DatasetFormatException(source + ": " + claim + ", but a gzip file of " + fileSize
                        + " bytes cannot decompress to more than " + MAX_GZIP_RATIO * fileSize);
            }
            byte[] values = readValues(in, (int) total, gzip ? Math.max(1 << 16, 8 * fileSize) : total, source, claim, header, where);
            return new Data(shape, values);
        } catch (ZipException | EOFException e) {
            throw new DatasetFormatException(source + ": corrupt or truncated gzip data: " + e.getMessage(), e);
        }
    }

    private static void readHeader(InputStream in, byte[] dst, String source, int offset, String what, String where)
            throws IOException {
        int n = in.readNBytes(dst, 0, dst.length);
        if (n < dst.length) {
            throw new DatasetFormatException(source + ": file ends at byte offset " + (offset + n) + where + ", inside "
                    + what + " (expected " + dst.length + " bytes from offset " + offset + ")");
        }
    }

    /** Reads exactly {@code total} bytes and then the end, growing the buffer from {@code initial} as data arrives. */
    private static byte[] readValues(InputStream in, int total, long initial, String source, String claim, int header,
            String where) throws IOException {
        byte[] buf = new byte[(int) Math.min(total, initial)];
        int pos = 0;
        while (pos < total) {
            if (pos == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(total, 2L * buf.length));
            }
            int r = in.read(buf, pos, buf.length - pos);
            if (r < 0) {
                throw new DatasetFormatException(source + ": " + claim + ", but the data ends at byte offset "
                        + (header + pos) + where + " (truncated: " + pos + " of " + total + " value bytes)");
            }
            pos += r;
        }
        if (in.read() >= 0) {
            throw new DatasetFormatException(source + ": " + claim + ", but more data follows at byte offset "
                    + (header + (long) total) + where);
        }
        return buf;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }
}
