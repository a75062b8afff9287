package dev.softgrad.examples.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code Playground}'s main in its own JVM, as the launcher starts it: it prints its URL on 127.0.0.1,
 * serves, honours {@code --port}, and a termination signal stops it and frees the port (Ctrl-C sends
 * SIGINT, which a JVM started with it ignored would not see: SIGTERM is what a test can send reliably).
 */
class PlaygroundMainTest {
    static final Pattern URL = Pattern.compile("softgrad playground: http://127\\.0\\.0\\.1:(\\d+)/ .*");

    static Process start(String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Playground.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    static boolean serves(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void printsItsUrlServesOnTheChosenPortAndStopsOnASignal() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Process p = start("--port", String.valueOf(port));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher m = URL.matcher(String.valueOf(line));
            assertTrue(m.matches(), "first line: " + line);
            assertEquals(port, Integer.parseInt(m.group(1)), "--port is honoured");
            assertTrue(serves(port), "it serves on 127.0.0.1:" + port);
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "it stops");
            assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                    "the port is free again");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aBadPortIsRefusedWithTheUsage() throws Exception {
        Process p = start("--port", "seventy");
        String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), all);
        assertTrue(all.contains("--port") && all.contains("seventy"), all);
    }
}
