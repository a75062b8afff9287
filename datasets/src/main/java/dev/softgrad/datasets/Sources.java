package dev.softgrad.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Opening byte sources that may or may not be gzip-compressed; not public API. */
final class Sources {
    static final int BUFFER = 1 << 16;

    private Sources() {
    }

    /** True if the first two bytes are the gzip magic number 0x1f 0x8b. */
    static boolean isGzip(byte[] head, int length) {
        return length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /** Wraps {@code raw} in a gzip decoder when it starts with the gzip magic number. */
    static InputStream maybeGunzip(InputStream raw) throws IOException {
        BufferedInputStream in = raw instanceof BufferedInputStream ? (BufferedInputStream) raw
                : new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        byte[] head = new byte[2];
        int n = in.readNBytes(head, 0, 2);
        in.reset();
        return isGzip(head, n) ? new GZIPInputStream(in, BUFFER) : in;
    }

    /** The file name without ".gz" and then without its last extension: "iris.csv.gz" -> "iris". */
    static String baseName(String fileName) {
        String s = fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3) : fileName;
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }
}
