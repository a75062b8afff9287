package dev.softgrad.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a {@link Notebook} collects, in order, and its two renderings: the Markdown report and one
 * self-contained HTML page (equations as MathML, figures inline as data URIs, claims ticked or
 * crossed with their evidence; no script, no CDN). {@link #writeIndex} writes the output folder's
 * {@code index.html}, linking every run found there.
 */
final class NotebookPage {

    /** One piece of the report. */
    sealed interface Block permits Heading, Paragraph, Table, ClaimBlock, Figure, Equation {
    }

    /** A section heading. */
    record Heading(String title) implements Block {
    }

    /** A paragraph; {@code $...$} is inline math, {@code `code`}, {@code **bold**}, {@code ![alt](file.png)} and links as in Markdown. */
    record Paragraph(String text) implements Block {
    }

    /** A table. */
    record Table(List<String> header, List<List<String>> rows) implements Block {
    }

    /** A checked claim. */
    record ClaimBlock(Notebook.Claim claim) implements Block {
    }

    /** A PNG in the output folder, with an optional caption. */
    record Figure(String fileName, String caption) implements Block {
    }

    /** A displayed equation in TeX, with an optional label (what it is). */
    record Equation(String tex, String label) implements Block {
    }

    /** The meta tag names the index reads back from each page. */
    static final String META_CLAIMS = "softgrad:claims";
    static final String META_HELD = "softgrad:claims-held";

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    NotebookPage(String title) {
        this.title = title;
    }

    void add(Block b) {
        blocks.add(b);
    }

    List<Block> blocks() {
        return List.copyOf(blocks);
    }

    private List<Notebook.Claim> claims() {
        return blocks.stream().filter(b -> b instanceof ClaimBlock).map(b -> ((ClaimBlock) b).claim()).toList();
    }

    /** The Markdown report. */
    String markdown() {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                md.append("## ").append(h.title()).append("\n\n");
            } else if (b instanceof Paragraph p) {
                md.append(p.text()).append("\n\n");
            } else if (b instanceof Table t) {
                md.append(markdownTable(t)).append('\n');
            } else if (b instanceof ClaimBlock c) {
                md.append(c.claim().holds() ? "- [x] " : "- [ ] **FAILED** ").append(c.claim().statement())
                        .append(" (").append(c.claim().evidence()).append(")\n\n");
            } else if (b instanceof Figure f) {
                md.append(f.caption() == null ? "" : f.caption() + "\n\n").append("![").append(f.fileName())
                        .append("](").append(f.fileName()).append(")\n\n");
            } else if (b instanceof Equation e) {
                md.append(e.label() == null ? "" : e.label() + ":\n\n").append("$$\n").append(e.tex().strip())
                        .append("\n$$\n\n");
            }
        }
        List<Notebook.Claim> claims = claims();
        long held = claims.stream().filter(Notebook.Claim::holds).count();
        md.append("---\n").append(held).append(" of ").append(claims.size()).append(" claims hold.\n");
        return md.toString();
    }

    static String markdownTable(Table t) {
        StringBuilder s = new StringBuilder();
        s.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
        for (int i = 0; i < t.header().size(); i++) {
            s.append("---|");
        }
        s.append('\n');
        for (List<String> r : t.rows()) {
            s.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return s.toString();
    }

    /** The HTML page; figures are read from {@code folder} and inlined. */
    String html(Path folder) {
        List<Notebook.Claim> claims = claims();
        long held = claims.stream().filter(Notebook.Claim::holds).count();
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"softgrad\">\n")
                .append("<meta name=\"").append(META_CLAIMS).append("\" content=\"").append(claims.size()).append("\">\n")
                .append("<meta name=\"").append(META_HELD).append("\" content=\"").append(held).append("\">\n")
                .append("<title>").append(MathMl.escape(title)).append("</title>\n<style>").append(CSS)
                .append("</style>\n</head>\n<body>\n")
                .append("<nav><a href=\"../index.html\">all runs</a></nav>\n<header>\n<h1>").append(inline(title, folder))
                .append("</h1>\n<p class=\"summary ").append(held == claims.size() ? "ok" : "failed").append("\">")
                .append(held).append(" of ").append(claims.size()).append(" claims hold</p>\n</header>\n<main>\n");
        for (Block b : blocks) {
            if (b instanceof Heading x) {
                h.append("<h2>").append(inline(x.title(), folder)).append("</h2>\n");
            } else if (b instanceof Paragraph x) {
                h.append("<p>").append(inline(x.text(), folder)).append("</p>\n");
            } else if (b instanceof Table x) {
                htmlTable(h, x, folder);
            } else if (b instanceof ClaimBlock x) {
                boolean holds = x.claim().holds();
                h.append("<div class=\"claim ").append(holds ? "holds" : "fails").append("\">")
                        .append("<span class=\"mark\" title=\"").append(holds ? "holds" : "FAILS").append("\">")
                        .append(holds ? "✔" : "✘").append("</span> <span class=\"statement\">")
                        .append(inline(x.claim().statement(), folder)).append("</span> <span class=\"evidence\">")
                        .append(MathMl.escape(x.claim().evidence())).append("</span></div>\n");
            } else if (b instanceof Figure x) {
                h.append("<figure>").append(image(folder, x.fileName(), x.fileName()))
                        .append(x.caption() == null ? "" : "<figcaption>" + inline(x.caption(), folder) + "</figcaption>")
                        .append("</figure>\n");
            } else if (b instanceof Equation x) {
                h.append("<div class=\"equation\">").append(MathMl.block(x.tex()))
                        .append(x.label() == null ? "" : "<span class=\"label\">" + inline(x.label(), folder) + "</span>")
                        .append("</div>\n");
            }
        }
        return h.append("</main>\n</body>\n</html>\n").toString();
    }

    private static void htmlTable(StringBuilder h, Table t, Path folder) {
        h.append("<table>\n<thead><tr>");
        for (String c : t.header()) {
            h.append("<th>").append(inline(c, folder)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : t.rows()) {
            h.append("<tr>");
            for (String c : r) {
                h.append("<td>").append(inline(c, folder)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static final Pattern INLINE = Pattern.compile(
            "\\$([^$]+)\\$|`([^`]+)`|!\\[([^\\]]*)]\\(([^)\\s]+)\\)|\\[([^\\]]+)]\\(([^)\\s]+)\\)|\\*\\*([^*]+)\\*\\*");

    /** Inline Markdown and {@code $math$} to HTML; everything else is escaped. */
    static String inline(String text, Path folder) {
        Matcher m = INLINE.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            out.append(MathMl.escape(text.substring(last, m.start())));
            if (m.group(1) != null) {
                out.append(MathMl.inline(m.group(1)));
            } else if (m.group(2) != null) {
                out.append("<code>").append(MathMl.escape(m.group(2))).append("</code>");
            } else if (m.group(4) != null) {
                out.append(image(folder, m.group(4), m.group(3)));
            } else if (m.group(6) != null) {
                out.append("<a href=\"").append(MathMl.escape(m.group(6))).append("\">").append(MathMl.escape(m.group(5)))
                        .append("</a>");
            } else {
                out.append("<strong>").append(MathMl.escape(m.group(7))).append("</strong>");
            }
            last = m.end();
        }
        return out.append(MathMl.escape(text.substring(last))).toString();
    }

    /** An {@code <img>} with the PNG inlined as a data URI (a missing file is named in the page, not hidden). */
    private static String image(Path folder, String fileName, String alt) {
        Path p = folder.resolve(fileName);
        if (!fileName.endsWith(".png") || !Files.isRegularFile(p)) {
            return "<span class=\"missing\">[missing figure " + MathMl.escape(fileName) + "]</span>";
        }
        try {
            String data = Base64.getEncoder().encodeToString(Files.readAllBytes(p));
            return "<img src=\"data:image/png;base64," + data + "\" alt=\"" + MathMl.escape(alt) + "\" data-file=\""
                    + MathMl.escape(fileName) + "\">";
        } catch (IOException e) {
            throw new UncheckedIOException("report.html: cannot read the figure " + p, e);
        }
    }

    /** One run found in an output folder. */
    record Run(String folder, String title, int claims, int held) {
    }

    private static final Pattern TITLE = Pattern.compile("<title>(.*?)</title>");
    private static final Pattern META = Pattern.compile("<meta name=\"(softgrad:[a-z-]+)\" content=\"(\\d+)\">");

    /** The runs under {@code root}: every {@code NAME/report.html}, in the course's order, then by name. */
    static List<Run> runs(Path root) {
        List<String> order = Examples.ALL.stream().map(Example::name).toList();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("report.html"))).map(NotebookPage::readRun)
                    .sorted(Comparator.<Run>comparingInt(r -> order.contains(r.folder()) ? order.indexOf(r.folder()) : order.size())
                            .thenComparing(Run::folder))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("index.html: cannot list " + root, e);
        }
    }

    private static Run readRun(Path dir) {
        try {
            String head = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
            int end = head.indexOf("</head>");
            head = end < 0 ? head : head.substring(0, end);
            Matcher t = TITLE.matcher(head);
            String title = t.find() ? t.group(1) : dir.getFileName().toString();
            int claims = 0;
            int held = 0;
            Matcher m = META.matcher(head);
            while (m.find()) {
                if (META_CLAIMS.equals(m.group(1))) {
                    claims = Integer.parseInt(m.group(2));
                } else if (META_HELD.equals(m.group(1))) {
                    held = Integer.parseInt(m.group(2));
                }
            }
            return new Run(dir.getFileName().toString(), title, claims, held);
        } catch (IOException e) {
            throw new UncheckedIOException("index.html: cannot read " + dir.resolve("report.html"), e);
        }
    }

    /** The index page of an output folder: one row per run, linking its report. */
    static String indexHtml(List<Run> runs) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>softgrad notebooks</title>\n<style>").append(CSS).append("</style>\n</head>\n<body>\n<main>\n")
                .append("<h1>softgrad notebooks</h1>\n<p>").append(runs.size()).append(" runs in this folder.</p>\n")
                .append("<table class=\"runs\">\n<thead><tr><th>notebook</th><th>title</th><th>claims</th></tr></thead>\n<tbody>\n");
        for (Run r : runs) {
            String href = MathMl.escape(r.folder()).replace(" ", "%20") + "/report.html";
            h.append("<tr><td><a href=\"").append(href).append("\">").append(MathMl.escape(r.folder())).append("</a></td><td>")
                    .append(r.title()).append("</td><td class=\"").append(r.held() == r.claims() ? "ok" : "failed").append("\">")
                    .append(String.format(Locale.ROOT, "%d of %d hold", r.held(), r.claims())).append("</td></tr>\n");
        }
        return h.append("</tbody>\n</table>\n</main>\n</body>\n</html>\n").toString();
    }

    private static final String CSS = """
            body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;background:#fff;margin:0}
            main,header,nav{max-width:960px;margin:0 auto;padding:0 24px}
            nav{padding-top:12px;font-size:14px}
            h1{font-size:28px;margin:8px 0 4px}h2{font-size:21px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
            .summary{font-weight:600;margin:0 0 16px}.ok{color:#1a7f37}.failed{color:#c62828}
            code{font:14px ui-monospace,Menlo,Consolas,monospace;background:#f3f3f3;padding:1px 4px;border-radius:3px}
            table{border-collapse:collapse;margin:12px 0;font-size:14px;font-variant-numeric:tabular-nums}
            th,td{border:1px solid #d0d0d0;padding:3px 8px;text-align:right}th{background:#f5f5f5}
            td:first-child,th:first-child{text-align:left}
            .claim{margin:6px 0;padding:6px 10px;border-left:4px solid;border-radius:2px}
            .claim.holds{border-color:#1a7f37;background:#f0faf2}.claim.fails{border-color:#c62828;background:#fdecea}
            .claim .mark{font-weight:700}.claim.holds .mark{color:#1a7f37}.claim.fails .mark{color:#c62828}
            .claim .evidence{display:block;color:#555;font-size:14px;margin-left:1.4em}
            figure{margin:16px 0}figure img,p img{max-width:100%;height:auto;border:1px solid #eee}
            figcaption{font-size:14px;color:#555}
            .equation{margin:14px 0;padding:6px 0;overflow-x:auto;overflow-y:hidden}.equation math{font-size:19px}
            .equation .label{display:block;text-align:center;color:#555;font-size:14px}
            math{font-family:"STIX Two Math","Latin Modern Math","Cambria Math",math}
            .missing{color:#c62828}
            table.runs td{text-align:left}
            """;
}
