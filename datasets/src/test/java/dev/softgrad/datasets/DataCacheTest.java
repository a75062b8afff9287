package dev.softgrad.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Downloads against a JDK HTTP server on the loopback interface, started and stopped by each test. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DataCacheTest {
    private static final byte[] PAYLOAD = new byte[300_000];

    static {
        for (int i = 0; i < PAYLOAD.length; i++) {
            PAYLOAD[i] = (byte) (i * 31 + (i >> 8));
        }
    }

    @TempDir
    Path tmp;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/good", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, PAYLOAD.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(PAYLOAD);
            }
        });
        server.createContext("/corrupt", ex -> {
            requests.incrementAndGet();
            byte[] body = PAYLOAD.clone();
            body[12345] ^= 1;
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/drop", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, PAYLOAD.length);
            OutputStream out = ex.getResponseBody();
            out.write(PAYLOAD, 0, 1000);
            out.flush();
            // A handler that fails makes the JDK server close the connection mid-body.
            throw new IOException("simulated connection drop");
        });
        server.createContext("/stall", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, PAYLOAD.length);
            OutputStream out = ex.getResponseBody();
            out.write(PAYLOAD, 0, 1000);
            out.flush();
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("simulated stall");
        });
        server.createContext("/redirect", ex -> {
            requests.incrementAndGet();
            ex.getResponseHeaders().add("Location", "/good");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/drip", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, PAYLOAD.length);
            OutputStream out = ex.getResponseBody();
            try {
                for (int i = 0; i < PAYLOAD.length; i++) { // one byte every 50 ms: never a stall, never done
                    out.write(PAYLOAD[i]);
                    out.flush();
                    Thread.sleep(50);
                }
            } catch (InterruptedException | IOException e) {
                // the client hung up: done
            }
            ex.close();
        });
        server.createContext("/huge-announced", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, 400L << 20);
            ex.close();
        });
        server.createContext("/huge-chunked", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, 0); // chunked: no length announced
            byte[] block = new byte[1 << 16];
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 100; i++) { // 6.4 MB, far past the cap
                    out.write(block);
                }
            } catch (IOException e) {
                // the client hung up at the cap
            }
        });
        server.createContext("/bad-location", ex -> {
            requests.incrementAndGet();
            ex.getResponseHeaders().add("Location", "http://[not a host/x y");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/missing", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private List<Path> filesIn(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void goodFileIsVerifiedAndMovedIntoPlaceWithNothingElseLeft() throws Exception {
        RemoteFile f = RemoteFile.of("sub/data.bin", url("/good"), sha256(PAYLOAD));
        DataCache cache = DataCache.at(tmp.resolve("cache")).quiet();
        Path p = cache.download(f);
        assertEquals(tmp.resolve("cache/sub/data.bin"), p);
        assertArrayEquals(PAYLOAD, Files.readAllBytes(p));
        assertEquals(List.of(p), filesIn(tmp.resolve("cache")));
        // require() uses the file now present instead of downloading again.
        assertEquals(List.of(p), cache.require("demo", List.of(f)));
        assertEquals(1, requests.get());
        assertEquals(sha256(PAYLOAD), DataCache.sha256(p));
    }

    @Test
    void checksumMismatchLeavesNoFileInTheCache() throws Exception {
        RemoteFile f = RemoteFile.of("data.bin", url("/corrupt"), sha256(PAYLOAD));
        DataCache cache = DataCache.at(tmp).quiet();
        DownloadException e = assertThrows(DownloadException.class, () -> cache.download(f));
        assertTrue(e.getMessage().contains("checksum mismatch for " + url("/corrupt") + ": expected SHA-256 " + sha256(PAYLOAD)),
                e.getMessage());
        assertEquals(List.of(), filesIn(tmp));
    }

    @Test
    void droppedConnectionLeavesNoFileInTheCache() throws Exception {
        RemoteFile f = RemoteFile.of("data.bin", url("/drop"), sha256(PAYLOAD));
        DataCache cache = DataCache.at(tmp).quiet().withReadTimeout(Duration.ofSeconds(5));
        DownloadException e = assertThrows(DownloadException.class, () -> cache.download(f));
        assertTrue(e.getMessage().contains(url("/drop")), e.getMessage());
        assertTrue(e.getMessage().contains("failed after 1000 bytes of " + PAYLOAD.length)
                || e.getMessage().contains("ended after 1000 of the " + PAYLOAD.length + " bytes announced"), e.getMessage());
        assertEquals(List.of(), filesIn(tmp));
    }

    @Test
    void stalledConnectionTimesOutAndLeavesNoFile() throws Exception {
        RemoteFile f = RemoteFile.of("data.bin", url("/stall"), sha256(PAYLOAD));
        DataCache cache = DataCache.at(tmp).quiet().withReadTimeout(Duration.ofMillis(500));
        DownloadException e = assertThrows(DownloadException.class, () -> cache.download(f));
        assertTrue(e.getMessage().contains("stalled") && e.getMessage().contains("after 1000 bytes"), e.getMessage());
        assertEquals(List.of(), filesIn(tmp));
    }

    @Test
    void redirectsAreFollowed() throws Exception {
        RemoteFile f = RemoteFile.of("r.bin", url("/redirect"), sha256(PAYLOAD));
        Path p = DataCache.at(tmp).quiet().download(f);
        assertArrayEquals(PAYLOAD, Files.readAllBytes(p));
        assertEquals(2, requests.get());
    }

    @Test
    void httpErrorAndUnreachableServerAreReportedWithTheFix() throws Exception {
        RemoteFile missing = RemoteFile.of("a.bin", url("/missing"), sha256(PAYLOAD));
        DownloadException e = assertThrows(DownloadException.class,
                () -> DataCache.at(tmp).quiet().require("demo", List.of(missing)));
        assertTrue(e.getMessage().contains("HTTP status 404"), e.getMessage());
        assertTrue(e.getMessage().contains("[missing] " + tmp.resolve("a.bin") + "  <-  " + url("/missing")), e.getMessage());
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        RemoteFile unreachable = RemoteFile.of("b.bin", "http://127.0.0.1:" + closedPort + "/x", sha256(PAYLOAD));
        e = assertThrows(DownloadException.class, () -> DataCache.at(tmp).quiet().download(unreachable));
        assertTrue(e.getMessage().contains("cannot reach"), e.getMessage());
        assertEquals(List.of(), filesIn(tmp));
    }

    @Test
    void offlineCacheSaysWhichFilesToPutWhere() throws IOException {
        Path empty = tmp.resolve("empty");
        DownloadException e = assertThrows(DownloadException.class,
                () -> Datasets.mnistTest(DataCache.at(empty).offline()));
        String m = e.getMessage();
        assertTrue(m.startsWith("mnist-test: missing files and downloads are off."), m);
        assertTrue(m.contains("[missing] " + empty.resolve("mnist/t10k-images-idx3-ubyte.gz") + "  <-  "
                + Datasets.MNIST_BASE_URL + "t10k-images-idx3-ubyte.gz"), m);
        assertTrue(m.contains(empty.resolve("mnist/t10k-labels-idx1-ubyte.gz").toString()), m);
        assertTrue(m.contains(DataCache.ENV_VAR), m);
        assertFalse(Files.exists(empty), "an offline lookup must not create the folder");
        assertEquals(0, requests.get());
    }

    @Test
    void remoteFileRejectsUnsafePathsAndBadChecksums() {
        String sha = "a".repeat(64);
        DatasetTest.assertMessage(() -> RemoteFile.of("../x", "http://h/x", sha), "'..'");
        DatasetTest.assertMessage(() -> RemoteFile.of("/etc/x", "http://h/x", sha), "relative");
        DatasetTest.assertMessage(() -> RemoteFile.of("x", "ftp://h/x", sha), "http or https");
        DatasetTest.assertMessage(() -> RemoteFile.of("x", "http://h/x", "abc"), "64 hex digits");
        assertEquals(sha, RemoteFile.of("x", "http://h/x", sha.toUpperCase()).sha256());
    }

    @Test
    void defaultFolderIsUnderTheHomeUnlessTheVariableIsSet() {
        Path expected = System.getenv(DataCache.ENV_VAR) != null && !System.getenv(DataCache.ENV_VAR).isBlank()
                ? Path.of(System.getenv(DataCache.ENV_VAR))
                : Path.of(System.getProperty("user.home"), ".softgrad", "datasets");
        assertEquals(expected, DataCache.defaultFolder());
        assertEquals(tmp, DataCache.at(tmp).folder());
    }

    @Test
    void plainProgressLinesReportEveryTenPercent() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (DownloadProgress p = new DownloadProgress.Lines("download x", 1000, out)) {
            for (int b = 0; b <= 1000; b += 50) {
                p.update(b);
            }
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("download x: starting (0.0 MB)", lines[0]);
        assertEquals("download x: 10 % (0.0 MB of 0.0 MB)", lines[1]);
        assertEquals(11, lines.length, String.join("|", lines)); // start, 10..90 %, done
        assertTrue(lines[10].startsWith("download x: done"), lines[10]);
        assertFalse(buf.toString(StandardCharsets.UTF_8).contains("\r"));
    }

    /** A failed download: a DownloadException naming the address and the target, and no file left. */
    private DownloadException assertFailsCleanly(DataCache cache, RemoteFile f, String fragment) throws IOException {
        DownloadException e = assertThrows(DownloadException.class, () -> cache.download(f));
        assertTrue(e.getMessage().contains(f.url().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(cache.pathOf(f).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        assertEquals(List.of(), filesIn(cache.folder()));
        return e;
    }

    @Test
    void aDripFeedEndsAtTheDeadline() throws Exception {
        RemoteFile f = RemoteFile.of("drip.bin", url("/drip"), sha256(PAYLOAD));
        DataCache cache = DataCache.at(tmp).quiet().withReadTimeout(Duration.ofSeconds(5)).withDeadline(Duration.ofMillis(800));
        long start = System.nanoTime();
        assertFailsCleanly(cache, f, "deadline of 800 ms");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 4, "the deadline should end the download well before the 5 s stall timeout, took " + seconds);
        assertThrows(IllegalArgumentException.class, () -> cache.withDeadline(Duration.ZERO));
    }

    @Test
    void moreBytesThanTheCapAreRefusedAnnouncedOrNot() throws Exception {
        DataCache cache = DataCache.at(tmp).quiet();
        assertFailsCleanly(cache, RemoteFile.of("a.bin", url("/huge-announced"), sha256(PAYLOAD), 15_000),
                "announces 419430400 bytes, more than the 15000 expected");
        assertFailsCleanly(cache, RemoteFile.of("b.bin", url("/huge-chunked"), sha256(PAYLOAD), 100_000),
                "sent more than the 100000 bytes expected");
        assertFailsCleanly(cache, RemoteFile.of("c.bin", url("/good"), sha256(PAYLOAD), PAYLOAD.length - 1),
                "more than the " + (PAYLOAD.length - 1));
        assertArrayEquals(PAYLOAD, Files.readAllBytes(cache.download(RemoteFile.of("d.bin", url("/good"), sha256(PAYLOAD),
                PAYLOAD.length))));
        assertEquals(RemoteFile.DEFAULT_MAX_BYTES, RemoteFile.of("x", url("/good"), sha256(PAYLOAD)).maxBytes());
        assertThrows(IllegalArgumentException.class, () -> RemoteFile.of("x", url("/good"), sha256(PAYLOAD), 0));
    }

    @Test
    void aMalformedRedirectIsADownloadException() throws Exception {
        assertFailsCleanly(DataCache.at(tmp).quiet(), RemoteFile.of("r.bin", url("/bad-location"), sha256(PAYLOAD)),
                "malformed redirect");
    }

    @Test
    void aTargetThatIsADirectoryIsADownloadException() throws Exception {
        RemoteFile f = RemoteFile.of("sub/data.bin", url("/good"), sha256(PAYLOAD));
        DataCache cache = DataCache.at(tmp).quiet();
        Files.createDirectories(cache.pathOf(f).resolve("inside"));
        assertFailsCleanly(cache, f, "is a directory");
        assertTrue(Files.isDirectory(cache.pathOf(f).resolve("inside")), "the directory must be left alone");
        // A parent that is a file: the folder cannot be created.
        RemoteFile g = RemoteFile.of("plain/data.bin", url("/good"), sha256(PAYLOAD));
        Files.writeString(tmp.resolve("plain"), "a file, not a folder");
        DownloadException e = assertThrows(DownloadException.class, () -> cache.download(g));
        assertTrue(e.getMessage().contains(cache.pathOf(g).toString()) && e.getMessage().contains(url("/good")), e.getMessage());
        assertEquals(List.of(tmp.resolve("plain")), filesIn(tmp));
    }

    @Test
    void aFailedDownloadRemovesTheFoldersItCreated() throws Exception {
        Path cacheDir = tmp.resolve("cache");
        DataCache cache = DataCache.at(cacheDir).quiet();
        RemoteFile f = RemoteFile.of("deep/er/x.bin", url("/missing"), sha256(PAYLOAD));
        assertThrows(DownloadException.class, () -> cache.download(f));
        assertFalse(Files.exists(cacheDir), "the cache folder did not exist before and must not be left behind");
        // A folder that held something before is kept.
        Files.createDirectories(cacheDir.resolve("deep"));
        Files.writeString(cacheDir.resolve("deep/keep.txt"), "mine");
        assertThrows(DownloadException.class, () -> cache.download(f));
        assertFalse(Files.exists(cacheDir.resolve("deep/er")));
        assertEquals(List.of(cacheDir.resolve("deep/keep.txt")), filesIn(cacheDir));
    }

    @Test
    void aServerDrippingItsHeadersEndsAtTheDeadline() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread dripper = new Thread(() -> {
                try (java.net.Socket s = socket.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("HTTP/1.1 200 OK\r\nX-Drip: ".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 400; i++) { // 20 s of one header byte every 50 ms
                        out.write('a');
                        out.flush();
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client hung up
                }
            });
            dripper.setDaemon(true);
            dripper.start();
            RemoteFile f = RemoteFile.of("h.bin", "http://127.0.0.1:" + socket.getLocalPort() + "/x", sha256(PAYLOAD));
            DataCache cache = DataCache.at(tmp).quiet().withReadTimeout(Duration.ofSeconds(5)).withDeadline(Duration.ofMillis(800));
            long start = System.nanoTime();
            assertFailsCleanly(cache, f, "deadline of 800 ms");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 4, "the deadline should cut the header phase too, took " + seconds + " s");
        }
    }
}
