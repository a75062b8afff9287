package dev.softgrad.examples.playground;

import dev.softgrad.examples.Example;
import dev.softgrad.examples.Examples;
import dev.softgrad.examples.Notebook;
import dev.softgrad.examples.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Page 4 of the playground: the index of the notebooks ({@link Examples#ALL}) with the reports they
 * have written under the output folder, and a run of one notebook inside the server's process. The
 * run goes through {@link Example#run}, which never calls {@code System.exit} (a claim that fails
 * throws {@link Notebook.ClaimFailedException}, shown on the page); its console output is captured.
 * One notebook runs at a time.
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

    /** Every notebook: name, summary, and the files of its last report (HTML pages first). */
    public List<Map<String, Object>> index() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Example e : Examples.ALL) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.name());
            m.put("summary", e.summary());
            m.put("files", files(e.name()));
            list.add(m);
        }
        return list;
    }

    /**
     * {@code {name, quick}}: runs the notebook with seed 42 into the output folder and returns its
     * console output, its claims, whether they all held, and the files of its report.
     */
    public Map<String, Object> run(Params q) {
        List<String> names = Examples.ALL.stream().map(Example::name).toList();
        String name = q.choice("name", null, names);
        if (name == null) {
            throw new BadRequest("name must be one of " + names + ", got nothing");
        }
        boolean quick = q.flag("quick", true);
        Example example = Examples.byName(name).orElseThrow();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        synchronized (runLock) {
            long t0 = System.nanoTime();
            try (PrintStream console = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
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
        m.put("files", files(name));
        return m;
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

    /**
     * The file under the output folder named by a {@code /reports/NAME/FILE} path, or null when it is
     * not a served file of a notebook's folder (other names, other extensions, "..", sub-folders).
     */
    Path report(String name, String file) {
        if (Examples.byName(name).isEmpty() || file.contains("/") || file.contains("\\") || file.startsWith(".") || !served(file)) {
            return null;
        }
        Path p = out.resolve(name).resolve(file).normalize();
        return p.startsWith(out.resolve(name)) && Files.isRegularFile(p) ? p : null;
    }

    private static boolean served(String file) {
        return SERVED.stream().anyMatch(file::endsWith);
    }
}
