package dev.softgrad.nn.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Atomic file replacement: write a temporary file in the target's folder, force it to disk, move it
 * over the target with {@code ATOMIC_MOVE}, then force the folder. A failure at any point leaves the
 * previous file untouched and removes the temporary file.
 *
 * <p>The temporary file is created with the default permissions, so the file written gets the mode
 * the umask gives (0644 under the usual 022), like any file a program creates; not the 0600 of
 * {@code Files.createTempFile}. Its name is {@link #tempPrefix(Path)} of the target, a random token
 * and {@code .tmp}: short whatever the target's name, and the same prefix for every write of one
 * target, so that {@link #removeLeftovers} can find what a killed writer left behind.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NAME_CHARS = 80;

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
        write(target, tempPrefix(target), content);
    }

    /** As {@link #write(Path, Content)}, the temporary file's name starting with {@code prefix}. */
    static void write(Path target, String prefix, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(prefix + HexFormat.of().formatHex(token()) + ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
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

    /**
     * The start of the name of every temporary file written for {@code target}: a dot, the target's
     * name made safe and cut to {@value #NAME_CHARS} characters, and 8 hex digits of its SHA-256 (so
     * two targets never share a prefix), then a dot.
     */
    public static String tempPrefix(Path target) {
        String name = target.toAbsolutePath().getFileName().toString();
        return "." + safeName(name, NAME_CHARS) + "." + nameHash(name) + ".";
    }

    /**
     * Deletes the temporary files in {@code target}'s folder whose names start with {@code prefix}
     * (see {@link #tempPrefix}) and end with {@code .tmp}: what a writer killed mid-write left. Only
     * call it while no other writer of the same target can run (under a lock).
     *
     * @return how many were deleted
     */
    public static int removeLeftovers(Path target, String prefix) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String f = p.getFileName().toString();
                if (f.startsWith(prefix) && f.endsWith(".tmp") && Files.isRegularFile(p) && Files.deleteIfExists(p)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** {@code name} with every character outside [A-Za-z0-9_-] replaced by '_', at most {@code max} characters, never empty. */
    static String safeName(String name, int max) {
        String s = name.replaceAll("[^A-Za-z0-9_-]", "_");
        s = s.length() > max ? s.substring(0, max) : s;
        return s.isEmpty() ? "_" : s;
    }

    /** The first 8 hex digits of the SHA-256 of the name's UTF-8 bytes. */
    static String nameHash(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] token() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems do not allow opening a folder; the move itself is already atomic
        }
    }
}
