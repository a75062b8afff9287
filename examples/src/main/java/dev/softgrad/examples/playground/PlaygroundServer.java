package dev.softgrad.examples.playground;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The playground's web server: static pages from the classpath, uPlot from its webjar, and the JSON
 * API of {@link SoftmaxLab}, {@link TrainingLab} and {@link NotebookLab}.
 *
 * <p>It is the JDK's own {@link HttpServer} ({@code jdk.httpserver}): a server for one local user
 * needs routing of a dozen paths, static files, JSON and one streaming response, which this does in
 * a page of code with no dependency to pin, audit or keep in step with the JDK (Javalin would bring
 * Jetty and Kotlin's standard library with it). It binds to the loopback address 127.0.0.1 only, so nothing outside this
 * machine can reach it, and reads request bodies up to {@link #MAX_BODY} bytes.
 *
 * <p>Errors: a refused request ({@link BadRequest}) or an argument the library rejects
 * ({@link IllegalArgumentException}, its own message) or malformed JSON gives HTTP 400 with
 * {@code {"error": message}}; anything else 500 with the message.
 *
 * <pre>{@code
 * try (PlaygroundServer s = PlaygroundServer.start(0, Path.of("softgrad-out"), Path.of("../shared/datasets"))) {
 *     System.out.println(s.url());
 * }
 * }</pre>
 */
public final class PlaygroundServer implements AutoCloseable {
    /** Largest request body read, in bytes. */
    public static final int MAX_BODY = 64 * 1024;
    private static final String STATIC = "/dev/softgrad/examples/playground/static/";
    private static final Map<String, String> TYPES = Map.of(".html", "text/html; charset=utf-8", ".js",
            "text/javascript; charset=utf-8", ".css", "text/css; charset=utf-8", ".png", "image/png", ".json",
            "application/json", ".md", "text/markdown; charset=utf-8", ".svg", "image/svg+xml", ".jsonl",
            "application/x-ndjson");

    /** The JSON mapper of the API (NaN and Infinity are read, for the library to judge, and written as strings). */
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private final HttpServer server;
    private final ExecutorService pool;
    private final TrainingLab training;
    private final NotebookLab notebooks;
    private final String uplotRoot;

    private PlaygroundServer(HttpServer server, ExecutorService pool, Path out, Path data) {
        this.server = server;
        this.pool = pool;
        this.training = new TrainingLab(data);
        this.notebooks = new NotebookLab(out);
        this.uplotRoot = "/META-INF/resources/webjars/uplot/" + webjarVersion("uplot") + "/dist/";
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param port a port, or 0 for a free one
     * @param out  where notebooks write their reports
     * @param data where Iris and digits are read from when present
     */
    public static PlaygroundServer start(int port, Path out, Path data) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535] (0: a free port), got " + port);
        }
        // each server-sent event is a small write flushed at once: without TCP_NODELAY, Nagle's algorithm
        // would hold it back until the previous one is acknowledged
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 16);
        return new PlaygroundServer(s, Executors.newFixedThreadPool(6, r -> {
            Thread t = new Thread(r, "playground");
            t.setDaemon(true);
            return t;
        }), out, data);
    }

    /** The training lab (tests). */
    TrainingLab training() {
        return training;
    }

    /** The bound address (127.0.0.1 and the port). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The start page's URL. */
    public String url() {
        return "http://127.0.0.1:" + address().getPort() + "/";
    }

    /** Stops accepting, waits up to a second for running exchanges, and stops the threads. */
    @Override
    public void close() {
        server.stop(1);
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            try {
                if (path.startsWith("/api/")) {
                    api(ex, method, path.substring(5));
                } else if (!method.equals("GET") && !method.equals("HEAD")) {
                    error(ex, 405, "only GET here, got " + method);
                } else if (path.startsWith("/reports/")) {
                    report(ex, path.substring("/reports/".length()));
                } else if (path.startsWith("/uplot/")) {
                    resource(ex, uplotRoot, path.substring("/uplot/".length()));
                } else {
                    resource(ex, STATIC, path.equals("/") ? "index.html" : path.substring(1));
                }
            } catch (JsonProcessingException e) {
                error(ex, 400, "malformed JSON: " + e.getOriginalMessage());
            } catch (IllegalArgumentException e) {
                error(ex, 400, e.getMessage());
            } catch (IOException e) {
                throw e;
            } catch (RuntimeException e) {
                error(ex, 500, e.toString());
            }
        }
    }

    private void api(HttpExchange ex, String method, String name) throws IOException {
        switch (name) {
            case "softmax" -> json(ex, SoftmaxLab.softmax(body(ex, method)));
            case "losses" -> json(ex, SoftmaxLab.losses(body(ex, method)));
            case "calibrate" -> json(ex, training.calibrate(body(ex, method)));
            case "notebooks" -> json(ex, notebooks.index());
            case "notebooks/run" -> {
                if (method.equals("GET")) {
                    runNotebook(ex);
                } else {
                    json(ex, notebooks.run(body(ex, method)));
                }
            }
            case "train" -> train(ex);
            case "train/stop" -> json(ex, training.stop(body(ex, method)));
            case "train/ack" -> json(ex, training.ack(body(ex, method)));
            default -> error(ex, 404, "no API '" + name + "'; there are softmax, losses, train, train/stop, train/ack, calibrate, notebooks, notebooks/run");
        }
    }

    /** A POST's JSON body, at most {@link #MAX_BODY} bytes. */
    private static Params body(HttpExchange ex, String method) throws IOException {
        if (!method.equals("POST")) {
            throw new BadRequest("this API takes a POST with a JSON body, got " + method);
        }
        byte[] b;
        try (InputStream in = ex.getRequestBody()) {
            b = in.readNBytes(MAX_BODY + 1);
        }
        if (b.length > MAX_BODY) {
            throw new BadRequest("the request body must be at most " + MAX_BODY + " bytes, got more");
        }
        JsonNode node = JSON.readTree(b);
        return new Params(node);
    }

    /**
     * {@code GET /api/train?...}: server-sent events, one per training event. The settings are read
     * and checked before the response starts, so a bad one still gets a plain 400.
     */
    private void train(HttpExchange ex) throws IOException {
        Params q = Params.of(query(ex.getRequestURI()));
        TrainingLab.Spec.of(q); // a refusal here is a plain 400
        events(ex, events -> training.train(q, events));
    }

    /**
     * {@code GET /api/notebooks/run?name=...&quick=true}: the notebook's console output as {@code line}
     * events while it runs, then {@code end} with its claims and report (as the POST answers, without
     * the output again). An unknown name is a plain 400.
     */
    private void runNotebook(HttpExchange ex) throws IOException {
        Params q = Params.of(query(ex.getRequestURI()));
        NotebookLab.name(q);
        events(ex, events -> {
            Map<String, Object> r = notebooks.run(q, line -> {
                try {
                    events.send("line", Map.of("text", line));
                } catch (IOException e) {
                    throw new UncheckedIOException("the page stopped listening", e);
                }
            });
            r.remove("output");
            events.send("end", r);
        });
    }

    /** What produces a stream of server-sent events. */
    private interface EventProducer {
        void run(TrainingLab.Events events) throws IOException;
    }

    /**
     * Answers with server-sent events ({@code event: NAME}, {@code data: JSON}), each flushed at once.
     * The headers go out with the first event, so a refusal before it is still a plain 400; a failure
     * after it ends the stream with an {@code error} event carrying its message.
     */
    private static void events(HttpExchange ex, EventProducer producer) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean[] started = {false};
        OutputStream[] body = {null};
        TrainingLab.Events events = (event, data) -> {
            if (!started[0]) {
                ex.sendResponseHeaders(200, 0);
                body[0] = ex.getResponseBody();
                started[0] = true;
            }
            byte[] b = ("event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8);
            body[0].write(b);
            body[0].flush();
        };
        try {
            producer.run(events);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            if (!started[0]) {
                throw e;
            }
            events.send("error", Map.of("message", String.valueOf(e.getMessage())));
        }
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> m = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        if (raw.length() > 4096) {
            throw new BadRequest("the query must be at most 4096 characters, got " + raw.length());
        }
        for (String kv : raw.split("&")) {
            int i = kv.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
            String v = i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    /**
     * A file of the notebooks' output folder ({@link NotebookLab#report}). The reports are plain pages
     * (MathML, inline CSS, figures as data URIs, no script): the Content-Security-Policy lets them
     * have nothing more, and only this server may frame them.
     */
    private void report(HttpExchange ex, String rest) throws IOException {
        Path p = notebooks.report(rest);
        if (p == null) {
            error(ex, 404, "no report file /reports/" + rest);
            return;
        }
        ex.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        send(ex, 200, type(p.getFileName().toString()), Files.readAllBytes(p));
    }

    private static void resource(HttpExchange ex, String root, String name) throws IOException {
        if (name.contains("..") || name.contains("//")) {
            error(ex, 404, "no page /" + name);
            return;
        }
        try (InputStream in = PlaygroundServer.class.getResourceAsStream(root + name)) {
            if (in == null) {
                error(ex, 404, "no page /" + name);
                return;
            }
            send(ex, 200, type(name), in.readAllBytes());
        }
    }

    private static String type(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "application/octet-stream" : TYPES.getOrDefault(name.substring(dot), "application/octet-stream");
    }

    private static void json(HttpExchange ex, Object value) throws IOException {
        send(ex, 200, "application/json", JSON.writeValueAsBytes(value));
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(Map.of("error", String.valueOf(message))));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        }
    }

    /** The version of a webjar on the classpath (from its Maven properties), so no path hard-codes it. */
    static String webjarVersion(String artifact) {
        String res = "/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = PlaygroundServer.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalStateException("the webjar org.webjars.npm:" + artifact + " is not on the classpath (" + res + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + res, e);
        }
    }
}
