package dev.softgrad.examples.playground;

import dev.softgrad.examples.Example;
import dev.softgrad.examples.Examples;
import dev.softgrad.examples.Notebook;
import dev.softgrad.examples.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Page 4 of the playground: the index of the notebooks ({@link Examples#ALL}) with the reports they
 * have written under the output folder, and a run of one notebook inside the server's process. The
 * run goes through {@link Example#run}, which never calls {@code System.exit} (a claim that fails
 * throws {@link Notebook.ClaimFailedException}, shown on the page); its console output is captured,
 * and handed on line by line as it is printed. One notebook runs at a time.
 *
 * <p>Every run writes {@code NAME/report.html} (with {@code report.md} and its figures) and rewrites
 * the output folder's {@code index.html}; the server hands them out under {@code /reports/}
 * ({@link #report}: only files directly in a folder of the output folder, of the {@link #SERVED} kinds,
 * never through a link out of it).
 */
public final class NotebookLab {
    /** The files of a report folder the server hands out. */
    static final List<String> SERVED = List.of(".html", ".md", ".png", ".json", ".jsonl", ".css", ".js", ".svg");

    private final Path out;
    private final Object runLock = new Object();

    /** A lab whose notebooks write under {@code out} (the launcher's {@code softgrad-out}). */
    public NotebookLab(Path out) {
        this.out = out.toAbsolutePath().normalize();
    }

    /** The output folder. */
    public Path out() {
        return out;
    }

    /**
     * {@code {index, notebooks}}: the output folder's index page ({@code /reports/index.html}, or null
     * before the first run), and every notebook with its summary, its report page ({@code report}, null
     * when it has not run yet) and the files of its last report (HTML pages first).
     */
    public Map<String, Object> index() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Example e : Examples.ALL) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.name());
            m.put("summary", e.summary());
            m.put("report", reportPage(e.name()));
            m.put("files", files(e.name()));
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", Files.isRegularFile(this.out.resolve("index.html")) ? "/reports/index.html" : null);
        out.put("notebooks", list);
        return out;
    }

    /** The name of the notebook a request asks for (refused unless it is one of {@link Examples#ALL}). */
    static String name(Params q) {
        List<String> names = Examples.ALL.stream().map(Example::name).toList();
        String name = q.choice("name", null, names);
        if (name == null) {
            throw new BadRequest("name must be one of " + names + ", got nothing");
        }
        return name;
    }

    /** {@link #run(Params, Consumer)}, its output returned whole. */
    public Map<String, Object> run(Params q) {
        return run(q, line -> { });
    }

    /**
     * {@code {name, quick}}: runs the notebook with seed 42 into the output folder, handing each line
     * it prints to {@code lines} as it is printed, and returns its console output, its claims, whether
     * they all held, its report page and the files of its report. An exception thrown by {@code lines}
     * (the page went away) stops the notebook.
     */
    public Map<String, Object> run(Params q, Consumer<String> lines) {
        String name = name(q);
        boolean quick = q.flag("quick", true);
        Example example = Examples.byName(name).orElseThrow();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        synchronized (runLock) {
            long t0 = System.nanoTime();
            try (PrintStream console = new PrintStream(new Lines(buffer, lines), true, StandardCharsets.UTF_8)) {
                try {
                    Notebook.Result r = example.run(new Settings(out, quick, 42, Map.of(), console));
                    m.put("ok", true);
                    m.put("claims", r.claims());
                } catch (Notebook.ClaimFailedException e) {
                    m.put("ok", false);
                    m.put("error", e.getMessage());
                }
            }
            m.put("seconds", (System.nanoTime() - t0) / 1e9);
        }
        m.put("output", buffer.toString(StandardCharsets.UTF_8));
        m.put("report", reportPage(name));
        m.put("files", files(name));
        return m;
    }

    /** A console that keeps every byte and hands on each finished line (UTF-8, without its newline). */
    private static final class Lines extends OutputStream {
        private final ByteArrayOutputStream all;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final Consumer<String> lines;

        Lines(ByteArrayOutputStream all, Consumer<String> lines) {
            this.all = all;
            this.lines = lines;
        }

        @Override
        public void write(int b) {
            all.write(b);
            if (b == '\n') {
                lines.accept(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public void close() {
            if (line.size() > 0) {
                lines.accept(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
        }
    }

    /** The notebook's report page under {@code /reports/}, or null before its first run. */
    private String reportPage(String name) {
        return Files.isRegularFile(out.resolve(name).resolve("report.html")) ? "/reports/" + name + "/report.html" : null;
    }

    /** The served files of a notebook's report folder, as paths under {@code /reports/}, HTML first. */
    List<String> files(String name) {
        Path folder = out.resolve(name);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).filter(NotebookLab::served)
                    .sorted((a, b) -> a.endsWith(".html") == b.endsWith(".html") ? a.compareTo(b) : a.endsWith(".html") ? -1 : 1)
                    .map(f -> "/reports/" + name + "/" + f).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A folder or file name the server hands out: no separators, no leading dot, nothing but these characters. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /**
     * The file named by a {@code /reports/...} path: {@code index.html} (the output folder's index) or
     * {@code FOLDER/FILE}, a served file directly in a folder of the output folder (a notebook's, or
     * a graded check's the index links). Null for anything else: other extensions, "..", sub-folders,
     * encoded separators, hidden files, and files whose real path (links followed) is outside the
     * output folder.
     */
    Path report(String rest) {
        String[] parts = rest.split("/", -1);
        Path p;
        if (parts.length == 1 && parts[0].equals("index.html")) {
            p = out.resolve("index.html");
        } else if (parts.length == 2 && SAFE_NAME.matcher(parts[0]).matches() && SAFE_NAME.matcher(parts[1]).matches()
                && !parts[0].contains("..") && !parts[1].contains("..") && served(parts[1])) {
            p = out.resolve(parts[0]).resolve(parts[1]);
        } else {
            return null;
        }
        try {
            return Files.isRegularFile(p) && p.toRealPath().startsWith(out.toRealPath()) ? p : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean served(String file) {
        return SERVED.stream().anyMatch(file::endsWith);
    }
}
