package dev.softgrad.examples;

import java.util.Map;

/**
 * A small TeX-to-MathML translator for the notebooks' equations, so that a report typesets them
 * offline (Chromium and Firefox render MathML natively; no CDN, no script). It knows the subset the
 * theory uses: letters, numbers and operators; {@code ^ _} and groups {@code { }}; {@code \frac},
 * {@code \sqrt}, {@code \left( \right)}, {@code \hat \bar \tilde \vec}, {@code \text \mathrm
 * \operatorname \mathbf \mathbb}; Greek letters; big operators ({@code \sum \prod \max \min \lim
 * \arg\max}, limits under and over in display style); relations, arrows and spaces. An unknown
 * command is refused with its name, so a typo fails the notebook's test, not the reader's eye.
 *
 * <pre>{@code
 * MathMl.block("p_k = \\frac{e^{z_k}}{\\sum_{j=1}^{K} e^{z_j}}")  // <math display="block">...
 * }</pre>
 */
public final class MathMl {
    private MathMl() {
    }

    private static final Map<String, String> SYMBOLS = Map.ofEntries(
            // Greek
            Map.entry("alpha", "α"), Map.entry("beta", "β"), Map.entry("gamma", "γ"), Map.entry("delta", "δ"),
            Map.entry("epsilon", "ϵ"), Map.entry("varepsilon", "ε"), Map.entry("zeta", "ζ"), Map.entry("eta", "η"),
            Map.entry("theta", "θ"), Map.entry("iota", "ι"), Map.entry("kappa", "κ"), Map.entry("lambda", "λ"),
            Map.entry("mu", "μ"), Map.entry("nu", "ν"), Map.entry("xi", "ξ"), Map.entry("pi", "π"), Map.entry("rho", "ρ"),
            Map.entry("sigma", "σ"), Map.entry("tau", "τ"), Map.entry("upsilon", "υ"), Map.entry("phi", "ϕ"),
            Map.entry("varphi", "φ"), Map.entry("chi", "χ"), Map.entry("psi", "ψ"), Map.entry("omega", "ω"),
            Map.entry("Gamma", "Γ"), Map.entry("Delta", "Δ"), Map.entry("Theta", "Θ"), Map.entry("Lambda", "Λ"),
            Map.entry("Xi", "Ξ"), Map.entry("Pi", "Π"), Map.entry("Sigma", "Σ"), Map.entry("Phi", "Φ"),
            Map.entry("Psi", "Ψ"), Map.entry("Omega", "Ω"), Map.entry("ell", "ℓ"), Map.entry("infty", "∞"),
            Map.entry("partial", "∂"), Map.entry("nabla", "∇"));

    private static final Map<String, String> OPERATORS = Map.ofEntries(
            Map.entry("cdot", "·"), Map.entry("times", "×"), Map.entry("le", "≤"), Map.entry("leq", "≤"),
            Map.entry("ge", "≥"), Map.entry("geq", "≥"), Map.entry("ne", "≠"), Map.entry("neq", "≠"),
            Map.entry("approx", "≈"), Map.entry("sim", "∼"), Map.entry("equiv", "≡"), Map.entry("propto", "∝"),
            Map.entry("to", "→"), Map.entry("rightarrow", "→"), Map.entry("leftarrow", "←"), Map.entry("Rightarrow", "⇒"),
            Map.entry("iff", "⇔"), Map.entry("mapsto", "↦"), Map.entry("in", "∈"), Map.entry("notin", "∉"),
            Map.entry("pm", "±"), Map.entry("mp", "∓"), Map.entry("ldots", "…"), Map.entry("dots", "…"),
            Map.entry("cdots", "⋯"), Map.entry("top", "⊤"), Map.entry("mid", "∣"), Map.entry("|", "‖"),
            Map.entry("lVert", "‖"), Map.entry("rVert", "‖"), Map.entry("{", "{"), Map.entry("}", "}"),
            Map.entry("langle", "⟨"), Map.entry("rangle", "⟩"), Map.entry("odot", "⊙"), Map.entry("circ", "∘"),
            Map.entry("forall", "∀"), Map.entry("exists", "∃"), Map.entry("lt", "<"), Map.entry("gt", ">"),
            Map.entry("setminus", "∖"), Map.entry("succeq", "⪰"), Map.entry("preceq", "⪯"), Map.entry("subset", "⊂"),
            Map.entry("cup", "∪"), Map.entry("cap", "∩"));

    /** Big operators: limits go under and over them in display style. */
    private static final Map<String, String> BIG = Map.of("sum", "∑", "prod", "∏", "int", "∫", "max", "max", "min", "min",
            "lim", "lim", "argmax", "arg max", "argmin", "arg min", "sup", "sup", "inf", "inf");

    /** Named functions set upright. */
    private static final java.util.Set<String> FUNCTIONS = java.util.Set.of("log", "ln", "exp", "sin", "cos", "tanh",
            "det", "tr", "diag", "softmax", "LSE", "KL", "var", "Var", "E", "sign", "Pr", "arg", "CE");

    private static final Map<String, String> SPACES = Map.of(",", "0.1667em", ":", "0.2222em", ";", "0.2778em",
            "quad", "1em", "qquad", "2em", " ", "0.25em", "!", "0em");

    private static final Map<String, String> ACCENTS = Map.of("hat", "^", "bar", "¯", "tilde", "~", "vec", "→",
            "dot", "˙", "widehat", "^", "overline", "¯");

    /** The equation as a display (block) {@code <math>} element. */
    public static String block(String tex) {
        return math(tex, true);
    }

    /** The equation as an inline {@code <math>} element. */
    public static String inline(String tex) {
        return math(tex, false);
    }

    private static String math(String tex, boolean display) {
        if (tex == null || tex.isBlank()) {
            throw new IllegalArgumentException("equation: expected TeX, got " + (tex == null ? "null" : "'" + tex + "'"));
        }
        String body = new Parser(tex, display).parseAll();
        return "<math" + (display ? " display=\"block\"" : "") + "><semantics><mrow>" + body
                + "</mrow><annotation encoding=\"application/x-tex\">" + escape(tex.strip()) + "</annotation></semantics></math>";
    }

    /** Escapes text for HTML and XML content and attributes. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A recursive-descent parser: a row is a list of atoms, each with optional sub- and superscripts. */
    private static final class Parser {
        private final String src;
        private boolean display;
        private int pos;
        /** Set by a function name (ln, exp, ...): its scripts come first, then the function application. */
        private boolean applied;

        Parser(String src, boolean display) {
            this.src = src;
            this.display = display;
        }

        String parseAll() {
            String row = parseRow();
            if (pos < src.length()) {
                throw error("unbalanced '" + src.charAt(pos) + "'");
            }
            return row;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("equation: " + what + " at position " + pos + " of '" + src + "'");
        }

        /** Atoms until '}' or '\right' or the end. */
        private String parseRow() {
            StringBuilder row = new StringBuilder();
            while (true) {
                skipSpace();
                if (pos >= src.length() || src.charAt(pos) == '}' || src.startsWith("\\right", pos)) {
                    return row.toString();
                }
                row.append(parseScripted());
            }
        }

        private void skipSpace() {
            while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
                pos++;
            }
        }

        /** An atom with its scripts. */
        private String parseScripted() {
            boolean big = isBigAhead();
            applied = false;
            String base = parseAtom();
            boolean function = applied;
            applied = false;
            String sub = null;
            String sup = null;
            while (true) {
                skipSpace();
                if (pos < src.length() && src.charAt(pos) == '_' && sub == null) {
                    pos++;
                    sub = parseArgument();
                } else if (pos < src.length() && src.charAt(pos) == '^' && sup == null) {
                    pos++;
                    sup = parseArgument();
                } else if (pos < src.length() && src.charAt(pos) == '\'') {
                    pos++;
                    sup = (sup == null ? "" : sup) + "<mo>′</mo>";
                } else {
                    break;
                }
            }
            String scripted = scripts(base, sub, sup, big);
            return function ? scripted + "<mo>\u2061</mo>" + thinSpaceUnlessParenthesis() : scripted;
        }

        private String scripts(String base, String sub, String sup, boolean big) {
            String under = big && display ? "munder" : "msub";
            String over = big && display ? "mover" : "msup";
            String both = big && display ? "munderover" : "msubsup";
            if (sub != null && sup != null) {
                return "<" + both + ">" + base + wrap(sub) + wrap(sup) + "</" + both + ">";
            }
            if (sub != null) {
                return "<" + under + ">" + base + wrap(sub) + "</" + under + ">";
            }
            if (sup != null) {
                return "<" + over + ">" + base + wrap(sup) + "</" + over + ">";
            }
            return base;
        }

        private boolean isBigAhead() {
            if (pos < src.length() && src.charAt(pos) == '\\') {
                int end = pos + 1;
                while (end < src.length() && Character.isLetter(src.charAt(end))) {
                    end++;
                }
                return BIG.containsKey(src.substring(pos + 1, end));
            }
            return false;
        }

        private static String wrap(String row) {
            return "<mrow>" + row + "</mrow>";
        }

        /** A script or command argument: a group or one atom. */
        private String parseArgument() {
            skipSpace();
            if (pos >= src.length()) {
                throw error("missing argument");
            }
            return parseAtom();
        }

        private String parseGroup() {
            skipSpace();
            if (pos >= src.length() || src.charAt(pos) != '{') {
                throw error("expected '{'");
            }
            pos++;
            String row = parseRow();
            if (pos >= src.length() || src.charAt(pos) != '}') {
                throw error("missing '}'");
            }
            pos++;
            return row;
        }

        private String rawGroup() {
            skipSpace();
            if (pos >= src.length() || src.charAt(pos) != '{') {
                throw error("expected '{'");
            }
            int end = src.indexOf('}', pos);
            if (end < 0) {
                throw error("missing '}'");
            }
            String text = src.substring(pos + 1, end);
            pos = end + 1;
            return text;
        }

        private String parseAtom() {
            char c = src.charAt(pos);
            if (c == '{') {
                return wrap(parseGroup());
            }
            if (c == '\\') {
                return parseCommand();
            }
            if (Character.isDigit(c) || (c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
                int start = pos;
                while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) {
                    pos++;
                }
                return "<mn>" + src.substring(start, pos) + "</mn>";
            }
            if (Character.isLetter(c)) {
                pos++;
                return "<mi>" + escape(String.valueOf(c)) + "</mi>";
            }
            if (c == '}' || c == '^' || c == '_') {
                throw error("unexpected '" + c + "'");
            }
            pos++;
            String op = switch (c) {
                case '-' -> "−";
                case '*' -> "∗";
                default -> String.valueOf(c);
            };
            boolean fence = "()[]|".indexOf(c) >= 0;
            return "<mo" + (fence ? " stretchy=\"false\"" : "") + ">" + escape(op) + "</mo>";
        }

        private String parseCommand() {
            pos++; // the backslash
            if (pos >= src.length()) {
                throw error("a lone '\\'");
            }
            int start = pos;
            if (Character.isLetter(src.charAt(pos))) {
                while (pos < src.length() && Character.isLetter(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos++;
            }
            String name = src.substring(start, pos);
            if (SYMBOLS.containsKey(name)) {
                String s = SYMBOLS.get(name);
                return Character.isUpperCase(name.charAt(0)) && !"infty".equals(name)
                        ? "<mi mathvariant=\"normal\">" + s + "</mi>" : "<mi>" + s + "</mi>";
            }
            if (OPERATORS.containsKey(name)) {
                return "<mo>" + escape(OPERATORS.get(name)) + "</mo>";
            }
            if (BIG.containsKey(name)) {
                String s = BIG.get(name);
                return s.length() == 1 ? "<mo largeop=\"true\" movablelimits=\"false\">" + s + "</mo>"
                        : "<mo movablelimits=\"false\">" + s + "</mo>";
            }
            if (FUNCTIONS.contains(name)) {
                applied = true;
                return "<mi mathvariant=\"normal\">" + name + "</mi>";
            }
            if (SPACES.containsKey(name)) {
                return "<mspace width=\"" + SPACES.get(name) + "\"></mspace>";
            }
            if (ACCENTS.containsKey(name)) {
                return "<mover accent=\"true\">" + wrap(parseArgument()) + "<mo>" + ACCENTS.get(name) + "</mo></mover>";
            }
            return switch (name) {
                case "frac" -> {
                    boolean outer = display;
                    display = false; // text style inside a fraction: limits beside a sum, as TeX sets them
                    String num = parseArgument();
                    String den = parseArgument();
                    display = outer;
                    yield "<mfrac>" + wrap(num) + wrap(den) + "</mfrac>";
                }
                case "sqrt" -> {
                    skipSpace();
                    if (pos < src.length() && src.charAt(pos) == '[') {
                        int end = src.indexOf(']', pos);
                        if (end < 0) {
                            throw error("missing ']'");
                        }
                        String index = new Parser(src.substring(pos + 1, end), false).parseAll();
                        pos = end + 1;
                        yield "<mroot>" + wrap(parseArgument()) + wrap(index) + "</mroot>";
                    }
                    yield "<msqrt>" + parseArgument() + "</msqrt>";
                }
                case "left" -> {
                    String open = fence();
                    String inner = parseRow();
                    if (!src.startsWith("\\right", pos)) {
                        throw error("\\left without \\right");
                    }
                    pos += "\\right".length();
                    String close = fence();
                    yield "<mrow>" + open + inner + close + "</mrow>";
                }
                // MathML trims a token's outer spaces; TeX keeps them in \text, so they become no-break spaces
                case "text" -> "<mtext>" + escape(rawGroup()).replaceAll("^ +| +$", "\u00a0") + "</mtext>";
                case "mathrm" -> "<mi mathvariant=\"normal\">" + escape(rawGroup()) + "</mi>";
                case "operatorname" -> {
                    applied = true;
                    yield "<mi mathvariant=\"normal\">" + escape(rawGroup()) + "</mi>";
                }
                case "mathbf", "boldsymbol" -> "<mi>" + bold(rawGroup()) + "</mi>";
                case "mathbb" -> "<mi>" + doubleStruck(rawGroup()) + "</mi>";
                default -> throw error("unknown TeX command \\" + name);
            };
        }

        /** A function name is followed by a thin space, as in TeX, unless its argument is parenthesised. */
        private String thinSpaceUnlessParenthesis() {
            int p = pos;
            while (p < src.length() && Character.isWhitespace(src.charAt(p))) {
                p++;
            }
            boolean paren = p < src.length() && (src.charAt(p) == '(' || src.startsWith("\\left", p));
            return paren ? "" : "<mspace width=\"0.1667em\"></mspace>";
        }

        /** The delimiter after \left or \right ('.' for none). */
        private String fence() {
            skipSpace();
            if (pos >= src.length()) {
                throw error("missing delimiter");
            }
            char c = src.charAt(pos);
            String d;
            if (c == '\\') {
                int start = ++pos;
                while (pos < src.length() && Character.isLetter(src.charAt(pos))) {
                    pos++;
                }
                if (pos == start) {
                    pos++;
                }
                String name = src.substring(start, pos);
                d = OPERATORS.get(name);
                if (d == null) {
                    throw error("unknown delimiter \\" + name);
                }
            } else {
                pos++;
                d = c == '.' ? "" : String.valueOf(c);
            }
            return d.isEmpty() ? "" : "<mo stretchy=\"true\">" + escape(d) + "</mo>";
        }
    }

    /**
     * The equation as one line of plain Unicode text for a console: the same parse as {@link #block}
     * (so the same TeX is accepted and refused), then the MathML read back as text. Fractions become
     * {@code a/b} (parenthesised where a side has more than one term), scripts become Unicode sub- and
     * superscripts where every character has one ({@code z_k} as zₖ, {@code x^2} as x², {@code u^\top} as
     * uᵀ) and {@code _(...)} / {@code ^(...)} otherwise, relations get a space on each side.
     *
     * <pre>{@code
     * MathMl.plain("p_k = \\frac{e^{z_k}}{\\sum_{j=1}^{K} e^{z_j}}")  // "pₖ = e^(zₖ)/(∑ⱼ₌₁ᴷ e^(zⱼ))"
     * }</pre>
     */
    public static String plain(String tex) {
        String xml = block(tex);
        try {
            javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            org.w3c.dom.Element math = f.newDocumentBuilder()
                    .parse(new org.xml.sax.InputSource(new java.io.StringReader(xml))).getDocumentElement();
            org.w3c.dom.Element row = firstElement(firstElement(math)); // <math><semantics><mrow>
            String text = PlainText.of(row).replaceAll("(?<! ) {2,3}(?! )", " ").replaceAll(" {5,}", "    ").strip(); // adjacent spaced operators: one space
            return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC); // y + combining hat: one ŷ
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException | java.io.IOException e) {
            throw new IllegalStateException("MathMl.plain: the MathML of '" + tex + "' is not well-formed: " + e.getMessage(), e);
        }
    }

    private static final java.util.regex.Pattern INLINE = java.util.regex.Pattern.compile("\\$([^$]+)\\$");

    /** Text with its inline {@code $...$} math written as {@link #plain} text (for a console). */
    public static String plainInline(String text) {
        return INLINE.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(plain(m.group(1))));
    }

    private static org.w3c.dom.Element firstElement(org.w3c.dom.Node n) {
        for (org.w3c.dom.Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof org.w3c.dom.Element e) {
                return e;
            }
        }
        throw new IllegalStateException("MathMl.plain: <" + n.getNodeName() + "> has no element inside");
    }

    /** MathML back to one line of text (see {@link #plain}). */
    private static final class PlainText {
        private static final String SUB_FROM = "0123456789+-−=()aehijklmnoprstuvxβγρφχ";
        private static final String SUB_TO = "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ";
        private static final String SUP_FROM = "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθφχ⊤";
        private static final String SUP_TO = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᵠᵡᵀ";
        /** Operators set with a space on each side. */
        private static final java.util.Set<String> SPACED = java.util.Set.of("=", "≤", "≥", "≠", "≈", "∼", "≡", "∝",
                "→", "←", "⇒", "⇔", "↦", "∈", "∉", "+", "−", "±", "∓", "⪰", "⪯", "⊂", "<", ">");
        private static final Map<String, String> ACCENT_MARKS = Map.of("^", "\u0302", "¯", "\u0304", "~", "\u0303",
                "→", "\u20d7", "˙", "\u0307");

        static String of(org.w3c.dom.Element e) {
            String tag = e.getTagName();
            java.util.List<org.w3c.dom.Element> kids = new java.util.ArrayList<>();
            for (org.w3c.dom.Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof org.w3c.dom.Element k) {
                    kids.add(k);
                }
            }
            return switch (tag) {
                case "mi", "mn", "mtext" -> {
                    String text = e.getTextContent().replace('\u00a0', ' ');
                    // a function name (ln, softmax) after a term is set apart from it, as TeX's spacing does
                    boolean name = "normal".equals(e.getAttribute("mathvariant")) && text.length() > 1;
                    yield name && e.getPreviousSibling() instanceof org.w3c.dom.Element prev && !"mo".equals(prev.getTagName())
                            && !"mspace".equals(prev.getTagName()) ? " " + text : text;
                }
                case "mo" -> {
                    String op = e.getTextContent().replace("\u2061", ""); // function application: invisible
                    // a sign at the start or after another operator is unary: no spaces
                    boolean unary = !(e.getPreviousSibling() instanceof org.w3c.dom.Element prev)
                            || "mo".equals(prev.getTagName()) && ")]|‖".indexOf(prev.getTextContent()) < 0;
                    yield op.equals(",") ? ", " : SPACED.contains(op) && !unary ? " " + op + " " : op;
                }
                case "mspace" -> e.getAttribute("width").endsWith("em") && parseEm(e.getAttribute("width")) >= 1 ? "    " : " ";
                case "mfrac" -> operand(of(kids.get(0))) + "/" + operand(of(kids.get(1)));
                case "msqrt" -> "√" + operand(row(kids));
                case "mroot" -> "root(" + of(kids.get(1)) + ", " + of(kids.get(0)) + ")";
                case "msub", "munder" -> of(kids.get(0)) + script(of(kids.get(1)), SUB_FROM, SUB_TO, "_")
                        + (bigOperator(kids.get(0)) ? " " : "");
                case "msup" -> of(kids.get(0)) + script(of(kids.get(1)), SUP_FROM, SUP_TO, "^");
                case "mover" -> "true".equals(e.getAttribute("accent"))
                        ? of(kids.get(0)) + ACCENT_MARKS.getOrDefault(of(kids.get(1)), "")
                        : of(kids.get(0)) + script(of(kids.get(1)), SUP_FROM, SUP_TO, "^");
                case "msubsup", "munderover" -> of(kids.get(0)) + script(of(kids.get(1)), SUB_FROM, SUB_TO, "_")
                        + script(of(kids.get(2)), SUP_FROM, SUP_TO, "^") + (bigOperator(kids.get(0)) ? " " : "");
                default -> row(kids); // mrow and anything that only groups
            };
        }

        private static String row(java.util.List<org.w3c.dom.Element> kids) {
            StringBuilder b = new StringBuilder();
            for (org.w3c.dom.Element k : kids) {
                b.append(of(k));
            }
            return b.toString();
        }

        private static double parseEm(String w) {
            return Double.parseDouble(w.substring(0, w.length() - 2));
        }

        /** Whether a script's base is a big operator (sum, product, max, ...): its body follows after a space. */
        private static boolean bigOperator(org.w3c.dom.Element base) {
            return "mo".equals(base.getTagName()) && base.hasAttribute("movablelimits");
        }

        /** A fraction's side or a root's argument: parenthesised unless it is one term (nothing outside brackets splits it). */
        private static String operand(String s) {
            String t = s.strip();
            int depth = 0;
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                depth += "([{".indexOf(c) >= 0 ? 1 : ")]}".indexOf(c) >= 0 ? -1 : 0;
                if (depth == 0 && i > 0 && " /+−-,".indexOf(c) >= 0) {
                    return "(" + t + ")";
                }
            }
            return t;
        }

        /** A script in Unicode sub/superscript characters if each has one, else mark + (script). */
        private static String script(String s, String from, String to, String mark) {
            String t = s.replace(" ", "");
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < t.length(); i++) {
                int at = from.indexOf(t.charAt(i));
                if (at < 0 || Character.isSurrogate(t.charAt(i))) {
                    return mark + (t.codePointCount(0, t.length()) == 1 ? t : "(" + t + ")");
                }
                b.append(to.charAt(at));
            }
            return b.toString();
        }
    }

    /** Mathematical bold letters and digits (MathML Core renders {@code mathvariant} only as "normal"). */
    static String bold(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 'A' && c <= 'Z') {
                b.appendCodePoint(0x1D400 + c - 'A');
            } else if (c >= 'a' && c <= 'z') {
                b.appendCodePoint(0x1D41A + c - 'a');
            } else if (c >= '0' && c <= '9') {
                b.appendCodePoint(0x1D7CE + c - '0');
            } else {
                b.append(escape(String.valueOf(c)));
            }
        }
        return b.toString();
    }

    /** Double-struck capitals (R, N, Z, Q, C, ... as in the Unicode letterlike block). */
    static String doubleStruck(String s) {
        Map<Character, String> bmp = Map.of('C', "ℂ", 'H', "ℍ", 'N', "ℕ", 'P', "ℙ", 'Q', "ℚ", 'R', "ℝ", 'Z', "ℤ");
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (bmp.containsKey(c)) {
                b.append(bmp.get(c));
            } else if (c >= 'A' && c <= 'Z') {
                b.appendCodePoint(0x1D538 + c - 'A');
            } else {
                b.append(escape(String.valueOf(c)));
            }
        }
        return b.toString();
    }
}
