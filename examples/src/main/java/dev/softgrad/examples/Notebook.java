package dev.softgrad.examples;

import dev.softgrad.nn.io.AtomicFiles;
import dev.softgrad.nn.plot.Plots;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * What an example writes as it runs: steps printed to the console and collected into a Markdown
 * report ({@code report.md}) beside its figures (PNG) in the example's output folder, and claims
 * that are checked on the spot. A claim that does not hold is printed and recorded, and
 * {@link #finish()} then fails the run with {@link ClaimFailedException}, after writing the report.
 *
 * <pre>{@code
 * Notebook nb = Notebook.open("temperature", "Temperature", settings);
 * nb.section("The entropy rises with tau");
 * nb.claim("entropy tends to ln K", Math.abs(h - Math.log(k)) < 1e-3, "H = " + h);
 * nb.figure("entropy.png", chart);
 * nb.finish();
 * }</pre>
 */
public final class Notebook {

    /**
     * A checked statement.
     *
     * @param statement what is claimed
     * @param holds     whether it held
     * @param evidence  the numbers that decided it
     */
    public record Claim(String statement, boolean holds, String evidence) {
    }

    /**
     * What a finished run produced.
     *
     * @param folder  the output folder
     * @param report  the Markdown report
     * @param figures the PNG files written
     * @param claims  every claim checked, in order
     */
    public record Result(Path folder, Path report, List<Path> figures, List<Claim> claims) {
        /** The claim whose statement starts with the given text. */
        public Claim claim(String prefix) {
            return claims.stream().filter(c -> c.statement().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no claim starting with '" + prefix + "' in " + claims));
        }
    }

    /** Thrown by {@link #finish()} when a claim did not hold. */
    public static final class ClaimFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClaimFailedException(String message) {
            super(message);
        }
    }

    private final String name;
    private final Path folder;
    private final PrintStream out;
    private final StringBuilder md = new StringBuilder();
    private final List<Claim> claims = new ArrayList<>();
    private final List<Path> figures = new ArrayList<>();

    private Notebook(String name, String title, Path folder, PrintStream out) {
        this.name = name;
        this.folder = folder;
        this.out = out;
        md.append("# ").append(title).append("\n\n");
        out.println("== " + title + " ==");
    }

    /** Opens a notebook writing into {@code settings.out()/name}. */
    public static Notebook open(String name, String title, Settings settings) {
        Path folder = settings.out().resolve(name);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output folder " + folder, e);
        }
        return new Notebook(name, title, folder, settings.console());
    }

    /** The output folder. */
    public Path folder() {
        return folder;
    }

    /** A new step with a heading. */
    public void section(String title) {
        out.println();
        out.println("-- " + title);
        md.append("## ").append(title).append("\n\n");
    }

    /** A paragraph (printf-style, Locale.ROOT). */
    public void text(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        out.println(s);
        md.append(s).append("\n\n");
    }

    /** A table, printed and added to the report. */
    public void table(List<String> header, List<List<String>> rows) {
        StringBuilder t = new StringBuilder();
        t.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            t.append("---|");
        }
        t.append('\n');
        for (List<String> r : rows) {
            t.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        out.print(t);
        md.append(t).append('\n');
    }

    /** Formats a number for tables: 4 significant digits, or scientific when tiny or huge. */
    public static String num(double v) {
        if (v == 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6)) {
            return String.format(Locale.ROOT, "%.4g", v);
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    /** Checks a claim now; a failing claim is recorded and fails {@link #finish()}. */
    public boolean claim(String statement, boolean holds, String evidence) {
        Claim c = new Claim(statement, holds, evidence);
        claims.add(c);
        String line = (holds ? "CLAIM HOLDS: " : "CLAIM FAILS: ") + statement + " (" + evidence + ")";
        out.println(line);
        md.append(holds ? "- [x] " : "- [ ] **FAILED** ").append(statement).append(" (").append(evidence).append(")\n\n");
        return holds;
    }

    /** Checks a claim computed elsewhere (a notebook's claim method, which tests also call with wrong quantities). */
    public boolean claim(Claim c) {
        return claim(c.statement(), c.holds(), c.evidence());
    }

    /** Writes a chart as a PNG in the output folder ({@link Plots#writePng}: house style, atomic) and adds it to the report. */
    public Path figure(String fileName, Chart<?, ?> chart) {
        if (!fileName.endsWith(".png")) {
            throw new IllegalArgumentException("figure: fileName must end with .png, got " + fileName);
        }
        try {
            Path p = folder.resolve(fileName);
            Plots.writePng(p, chart);
            figures.add(p);
            md.append("![").append(fileName).append("](").append(fileName).append(")\n\n");
            out.println("figure: " + p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write figure " + fileName, e);
        }
    }

    /** Adds to the report a PNG that was already written into the output folder (e.g. by a library). */
    public Path attach(String fileName, String caption) {
        Path p = folder.resolve(fileName);
        if (!fileName.endsWith(".png") || !Files.isRegularFile(p)) {
            throw new IllegalArgumentException("attach: expected a PNG file in " + folder + ", got " + fileName);
        }
        figures.add(p);
        md.append(caption).append("\n\n![").append(fileName).append("](").append(fileName).append(")\n\n");
        out.println("figure: " + p);
        return p;
    }

    /** Writes report.md, prints where, and fails if a claim did not hold. */
    public Result finish() {
        Path report = folder.resolve("report.md");
        long failed = claims.stream().filter(c -> !c.holds()).count();
        md.append("---\n").append(claims.size() - failed).append(" of ").append(claims.size())
                .append(" claims hold.\n");
        try {
            AtomicFiles.write(report, md.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + report, e);
        }
        out.println();
        out.println("report: " + report.toAbsolutePath());
        if (failed > 0) {
            throw new ClaimFailedException(name + ": " + failed + " of " + claims.size() + " claims failed: "
                    + claims.stream().filter(c -> !c.holds()).map(Claim::statement).toList());
        }
        return new Result(folder, report, List.copyOf(figures), List.copyOf(claims));
    }
}
