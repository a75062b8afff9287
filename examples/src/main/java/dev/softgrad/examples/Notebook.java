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
 * What an example writes as it runs: steps printed to the console and collected, in order, into
 * two reports in the example's output folder beside its figures (PNG): {@code report.md}, and
 * {@code report.html}, one self-contained page (equations typeset as MathML, figures inline,
 * claims ticked or crossed with their evidence) that opens offline in a browser; the output
 * folder's {@code index.html} links every run in it. Claims are checked on the spot: one that does
 * not hold is printed and recorded, and {@link #finish()} then fails the run with
 * {@link ClaimFailedException}, after writing the reports.
 *
 * <pre>{@code
 * Notebook nb = Notebook.open("temperature", "Temperature", settings);
 * nb.section("The entropy rises with tau");
 * nb.equation("H(p) = -\\sum_{k=1}^{K} p_k \\ln p_k");          // TeX, typeset in report.html
 * nb.text("At $\\tau \\to \\infty$ the entropy tends to ln K.");   // $...$ is inline math
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
     * @param html    the HTML page
     * @param figures the PNG files written
     * @param claims  every claim checked, in order
     */
    public record Result(Path folder, Path report, Path html, List<Path> figures, List<Claim> claims) {
        /** The claim whose statement starts with the given text. */
        public Claim claim(String prefix) {
            return claims.stream().filter(c -> c.statement().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no claim starting with '" + prefix + "' in " + claims));
        }
    }

    /** Thrown by {@link #finish()} when a claim did not hold; it carries every claim of the run. */
    public static final class ClaimFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<Claim> claims;

        ClaimFailedException(String message, List<Claim> claims) {
            super(message);
            this.claims = List.copyOf(claims);
        }

        /** Every claim checked in the run, in order (those that held too). */
        public List<Claim> claims() {
            return claims;
        }
    }

    private final String name;
    private final Path root;
    private final Path folder;
    private final PrintStream out;
    private final NotebookPage page;
    private final List<Claim> claims = new ArrayList<>();
    private final List<Path> figures = new ArrayList<>();

    private Notebook(String name, String title, Path root, PrintStream out) {
        this.name = name;
        this.root = root;
        this.folder = root.resolve(name);
        this.out = out;
        this.page = new NotebookPage(title);
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
        return new Notebook(name, title, settings.out(), settings.console());
    }

    /** The output folder. */
    public Path folder() {
        return folder;
    }

    /** A new step with a heading. */
    public void section(String title) {
        out.println();
        out.println("-- " + title);
        page.add(new NotebookPage.Heading(title));
    }

    /**
     * A paragraph (printf-style, Locale.ROOT). In report.html, {@code $...$} is typeset as inline
     * math (TeX, see {@link MathMl}), and {@code `code`}, {@code **bold**}, links and
     * {@code ![alt](file.png)} work as in Markdown.
     */
    public void text(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        out.println(MathMl.plainInline(s));
        page.add(new NotebookPage.Paragraph(s));
    }

    /**
     * A displayed equation, in TeX (the subset {@link MathMl} knows: {@code \frac}, {@code \sum},
     * scripts, Greek, ...): typeset as MathML in report.html, kept as {@code $$ ... $$} in report.md,
     * printed as plain Unicode text ({@link MathMl#plain}). A TeX error is refused here, naming the position.
     */
    public void equation(String tex) {
        equation(tex, null);
    }

    /** A displayed equation with a label under it (what it is, e.g. "the softmax"); see {@link #equation(String)}. */
    public void equation(String tex, String label) {
        String plain = MathMl.plain(tex); // refuses bad TeX now, not when the page is written
        out.println("    " + plain + (label == null ? "" : "    (" + MathMl.plainInline(label) + ")"));
        page.add(new NotebookPage.Equation(tex, label));
    }

    /** A table, printed and added to the report. */
    public void table(List<String> header, List<List<String>> rows) {
        NotebookPage.Table t = new NotebookPage.Table(List.copyOf(header), rows.stream().map(List::copyOf).toList());
        out.print(NotebookPage.markdownTable(t));
        page.add(t);
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
        page.add(new NotebookPage.ClaimBlock(c));
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
            page.add(new NotebookPage.Figure(fileName, null));
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
        page.add(new NotebookPage.Figure(fileName, caption));
        out.println("figure: " + p);
        return p;
    }

    /**
     * Writes report.md and report.html, rewrites the output folder's index.html, prints where, and
     * fails if a claim did not hold.
     */
    public Result finish() {
        Path report = folder.resolve("report.md");
        Path html = folder.resolve("report.html");
        long failed = claims.stream().filter(c -> !c.holds()).count();
        try {
            AtomicFiles.write(report, page.markdown().getBytes(StandardCharsets.UTF_8));
            AtomicFiles.write(html, page.html(folder).getBytes(StandardCharsets.UTF_8));
            AtomicFiles.write(root.resolve("index.html"),
                    NotebookPage.indexHtml(NotebookPage.runs(root)).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reports of " + name + " in " + folder, e);
        }
        out.println();
        out.println("report: " + html.toAbsolutePath());
        if (failed > 0) {
            throw new ClaimFailedException(name + ": " + failed + " of " + claims.size() + " claims failed: "
                    + claims.stream().filter(c -> !c.holds()).map(Claim::statement).toList(), claims);
        }
        return new Result(folder, report, html, List.copyOf(figures), List.copyOf(claims));
    }
}
