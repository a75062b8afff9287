package dev.softgrad.datasets;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file a data set needs: where it sits inside a cache folder, where its publisher serves it, the
 * SHA-256 of the published bytes, which every download must match before it enters the cache, and
 * the most bytes a download of it may bring (a server sending more is cut off there).
 *
 * @param path     relative path inside the cache folder, '/'-separated, no "..", e.g. "mnist/t10k-labels-idx1-ubyte.gz"
 * @param url      http or https address of the published file
 * @param sha256   64 hex digits (normalised to lower case)
 * @param maxBytes the largest download accepted, &ge; 1: the published size where it is known,
 *                 {@link #DEFAULT_MAX_BYTES} otherwise
 */
public record RemoteFile(String path, URI url, String sha256, long maxBytes) {
    /** The size cap of a file whose size is not given: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

    /** Validates the four parts. */
    public RemoteFile {
        Objects.requireNonNull(path, "path must not be null");
        Objects.requireNonNull(url, "url must not be null");
        Objects.requireNonNull(sha256, "sha256 must not be null");
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.endsWith("/")) {
            throw new IllegalArgumentException("path: expected a relative '/'-separated file path, got '" + path + "'");
        }
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("path: expected no empty, '.' or '..' parts, got '" + path + "'");
            }
        }
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("url: expected an http or https address, got '" + url + "'");
        }
        if (!HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256: expected 64 hex digits, got '" + sha256 + "'");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: expected a size cap >= 1, got " + maxBytes);
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
    }

    /** A file of unknown size, capped at {@link #DEFAULT_MAX_BYTES}. */
    public RemoteFile(String path, URI url, String sha256) {
        this(path, url, sha256, DEFAULT_MAX_BYTES);
    }

    /** Shorthand: {@code new RemoteFile(path, URI.create(url), sha256)}. */
    public static RemoteFile of(String path, String url, String sha256) {
        return new RemoteFile(path, URI.create(url), sha256);
    }

    /** Shorthand: {@code new RemoteFile(path, URI.create(url), sha256, maxBytes)}. */
    public static RemoteFile of(String path, String url, String sha256, long maxBytes) {
        return new RemoteFile(path, URI.create(url), sha256, maxBytes);
    }
}
