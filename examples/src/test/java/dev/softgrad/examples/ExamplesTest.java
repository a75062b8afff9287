package dev.softgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example, run small: its claims hold (a failing claim would throw), it printed them, its
 * figures are real PNGs and its report names them.
 */
class ExamplesTest {
    @TempDir
    Path tmp;

    static Stream<String> realDataSets() {
        return Stream.of("iris", "digits", "mnist");
    }

    static Stream<Example> examples() {
        return Examples.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void runsSmallAndItsClaimsHold(Example e) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Notebook.Result r = e.run(new Settings(tmp, true, 7, Map.of(), new PrintStream(buf, true, StandardCharsets.UTF_8)));
        assertFalse(r.claims().isEmpty(), e.name() + " checks no claim");
        String printed = buf.toString(StandardCharsets.UTF_8);
        for (Notebook.Claim c : r.claims()) {
            assertTrue(c.holds(), e.name() + ": " + c);
            assertTrue(printed.contains("CLAIM HOLDS: " + c.statement()), "printed: " + c.statement());
        }
        java.util.regex.Matcher tex = java.util.regex.Pattern.compile("\\\\[a-zA-Z]+|\\$[^$\\s][^$]*\\$").matcher(printed);
        assertFalse(tex.find(), e.name() + ": the console shows TeX source (" + (tex.find(0) ? tex.group() : "") + "): equations and"
                + " inline math are printed as plain text (MathMl.plain)");
        String report = Files.readString(r.report());
        assertTrue(report.contains(r.claims().size() + " of " + r.claims().size() + " claims hold"), report);
        for (Path fig : r.figures()) {
            BufferedImage img = ImageIO.read(fig.toFile());
            assertTrue(img != null && img.getWidth() >= 400 && img.getHeight() >= 300, fig + " is not a readable PNG");
            assertTrue(report.contains("(" + fig.getFileName() + ")"), "the report shows " + fig.getFileName());
        }
        htmlShowsTheRun(e, r);
    }

    /** report.html has every claim ticked with its evidence, every figure inline, every equation as MathML; the index links it. */
    private void htmlShowsTheRun(Example e, Notebook.Result r) throws IOException {
        Document page = Jsoup.parse(r.html().toFile(), "UTF-8");
        var claims = page.select("div.claim");
        assertEquals(r.claims().size(), claims.size(), e.name() + ": claims in report.html");
        for (int i = 0; i < claims.size(); i++) {
            assertTrue(claims.get(i).hasClass("holds") && claims.get(i).selectFirst(".mark").text().equals("✔"), claims.get(i).toString());
            assertEquals(r.claims().get(i).statement(), claims.get(i).selectFirst(".statement").text());
            assertEquals(r.claims().get(i).evidence(), claims.get(i).selectFirst(".evidence").text());
        }
        assertEquals(r.claims().size() + " of " + r.claims().size() + " claims hold", page.selectFirst("p.summary").text());
        for (Path fig : r.figures()) {
            var img = page.selectFirst("img[data-file=" + fig.getFileName() + "]");
            assertTrue(img != null && img.attr("src").startsWith("data:image/png;base64,"), e.name() + ": " + fig.getFileName());
        }
        assertTrue(page.select("span.missing").isEmpty(), e.name() + ": a figure the text names is missing: " + page.select("span.missing"));
        for (var math : page.select("math")) {
            assertTrue(math.selectFirst("annotation[encoding=application/x-tex]") != null && math.selectFirst("mrow") != null,
                    e.name() + ": " + math);
        }
        Document index = Jsoup.parse(tmp.resolve("index.html").toFile(), "UTF-8");
        assertEquals(e.name() + "/report.html", index.selectFirst("tbody a").attr("href"));
    }

    @Test
    void namesAreUniqueAndTheLauncherListsThem() {
        assertEquals(Examples.ALL.size(), Examples.ALL.stream().map(Example::name).distinct().count());
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Softgrad.execute("list"));
        } finally {
            System.setOut(old);
        }
        for (Example e : Examples.ALL) {
            assertTrue(buf.toString(StandardCharsets.UTF_8).contains(e.name()), e.name());
        }
    }

    @Test
    void launcherRunsByNameAndRejectsUnknownNames() {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Softgrad.execute("run", "temperature", "--quick", "--out", tmp.toString()));
            assertTrue(Files.exists(tmp.resolve("temperature").resolve("report.md")));
            assertEquals(2, Softgrad.execute("run", "no-such-example"));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown example 'no-such-example'"), err.toString());
            assertEquals(2, Softgrad.execute("run", "temperature", "--seed", "x"));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @ParameterizedTest
    @MethodSource("realDataSets")
    void trainRunsOnTheRealDataSetsFromTheSharedFolder(String dataset) {
        Path shared = Path.of("..", "..", "shared", "datasets").toAbsolutePath().normalize();
        if (!Files.isRegularFile(shared.resolve("iris.csv"))) {
            shared = Path.of("..", "shared", "datasets").toAbsolutePath().normalize();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(shared.resolve("iris.csv")),
                "../shared/datasets is absent (a fresh clone has no ../shared): skipping the " + dataset + " run");
        Notebook.Result r = new TrainExample().run(new Settings(tmp, true, 3, Map.of("dataset", dataset, "data",
                shared.toString()), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(r.claim("the classifier beats chance").holds());
        assertTrue(r.claim("the classifier beats chance").evidence().startsWith("validation accuracy"));
        assertTrue(r.claim("the validation NLL is finite").holds(), r.claim("the validation NLL is finite").evidence());
    }

    @Test
    void trainRefusesAnUnknownDataSetByName() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TrainExample().run(new Settings(tmp, true, 3, Map.of("dataset", "cifar"), System.out)));
        assertTrue(e.getMessage().contains("option dataset must be one of embedded, iris, digits, mnist, got 'cifar'"), e.getMessage());
    }

    @Test
    void aFailingClaimFailsTheRunAfterWritingTheReport() throws IOException {
        Notebook nb = Notebook.open("failing", "A failing claim", new Settings(tmp, true, 1, Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        nb.claim("one is two", 1 == 2, "it is not");
        Notebook.ClaimFailedException ex = org.junit.jupiter.api.Assertions.assertThrows(
                Notebook.ClaimFailedException.class, nb::finish);
        assertTrue(ex.getMessage().contains("one is two"), ex.getMessage());
        assertTrue(Files.readString(tmp.resolve("failing").resolve("report.md")).contains("**FAILED** one is two"));
    }
}
