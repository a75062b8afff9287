package dev.softgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;

/** The TeX subset the notebooks use becomes the MathML structure a browser typesets. */
class MathMlTest {

    private static Element math(String html) {
        Document d = Jsoup.parse(html, "", Parser.xmlParser());
        Element m = d.selectFirst("math");
        assertTrue(m != null, html);
        return m;
    }

    @Test
    void plainTextKeepsTheStructureWithUnicodeScriptsAndParenthesisedFractionSides() {
        assertEquals("pₖ = e^(zₖ)/(∑ⱼ₌₁ᴷ e^(zⱼ))", MathMl.plain("p_k = \\frac{e^{z_k}}{\\sum_{j=1}^{K} e^{z_j}}"));
        assertEquals("H(p) = −∑ₖ pₖ ln pₖ ∈ [0, ln K]", MathMl.plain("H(p) = -\\sum_k p_k \\ln p_k \\in [0, \\ln K]"),
                "unary minus tight, relations spaced, a function name set apart");
        assertEquals("∂/∂z(L + λ/2‖z‖²) = (p − y) + λz",
                MathMl.plain("\\frac{\\partial}{\\partial z} \\left( L + \\frac{\\lambda}{2} \\| z \\|^2 \\right) = (p - y) + \\lambda z"));
        assertEquals("softmax(QKᵀ/√d + M)V", MathMl.plain("\\operatorname{softmax} \\left( \\frac{Q K^\\top}{\\sqrt{d}} + M \\right) V"));
        assertEquals("mⱼ = z_c − zⱼ", MathMl.plain("m_j = z_c - z_j"), "c has no Unicode subscript: _c");
        assertEquals("a^(q+1), p_(T,i)", MathMl.plain("a^{q + 1}, p_{T, i}"), "scripts without Unicode forms in parentheses");
        assertEquals("ŷ = arg maxₖ pₖ", MathMl.plain("\\hat{y} = \\arg\\max_k p_k"));
        assertEquals("x,    y", MathMl.plain("x, \\qquad y"));
        assertEquals("the rate τ is 0.1", MathMl.plainInline("the rate $\\tau$ is 0.1"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> MathMl.plain("\\fracc{a}{b}"));
        assertTrue(bad.getMessage().contains("fracc"), bad.getMessage());
    }

    @Test
    void aFractionHasItsNumeratorAndDenominatorAsTwoChildren() {
        Element m = math(MathMl.block("\\frac{a + 1}{b}"));
        assertEquals("block", m.attr("display"));
        Element frac = m.selectFirst("mfrac");
        assertEquals(2, frac.childrenSize());
        assertEquals("a+1", frac.child(0).text().replace(" ", ""));
        assertEquals("b", frac.child(1).text());
    }

    @Test
    void aDisplayedSumHasItsLimitsUnderAndOverButBesideItInlineAndInAFraction() {
        Element block = math(MathMl.block("\\sum_{j=1}^{K} e^{z_j}"));
        Element uo = block.selectFirst("munderover");
        assertEquals("∑", uo.child(0).text());
        assertEquals("j=1", uo.child(1).text().replace(" ", ""));
        assertEquals("K", uo.child(2).text());
        assertTrue(math(MathMl.inline("\\sum_{j=1}^{K} e^{z_j}")).select("munderover").isEmpty());
        assertEquals(1, math(MathMl.inline("\\sum_{j=1}^{K} e^{z_j}")).select("msubsup").size());
        Element inFraction = math(MathMl.block("\\frac{1}{\\sum_j e^{z_j}}"));
        assertTrue(inFraction.select("munderover, munder").isEmpty(), inFraction.toString());
    }

    @Test
    void scriptsAttachToTheAtomBeforeThem() {
        Element m = math(MathMl.inline("z_k^2 + e^{-x}"));
        Element ss = m.selectFirst("msubsup");
        assertEquals(List.of("z", "k", "2"), ss.children().stream().map(Element::text).toList());
        Element sup = m.selectFirst("msup");
        assertEquals("e", sup.child(0).text());
        assertEquals("−x", sup.child(1).text().replace(" ", ""), "the minus sign is U+2212");
    }

    @Test
    void greekOperatorsAndFunctionsBecomeTheirSymbols() {
        Element m = math(MathMl.inline("\\tau \\to \\infty, \\ln p_k \\le \\log_2 K"));
        assertEquals("τ", m.select("mi").first().text());
        assertTrue(m.select("mo").eachText().containsAll(List.of("→", "≤")), m.toString());
        assertTrue(m.select("mi").eachText().containsAll(List.of("∞", "ln")));
        Element log2 = m.selectFirst("msub:has(mi:containsOwn(log))");
        assertEquals("2", log2.child(1).text(), "the subscript of log_2 attaches to log");
        assertTrue(m.select("mo").eachText().contains("\u2061"), "function application after ln");
    }

    @Test
    void theSourceIsKeptAsAnAnnotationAndHtmlIsEscaped() {
        Element m = math(MathMl.block("a < b"));
        assertEquals("a < b", m.selectFirst("annotation").text());
        assertEquals("application/x-tex", m.selectFirst("annotation").attr("encoding"));
        assertTrue(MathMl.block("a < b").contains("<mo>&lt;</mo>"));
    }

    @Test
    void leftRightFencesTextBoldAndDoubleStruck() {
        Element m = math(MathMl.block("\\left( \\frac{1}{2} \\right) \\text{if } x \\in \\mathbb{R}^K, \\mathbf{W}"));
        assertEquals("true", m.select("mo").first().attr("stretchy"));
        assertEquals("if\u00a0", m.selectFirst("mtext").wholeText(), "the space after 'if' survives MathML's trimming");
        assertTrue(m.text().contains("ℝ"));
        assertTrue(m.text().contains("\uD835\uDC16"), "bold W is U+1D416");
    }

    @Test
    void everyCommandTheNotebooksMayUseGivesWellFormedMathMl() {
        String tex = "\\alpha \\beta \\gamma \\delta \\epsilon \\lambda \\mu \\sigma \\tau \\theta \\Sigma \\partial \\nabla "
                + "\\cdot \\times \\ge \\ne \\approx \\propto \\in \\pm \\ldots \\top \\| \\{ \\} \\, \\; \\quad "
                + "\\hat{y} \\bar{x} \\tilde{z} \\vec{v} \\sqrt{x} \\sqrt[3]{x} \\max_k \\min_k \\arg\\max_k z_k "
                + "\\operatorname{LSE}(z) \\exp(x) \\softmax(z) \\mathrm{KL} f'(x) \\prod_{i=1}^{n} \\left\\| x \\right\\|";
        Document d = Jsoup.parse(MathMl.block(tex), "", Parser.xmlParser());
        assertEquals(1, d.select("math").size());
        assertTrue(d.select("msqrt").size() == 1 && d.select("mroot").size() == 1 && d.select("mover").size() >= 4);
    }

    @Test
    void badTexIsRefusedNamingWhatAndWhere() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> MathMl.block("x = \\fracc{1}{2}"));
        assertTrue(unknown.getMessage().contains("unknown TeX command \\fracc"), unknown.getMessage());
        IllegalArgumentException brace = assertThrows(IllegalArgumentException.class, () -> MathMl.block("\\frac{1}{2"));
        assertTrue(brace.getMessage().contains("missing '}'"), brace.getMessage());
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class, () -> MathMl.block("x}"));
        assertTrue(extra.getMessage().contains("unbalanced '}'"), extra.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MathMl.block(" "));
        assertThrows(IllegalArgumentException.class, () -> MathMl.block("\\left( x"));
    }
}
