package dev.softgrad.datasets;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * A gzip decoder (RFC 1952) that refuses what {@link java.util.zip.GZIPInputStream} lets pass:
 * bytes after the last member that are not another gzip member (the JDK's decoder silently drops
 * them). Concatenated members are accepted, as the RFC allows; each member's CRC-32 and length
 * are checked. Errors are {@link ZipException}s (or an {@link EOFException} for a cut stream), which
 * the readers turn into {@link DatasetFormatException}s naming the file. Not public API.
 */
final class StrictGzipInputStream extends InputStream {
    private static final int FTEXT_RESERVED = 0xe0;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream in;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[Sources.BUFFER];
    private final byte[] oneByte = new byte[1];
    private int pos;
    private int limit;
    /** Offset in the raw data of {@code buf[0]}. */
    private long bufferStart;
    private boolean end;

    StrictGzipInputStream(InputStream in) throws IOException {
        this.in = in;
        readHeader();
    }

    @Override
    public int read() throws IOException {
        int n = read(oneByte, 0, 1);
        return n < 0 ? -1 : oneByte[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!end) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException("invalid deflate data: " + e.getMessage());
            }
            if (n > 0) {
                crc.update(b, off, n);
                return n;
            }
            if (inflater.finished()) {
                pos = limit - inflater.getRemaining();
                readTrailer();
                int next = rawRead();
                if (next < 0) {
                    end = true;
                } else {
                    pos--; // the byte is still in the buffer: rawRead never refills while pos < limit
                    readHeader();
                }
            } else if (inflater.needsDictionary()) {
                throw new ZipException("deflate data needs a preset dictionary, which gzip does not allow");
            } else if (inflater.needsInput()) {
                if (!fill()) {
                    throw new EOFException("the gzip stream ends inside the compressed data");
                }
                inflater.setInput(buf, pos, limit - pos);
                pos = limit;
            }
        }
        return -1;
    }

    private void readHeader() throws IOException {
        long at = bufferStart + pos;
        int id1 = rawRead();
        int id2 = rawRead();
        if (id1 != 0x1f || id2 != 0x8b) {
            throw new ZipException("not a gzip member at compressed byte offset " + at
                    + (at > 0 ? " (trailing data after the gzip stream)" : ""));
        }
        if (rawByte() != 8) {
            throw new ZipException("unsupported compression method at compressed byte offset " + (at + 2) + ", expected 8 (deflate)");
        }
        int flags = rawByte();
        if ((flags & FTEXT_RESERVED) != 0) {
            throw new ZipException("reserved gzip header flags set at compressed byte offset " + (at + 3));
        }
        for (int i = 0; i < 6; i++) { // MTIME, XFL, OS
            rawByte();
        }
        if ((flags & FEXTRA) != 0) {
            int xlen = rawByte() | rawByte() << 8;
            for (int i = 0; i < xlen; i++) {
                rawByte();
            }
        }
        if ((flags & FNAME) != 0) {
            while (rawByte() != 0) {
                // skip the zero-terminated file name
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (rawByte() != 0) {
                // skip the zero-terminated comment
            }
        }
        if ((flags & FHCRC) != 0) {
            rawByte();
            rawByte();
        }
        inflater.reset();
        crc.reset();
    }

    private void readTrailer() throws IOException {
        long storedCrc = rawUInt();
        long storedSize = rawUInt();
        if (storedCrc != crc.getValue()) {
            throw new ZipException("corrupt gzip trailer: CRC-32 " + Long.toHexString(storedCrc) + " stored, "
                    + Long.toHexString(crc.getValue()) + " computed");
        }
        if (storedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
            throw new ZipException("corrupt gzip trailer: size " + storedSize + " stored, "
                    + (inflater.getBytesWritten() & 0xffffffffL) + " decompressed (mod 2^32)");
        }
    }

    private long rawUInt() throws IOException {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (long) rawByte() << (8 * i);
        }
        return v;
    }

    /** The next raw byte; the end of the data here is a cut stream. */
    private int rawByte() throws IOException {
        int b = rawRead();
        if (b < 0) {
            throw new EOFException("the gzip stream ends inside a member's header or trailer");
        }
        return b;
    }

    private int rawRead() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    /** Refills the buffer when it is used up; false at the end of the raw data. */
    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            if (n == 0) {
                throw new IOException("the underlying stream returned 0 bytes");
            }
            return false;
        }
        bufferStart += limit;
        pos = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
