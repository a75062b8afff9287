package dev.softgrad.datasets;

import java.io.IOException;

/**
 * A download that did not put a verified file into the cache: no network, an HTTP error, a
 * connection dropped before the announced length, or bytes whose SHA-256 differs from the expected
 * one. Nothing is left in the cache folder when this is thrown. The message names the address, the
 * target path and, for data sets, which files to put where to work offline.
 */
public class DownloadException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and what to do about it */
    public DownloadException(String message) {
        super(message);
    }

    /**
     * @param message what failed and what to do about it
     * @param cause   the underlying failure
     */
    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
