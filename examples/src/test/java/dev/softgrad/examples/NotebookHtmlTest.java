package dev.softgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** report.html: one self-contained page per run, with its equations, figures and claims; index.html links every run. */
class NotebookHtmlTest {
    @TempDir
    Path tmp;

    private Settings settings() {
        return new Settings(tmp, true, 1, Map.of(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static XYChart chart() {
        XYChart c = new XYChartBuilder().width(800).height(500).title("a line").build();
        c.addSeries("y = x", new double[] {0, 1, 2}, new double[] {0, 1, 2});
        return c;
    }

    /** A notebook with every kind of block, one claim holding and one failing. */
    private Path writeMixed() {
        Notebook nb = Notebook.open("mixed", "Every block <once>", settings());
        nb.section("Softmax");
        nb.text("With $\\tau > 0$, `softmax` gives **probabilities**.");
        nb.equation("p_k = \\frac{e^{z_k}}{\\sum_{j=1}^{K} e^{z_j}}", "the softmax");
        nb.table(java.util.List.of("k", "p_k"), java.util.List.of(java.util.List.of("0", "0.5"), java.util.List.of("1", "0.5")));
        nb.claim("probabilities sum to 1", true, "sum = 1.0000");
        nb.claim("one is two", false, "1 != 2");
        nb.figure("line.png", chart());
        assertThrows(Notebook.ClaimFailedException.class, nb::finish);
        return tmp.resolve("mixed").resolve("report.html");
    }

    @Test
    void thePageHasTheTextTheEquationsTheTableAndTheClaimsInOrder() throws IOException {
        Document d = Jsoup.parse(writeMixed().toFile(), "UTF-8");
        assertEquals("Every block <once>", d.title());
        assertEquals("1 of 2 claims hold", d.selectFirst("p.summary").text());
        assertTrue(d.selectFirst("p.summary").hasClass("failed"));
        assertEquals("Softmax", d.selectFirst("h2").text());
        Element p = d.selectFirst("main > p");
        assertEquals("τ", p.selectFirst("math mi").text(), "inline math in the text");
        assertEquals("softmax", p.selectFirst("code").text());
        assertEquals("probabilities", p.selectFirst("strong").text());
        Element eq = d.selectFirst("div.equation math[display=block]");
        assertTrue(eq.selectFirst("mfrac") != null && eq.selectFirst("munderover") == null
                && eq.selectFirst("msubsup") != null, "the sum in the denominator has its limits beside it: " + eq);
        assertEquals("p_k = \\frac{e^{z_k}}{\\sum_{j=1}^{K} e^{z_j}}", eq.selectFirst("annotation").text());
        assertEquals("the softmax", d.selectFirst("div.equation .label").text());
        assertEquals(2, d.select("table tbody tr").size());
        assertEquals("p_k", d.select("table th").get(1).text());
        Element holds = d.selectFirst("div.claim.holds");
        assertEquals("✔", holds.selectFirst(".mark").text());
        assertEquals("probabilities sum to 1", holds.selectFirst(".statement").text());
        assertEquals("sum = 1.0000", holds.selectFirst(".evidence").text());
        Element fails = d.selectFirst("div.claim.fails");
        assertEquals("✘", fails.selectFirst(".mark").text());
        assertEquals("1 != 2", fails.selectFirst(".evidence").text());
        assertEquals(2, d.select("div.claim").size());
    }

    @Test
    void theFigureIsInlineAndThePageNeedsNothingFromOutside() throws IOException {
        Path html = writeMixed();
        Document d = Jsoup.parse(html.toFile(), "UTF-8");
        Element img = d.selectFirst("figure img");
        assertEquals("line.png", img.attr("data-file"));
        String src = img.attr("src");
        assertTrue(src.startsWith("data:image/png;base64,"), src.substring(0, Math.min(40, src.length())));
        byte[] png = Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1));
        assertTrue(java.util.Arrays.equals(png, Files.readAllBytes(html.resolveSibling("line.png"))), "the file's bytes");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(800, image.getWidth());
        assertTrue(d.select("script, link[href], iframe, object").isEmpty(), "no script, stylesheet or frame");
        assertTrue(d.select("[src]").stream().allMatch(e -> e.attr("src").startsWith("data:")), "every source is inline");
    }

    @Test
    void theMarkdownReportKeepsTheEquationAsTex() throws IOException {
        writeMixed();
        String md = Files.readString(tmp.resolve("mixed").resolve("report.md"));
        assertTrue(md.contains("$$\np_k = \\frac{e^{z_k}}{\\sum_{j=1}^{K} e^{z_j}}\n$$"), md);
        assertTrue(md.contains("- [ ] **FAILED** one is two (1 != 2)"), md);
        assertTrue(md.contains("![line.png](line.png)"), md);
    }

    @Test
    void theIndexLinksEveryRunWithItsClaims() throws IOException {
        writeMixed();
        Notebook ok = Notebook.open("temperature", "All well", settings());
        ok.claim("true", true, "yes");
        ok.finish();
        Document index = Jsoup.parse(tmp.resolve("index.html").toFile(), "UTF-8");
        var links = index.select("a[href]");
        assertEquals(java.util.List.of("temperature/report.html", "mixed/report.html"), links.eachAttr("href"),
                "course order first (temperature is an example), then the others");
        assertEquals("1 of 1 hold", index.select("tbody tr").get(0).select("td").get(2).text());
        assertEquals("1 of 2 hold", index.select("tbody tr").get(1).select("td").get(2).text());
        assertEquals("Every block <once>", index.select("tbody tr").get(1).select("td").get(1).text());
        Document page = Jsoup.parse(tmp.resolve("temperature").resolve("report.html").toFile(), "UTF-8");
        assertEquals("../index.html", page.selectFirst("nav a").attr("href"));
    }

    @Test
    void theReportsFiguresAndIndexGetTheModeTheUmaskGives() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "needs POSIX file modes");
        var umasked = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("probe")));
        writeMixed();
        for (String f : java.util.List.of("index.html", "mixed/report.html", "mixed/report.md", "mixed/line.png")) {
            assertEquals(umasked, Files.getPosixFilePermissions(tmp.resolve(f)), f + " has the mode a new file gets");
        }
    }

    @Test
    void badTexIsRefusedWhenTheExampleAddsIt() {
        Notebook nb = Notebook.open("bad", "Bad TeX", settings());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nb.equation("\\frac{1}{"));
        assertTrue(e.getMessage().startsWith("equation:"), e.getMessage());
    }
}
