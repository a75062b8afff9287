package dev.softgrad.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A folder holding data files, and the downloads that fill it.
 *
 * <p>The folder is, in order of precedence: the {@link Path} given to {@link #at(Path)}; the
 * environment variable {@value #ENV_VAR}; {@code ~/.softgrad/datasets}. A file already in the
 * folder is used as it is. A missing file is downloaded from its publisher (unless the cache is
 * {@link #offline()}), its SHA-256 computed while it streams into a temporary file in the target's
 * own directory; only if the checksum matches is the file forced to disk and moved into place with
 * an atomic rename, so the folder never holds a partial or unverified file, even after a crash.
 * Download progress shows as a bar on a terminal and as plain lines without one or when {@code CI} is set.
 * A server that sends nothing for 60 s, or closes the connection before the announced length, ends
 * the download with a {@link DownloadException}; redirects are followed (at most 5, never from
 * https to http). Every download is bounded in time and bytes: it is abandoned when it has run for
 * longer than the deadline ({@value #DEFAULT_DEADLINE_MINUTES} minutes unless
 * {@link #withDeadline(Duration) set}), however slowly the bytes drip in, and when the server
 * announces or sends more than the file's {@link RemoteFile#maxBytes()}. Every failure (network,
 * HTTP status, malformed redirect, a target path that is a directory, deadline, size, checksum) is a
 * {@link DownloadException} naming the address and the target file, and leaves no file behind.
 *
 * <pre>{@code
 * Dataset train = Datasets.mnistTrain();                                // ~/.softgrad/datasets or $SOFTGRAD_DATA
 * Dataset test = Datasets.mnistTest(DataCache.at(Path.of("data")).offline());
 * }</pre>
 */
public final class DataCache {
    /** The environment variable that overrides the default folder. */
    public static final String ENV_VAR = "SOFTGRAD_DATA";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    /** How long a download may go without receiving a byte before it is abandoned. */
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    /** The default limit on a whole download, in minutes. */
    public static final int DEFAULT_DEADLINE_MINUTES = 30;
    /** Closes the connections of downloads that overrun their deadline. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "softgrad-download-deadline");
        t.setDaemon(true);
        return t;
    });

    private final Path folder;
    private final boolean downloads;
    private final boolean quiet;
    private final Duration readTimeout;
    private final Duration deadline;

    private DataCache(Path folder, boolean downloads, boolean quiet, Duration readTimeout, Duration deadline) {
        this.folder = Objects.requireNonNull(folder, "folder must not be null");
        this.downloads = downloads;
        this.quiet = quiet;
        this.readTimeout = readTimeout;
        this.deadline = deadline;
    }

    private DataCache(Path folder, boolean downloads, boolean quiet) {
        this(folder, downloads, quiet, DEFAULT_READ_TIMEOUT, Duration.ofMinutes(DEFAULT_DEADLINE_MINUTES));
    }

    /** The same cache with another stall timeout (for tests). */
    DataCache withReadTimeout(Duration timeout) {
        return new DataCache(folder, downloads, quiet, timeout, deadline);
    }

    /**
     * The same cache with another limit on the duration of each download (connection, redirects and
     * body together).
     *
     * @param deadline a positive duration
     */
    public DataCache withDeadline(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline must not be null");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline: expected a positive duration, got " + deadline);
        }
        return new DataCache(folder, downloads, quiet, readTimeout, deadline);
    }

    /** The default folder: {@code $SOFTGRAD_DATA} if set and non-blank, else {@code ~/.softgrad/datasets}. */
    public static Path defaultFolder() {
        String env = System.getenv(ENV_VAR);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".softgrad", "datasets");
    }

    /** The cache in {@link #defaultFolder()}, downloading what is missing. */
    public static DataCache standard() {
        return new DataCache(defaultFolder(), true, false);
    }

    /** A cache in the given folder (created when a download needs it), downloading what is missing. */
    public static DataCache at(Path folder) {
        return new DataCache(folder, true, false);
    }

    /** The same folder, but a missing file is an error that says which files to put where. */
    public DataCache offline() {
        return new DataCache(folder, false, quiet, readTimeout, deadline);
    }

    /** The same folder and download policy, without progress output. */
    public DataCache quiet() {
        return new DataCache(folder, downloads, true, readTimeout, deadline);
    }

    /** The folder files are looked up in and downloaded to. */
    public Path folder() {
        return folder;
    }

    /** Whether missing files are downloaded. */
    public boolean downloads() {
        return downloads;
    }

    /** Where {@code file} lives (or would live) in this cache. */
    public Path pathOf(RemoteFile file) {
        return folder.resolve(file.path());
    }

    /**
     * The local paths of all files of a data set, downloading the missing ones.
     *
     * @param dataset the data set's name, for messages
     * @throws DownloadException if a file is missing and cannot be downloaded (or the cache is
     *                           offline); the message lists every missing file with its address and
     *                           the path to put it at
     */
    public List<Path> require(String dataset, List<RemoteFile> files) throws IOException {
        List<Path> paths = new ArrayList<>();
        for (RemoteFile f : files) {
            Path p = pathOf(f);
            if (!Files.isRegularFile(p)) {
                if (!downloads) {
                    throw new DownloadException(dataset + ": missing files and downloads are off. " + howToFix(files));
                }
                try {
                    download(f);
                } catch (DownloadException e) {
                    throw new DownloadException(dataset + ": " + e.getMessage() + ". " + howToFix(files), e);
                }
            }
            paths.add(p);
        }
        return paths;
    }

    private String howToFix(List<RemoteFile> files) {
        StringBuilder s = new StringBuilder("To work offline, put these files there (or point " + ENV_VAR
                + " or a Path argument at a folder holding them):");
        for (RemoteFile f : files) {
            s.append(Files.isRegularFile(pathOf(f)) ? "\n  [present] " : "\n  [missing] ").append(pathOf(f))
                    .append("  <-  ").append(f.url());
        }
        return s.toString();
    }

    /**
     * Downloads {@code file} into this cache, verifies its SHA-256 and moves it into place
     * atomically, replacing any file already there.
     *
     * @return the path of the verified file
     * @throws DownloadException on any failure (network, HTTP status, malformed redirect, dropped
     *                           connection, deadline, size cap, checksum mismatch, a target that
     *                           cannot be written); the message names the address and the target
     *                           file; no file, partial or temporary, is left behind
     */
    public Path download(RemoteFile file) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        Path target = pathOf(file);
        String what = "download of " + file.url() + " to " + target;
        Path temp = null;
        boolean moved = false;
        Path dir = target.toAbsolutePath().getParent();
        Path firstCreated = null;
        Watchdog watchdog = new Watchdog(deadline);
        try {
            if (Files.isDirectory(target)) {
                throw new DownloadException("the target is a directory, expected a file path");
            }
            for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
                firstCreated = p;
            }
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
            fetch(file, temp, watchdog);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new DownloadException("cannot move " + temp + " atomically to " + target + ": " + e.getMessage(), e);
            }
            moved = true;
            forceDirectory(dir);
            return target;
        } catch (IOException | RuntimeException e) {
            if (watchdog.expired()) {
                throw new DownloadException(what + " failed: it ran past its deadline of " + deadline.toMillis()
                        + " ms (" + e.getMessage() + "); nothing was written", e);
            }
            throw new DownloadException(what + " failed: " + e.getMessage(), e);
        } finally {
            watchdog.cancel();
            if (!moved) {
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
                removeEmptyFolders(dir, firstCreated);
            }
        }
    }

    /** Removes the folders this download created, from {@code dir} up to {@code top}, while they are empty. */
    private static void removeEmptyFolders(Path dir, Path top) {
        if (top == null) {
            return;
        }
        for (Path p = dir; p != null && p.startsWith(top); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return; // not empty (another download's file), or not ours to remove
            }
        }
    }

    /** Closes the connection in use when the deadline passes, so that no read outlives it. */
    private static final class Watchdog {
        private final long deadlineNanos;
        private final ScheduledFuture<?> timer;
        private volatile HttpURLConnection connection;
        private volatile boolean expired;

        Watchdog(Duration deadline) {
            deadlineNanos = System.nanoTime() + deadline.toNanos();
            timer = WATCHDOG.schedule(this::expire, deadline.toNanos(), TimeUnit.NANOSECONDS);
        }

        private void expire() {
            expired = true;
            HttpURLConnection c = connection;
            if (c != null) {
                c.disconnect();
            }
        }

        void watch(HttpURLConnection c) {
            connection = c;
            if (expired) {
                c.disconnect();
            }
        }

        boolean expired() {
            return expired || System.nanoTime() - deadlineNanos > 0;
        }

        /** Throws when the deadline has passed (checked between reads, besides the timer). */
        void check() throws DownloadException {
            if (expired()) {
                throw new DownloadException("still running at the deadline");
            }
        }

        void cancel() {
            timer.cancel(false);
        }
    }

    private void fetch(RemoteFile file, Path temp, Watchdog watchdog) throws IOException {
        HttpURLConnection conn = open(file.url(), watchdog);
        try (InputStream body = conn.getInputStream()) {
            long announced = conn.getContentLengthLong();
            if (announced > file.maxBytes()) {
                throw new DownloadException("the server announces " + announced + " bytes, more than the "
                        + file.maxBytes() + " expected at most; nothing was read");
            }
            MessageDigest sha = sha256Digest();
            long received = 0;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                    DownloadProgress progress = DownloadProgress.start("download " + file.path(), announced, quiet)) {
                byte[] buf = new byte[1 << 16];
                int n;
                try {
                    while ((n = body.read(buf, 0, (int) Math.min(buf.length, file.maxBytes() + 1 - received))) >= 0) {
                        watchdog.check();
                        if (received + n > file.maxBytes()) {
                            throw new DownloadException("the server sent more than the " + file.maxBytes()
                                    + " bytes expected at most; the download was cut off there");
                        }
                        sha.update(buf, 0, n);
                        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                        while (bb.hasRemaining()) {
                            out.write(bb);
                        }
                        received += n;
                        progress.update(received);
                    }
                } catch (DownloadException e) {
                    throw e;
                } catch (SocketTimeoutException e) {
                    throw new DownloadException("connection to " + file.url() + " stalled for " + readTimeout.toSeconds()
                            + " s after " + received + " bytes" + (announced >= 0 ? " of " + announced : ""), e);
                } catch (IOException e) {
                    throw new DownloadException("connection to " + file.url() + " failed after " + received + " bytes"
                            + (announced >= 0 ? " of " + announced : "") + ": " + e, e);
                }
                if (announced >= 0 && received != announced) {
                    throw new DownloadException("connection to " + file.url() + " ended after " + received + " of the "
                            + announced + " bytes announced");
                }
                out.force(true);
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(file.sha256())) {
                throw new DownloadException("checksum mismatch for " + file.url() + ": expected SHA-256 " + file.sha256()
                        + ", got " + actual + " (" + received + " bytes); the file was discarded, nothing was written to "
                        + pathOf(file));
            }
        } finally {
            conn.disconnect();
        }
    }

    /** Connects, following up to 5 redirects (also http to https, never https to http); status 200 or an exception. */
    private HttpURLConnection open(URI url, Watchdog watchdog) throws IOException {
        URI current = url;
        for (int hop = 0; hop <= 5; hop++) {
            watchdog.check();
            HttpURLConnection conn;
            int status;
            try {
                conn = (HttpURLConnection) current.toURL().openConnection();
                watchdog.watch(conn);
                conn.setInstanceFollowRedirects(false);
                conn.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
                conn.setReadTimeout((int) readTimeout.toMillis());
                conn.setRequestProperty("User-Agent", "softgrad-datasets");
                status = conn.getResponseCode();
            } catch (ConnectException | UnknownHostException | NoRouteToHostException e) {
                throw new DownloadException("cannot reach " + current + " (" + e + "): no network?", e);
            } catch (SocketTimeoutException e) {
                throw new DownloadException("no answer from " + current + " within the timeout (" + e.getMessage() + ")", e);
            } catch (IOException e) {
                throw new DownloadException("request to " + current + " failed: " + e, e);
            }
            if (status == 200) {
                return conn;
            }
            String location = conn.getHeaderField("Location");
            conn.disconnect();
            if (status >= 300 && status < 400 && location != null) {
                URI next;
                try {
                    next = current.resolve(new URI(location));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new DownloadException("malformed redirect from " + current
                            + " to Location '" + location + "': " + e.getMessage(), e);
                }
                if ("http".equalsIgnoreCase(next.getScheme()) && "https".equalsIgnoreCase(current.getScheme())
                        || !"http".equalsIgnoreCase(next.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                    throw new DownloadException("refusing redirect from " + current + " to " + next);
                }
                current = next;
                continue;
            }
            throw new DownloadException((current.equals(url) ? "" : current + ": ") + "HTTP status " + status + ", expected 200");
        }
        throw new DownloadException("more than 5 redirects");
    }

    /** SHA-256 of a file as 64 lower-case hex digits. */
    public static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256Digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** Makes the rename durable; some platforms cannot open a directory, and then there is nothing to do. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open directories; the move itself is still atomic.
        }
    }

    @Override
    public String toString() {
        return "DataCache[" + folder + (downloads ? "" : ", offline") + "]";
    }
}
