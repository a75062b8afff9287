package dev.softgrad.nn.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Atomic file replacement: write a temporary file in the target's folder, force it to disk, move it
 * over the target with {@code ATOMIC_MOVE}, then force the folder. A failure at any point leaves the
 * previous file untouched and removes the temporary file.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the content. */
    @FunctionalInterface
    public interface Content {
        /** Writes everything to {@code out} (which the caller closes). */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        if (target == null || bytes == null) {
            throw new IllegalArgumentException("AtomicFiles.write: target and bytes must not be null");
        }
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes {@code target} atomically: into a temporary file in the same folder, forced to disk, then
     * moved over the target in one atomic step (and the folder forced). A failure at any point leaves
     * the previous file intact and no temporary file behind.
     */
    public static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(ch);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + abs + " atomically: " + e.getMessage(), e);
            }
            done = true;
            forceDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems do not allow opening a folder; the move itself is already atomic
        }
    }
}
