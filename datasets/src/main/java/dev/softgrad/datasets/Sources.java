package dev.softgrad.datasets;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Opening byte sources that may or may not be gzip-compressed; not public API. */
final class Sources {
    static final int BUFFER = 1 << 16;

    private Sources() {
    }

    /** True if the first two bytes are the gzip magic number 0x1f 0x8b. */
    static boolean isGzip(byte[] head, int length) {
        return length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /**
     * Wraps {@code raw} in a strict gzip decoder ({@link StrictGzipInputStream}: trailing data after
     * the last member is an error) when it starts with the gzip magic number.
     */
    static InputStream maybeGunzip(InputStream raw) throws IOException {
        BufferedInputStream in = raw instanceof BufferedInputStream ? (BufferedInputStream) raw
                : new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        byte[] head = new byte[2];
        int n = in.readNBytes(head, 0, 2);
        in.reset();
        return isGzip(head, n) ? new StrictGzipInputStream(in) : in;
    }

    /**
     * At most {@code maxBytes} bytes of {@code in}; reading past them throws a
     * {@link DatasetFormatException} that names the source, the limit and {@code how} to raise it.
     */
    static InputStream limited(InputStream in, long maxBytes, String source, String how) {
        return new FilterInputStream(in) {
            private long count;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    advance(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, (int) Math.min(len, maxBytes - count + 1));
                if (n > 0) {
                    advance(n);
                }
                return n;
            }

            private void advance(int n) {
                count += n;
                if (count > maxBytes) {
                    throw new DatasetFormatException(source + ": more than " + maxBytes + " bytes of "
                            + (in instanceof StrictGzipInputStream ? "decompressed " : "") + "data, the limit; " + how);
                }
            }
        };
    }

    /** The file name without ".gz" and then without its last extension: "iris.csv.gz" -> "iris". */
    static String baseName(String fileName) {
        String s = fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3) : fileName;
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }
}
