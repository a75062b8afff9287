package dev.softgrad.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path tmp;

    /** A hand-made IDX file: magic 0x0000 0x08 rank, big-endian dims, then the values. */
    static byte[] idx(int[] dims, byte[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(values);
        return b.array();
    }

    static byte[] ramp(int n) {
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) {
            v[i] = (byte) (i * 37);
        }
        return v;
    }

    @Test
    void sharedMnistTestSetHasTheDocumentedShapeBytesAndClassCounts() throws Exception {
        Path folder = SharedData.folder();
        Path images = folder.resolve("mnist/t10k-images-idx3-ubyte.gz");
        Idx.Data raw = Idx.read(images);
        assertArrayEquals(new int[] {10000, 28, 28}, raw.shape());
        // README of the shared data: the decompressed file (16-byte header + pixels) has md5 2646ac64...
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(idx(raw.shape(), new byte[0]));
        md5.update(raw.values());
        assertEquals("2646ac647ad5339dbf082846283269ea", HexFormat.of().formatHex(md5.digest()));

        Dataset test = Datasets.mnistTest(DataCache.at(folder).offline());
        assertEquals("mnist-test", test.name());
        assertEquals(10000, test.size());
        assertEquals(784, test.numFeatures());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, test.classCounts());
        float[] x = test.features().data().asFloat();
        float min = 1;
        float max = 0;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        for (int i = 0; i < 784 * 3; i++) {
            assertEquals((raw.values()[i] & 0xff) / 255f, x[i]);
        }
    }

    @Test
    void rawAndGzippedFilesReadAlike() throws IOException {
        byte[] file = idx(new int[] {3, 2, 2}, ramp(12));
        Path raw = tmp.resolve("x-idx3-ubyte");
        Path gz = tmp.resolve("x-idx3-ubyte.gz");
        Files.write(raw, file);
        Files.write(gz, CsvTest.gzip(file));
        assertArrayEquals(ramp(12), Idx.read(raw).values());
        assertArrayEquals(ramp(12), Idx.read(gz).values());
        Path labels = tmp.resolve("y-idx1-ubyte");
        Files.write(labels, idx(new int[] {3}, new byte[] {2, 0, 1}));
        Dataset d = Idx.readImages(gz, labels, "tiny", List.of("p", "q", "r"));
        assertEquals(4, d.numFeatures());
        assertArrayEquals(new int[] {2, 0, 1}, d.labels());
        assertEquals((ramp(12)[5] & 0xff) / 255f, d.features().getFloat(1, 1));
    }

    private static void assertRejected(byte[] bytes, String fragment) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Idx.parse(bytes, "bad.idx"));
        assertTrue(e.getMessage().startsWith("bad.idx: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void badHeadersAreRejectedBeforeAllocatingNamingTheOffset() throws IOException {
        byte[] good = idx(new int[] {2, 3}, ramp(6));
        byte[] magic = good.clone();
        magic[0] = 1;
        assertRejected(magic, "wrong magic number at byte offset 0");
        byte[] type = good.clone();
        type[2] = 0x0D;
        assertRejected(type, "unsupported IDX type 0x0d at byte offset 2");
        byte[] rank = good.clone();
        rank[3] = 0;
        assertRejected(rank, "number of dimensions 0 at byte offset 3");
        assertRejected(Arrays.copyOf(good, 3), "file ends at byte offset 3, inside the 4-byte magic number");
        assertRejected(Arrays.copyOf(good, 9), "file ends at byte offset 9, inside the 2 dimension sizes");
        assertRejected(idx(new int[] {2, 0}, new byte[0]), "dimension 1 at byte offset 8 is 0");
        assertRejected(idx(new int[] {-1}, new byte[0]), "dimension 0 at byte offset 4 is 4294967295");
        assertRejected(Arrays.copyOf(good, good.length - 1), "i.e. 6 bytes after the 12-byte header, but the file holds 5 (truncated)");
        assertRejected(Arrays.copyOf(good, good.length + 2), "but the file holds 8 (trailing bytes)");
        // Dimensions claiming ~2 GB in a tiny file: rejected from the sizes alone.
        assertRejected(idx(new int[] {60000, 28, 1200}, new byte[10]), "header declares shape [60000, 28, 1200]");
        assertRejected(idx(new int[] {65536, 65536}, new byte[10]), "more than the");
        // Gzipped: a claim no deflate stream of this size can back; then a truncated stream.
        assertRejected(CsvTest.gzip(idx(new int[] {100000, 784}, new byte[100])), "cannot decompress to more than");
        assertRejected(CsvTest.gzip(idx(new int[] {2, 3}, ramp(4))), "the data ends at byte offset 16 of the decompressed data (truncated: 4 of 6");
        assertRejected(CsvTest.gzip(Arrays.copyOf(good, good.length + 1)), "more data follows at byte offset 18 of the decompressed data");
        byte[] gz = CsvTest.gzip(good);
        assertRejected(Arrays.copyOf(gz, gz.length - 6), "gzip");
    }

    @Test
    void imagesAndLabelsMustAgree() throws IOException {
        Path images = tmp.resolve("i");
        Path labels = tmp.resolve("l");
        Files.write(images, idx(new int[] {3, 2}, ramp(6)));
        Files.write(labels, idx(new int[] {2}, new byte[] {0, 1}));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Idx.readImages(images, labels, "x", Datasets.DIGIT_CLASSES));
        assertTrue(e.getMessage().contains(images + ": header declares 3 items"), e.getMessage());
        Files.write(labels, idx(new int[] {3}, new byte[] {0, 10, 1}));
        e = assertThrows(DatasetFormatException.class, () -> Idx.readImages(images, labels, "x", Datasets.DIGIT_CLASSES));
        assertTrue(e.getMessage().contains(labels + ": label 10 of item 1 (byte offset 9) is out of range"), e.getMessage());
        Files.write(labels, idx(new int[] {3, 1}, new byte[] {0, 1, 1}));
        e = assertThrows(DatasetFormatException.class, () -> Idx.readImages(images, labels, "x", Datasets.DIGIT_CLASSES));
        assertTrue(e.getMessage().contains("expected a labels file of rank 1"), e.getMessage());
        Files.write(labels, idx(new int[] {3}, new byte[] {0, 1, 1}));
        Files.write(images, idx(new int[] {3}, ramp(3)));
        e = assertThrows(DatasetFormatException.class, () -> Idx.readImages(images, labels, "x", Datasets.DIGIT_CLASSES));
        assertTrue(e.getMessage().contains("expected an images file of rank >= 2"), e.getMessage());
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    @Test
    void gzipBombIsRefusedFromItsHeaderBeforeInflating() throws IOException {
        // 4 MB of zeros behind a truthful header: a few KiB on disk. With a 1 MB limit it is refused
        // by the header's claim, before anything is inflated; the default limit is documented.
        byte[] bomb = CsvTest.gzip(idx(new int[] {4000, 1000}, new byte[4_000_000]));
        assertTrue(bomb.length < 16_384, "the bomb should be small on disk, is " + bomb.length);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Idx.parse(bomb, "bomb.gz", 1_000_000));
        assertTrue(e.getMessage().contains("4000000 value bytes, more than the limit of 1000000"), e.getMessage());
        assertEquals(4_000_000, Idx.parse(bomb, "bomb.gz", 4_000_000).values().length);
        assertEquals(1L << 28, Idx.DEFAULT_MAX_BYTES);
        Path f = tmp.resolve("bomb.gz");
        Files.write(f, bomb);
        assertTrue(assertThrows(DatasetFormatException.class, () -> Idx.read(f, 999_999)).getMessage().contains("limit"));
        assertThrows(IllegalArgumentException.class, () -> Idx.read(f, 0));
    }

    @Test
    void dataAfterTheGzipStreamIsRefusedWhileConcatenatedMembersAreRead() throws IOException {
        byte[] good = idx(new int[] {2, 3}, ramp(6));
        byte[] gz = CsvTest.gzip(good);
        for (byte[] tail : new byte[][] {{0}, {1, 2, 3, 4, 5}, new byte[100], {0x1f}}) {
            byte[] withTail = concat(gz, tail);
            DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Idx.parse(withTail, "tail.gz"),
                    "trailing " + tail.length + " bytes");
            assertTrue(e.getMessage().contains("gzip"), e.getMessage());
        }
        assertTrue(assertThrows(DatasetFormatException.class, () -> Idx.parse(concat(gz, new byte[9]), "tail.gz"))
                .getMessage().contains("trailing data after the gzip stream"));
        // Two gzip members (RFC 1952 allows a series) decode to the concatenation.
        byte[] twoMembers = concat(CsvTest.gzip(Arrays.copyOf(good, 7)), CsvTest.gzip(Arrays.copyOfRange(good, 7, good.length)));
        assertArrayEquals(ramp(6), Idx.parse(twoMembers, "two.gz").values());
        // A corrupted CRC in the trailer is caught.
        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 8] ^= 1;
        assertTrue(assertThrows(DatasetFormatException.class, () -> Idx.parse(badCrc, "crc.gz")).getMessage().contains("CRC"));
    }
}
