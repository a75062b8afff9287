package dev.softgrad.examples.grading;

import dev.softgrad.examples.Notebook;
import java.util.Locale;

/**
 * One grading run: claims about a student's implementation, checked and reported through a
 * {@link Notebook} (so a check writes the same report.md / report.html as a notebook). A check that
 * throws, as an untouched stub does with its TODO, fails its claim with the exception's message as
 * the evidence, and grading goes on with the next claim.
 */
public final class Grading {

    /** A claim's outcome. */
    public record Verdict(boolean holds, String evidence) {
        /** Formats the evidence printf-style (Locale.ROOT). */
        public static Verdict of(boolean holds, String format, Object... args) {
            return new Verdict(holds, String.format(Locale.ROOT, format, args));
        }
    }

    /** A check that may throw. */
    @FunctionalInterface
    public interface Check {
        /** Computes the verdict. */
        Verdict run() throws Exception;
    }

    private final Notebook nb;

    /** Grades into this notebook. */
    public Grading(Notebook nb) {
        this.nb = nb;
    }

    /** The notebook (for text, equations and figures). */
    public Notebook notebook() {
        return nb;
    }

    /** Checks one claim; an exception fails it, naming what was thrown. */
    public boolean claim(String statement, Check check) {
        Verdict v;
        try {
            v = check.run();
        } catch (UnsupportedOperationException e) {
            v = new Verdict(false, "not implemented yet: " + e.getMessage());
        } catch (Exception | StackOverflowError e) {
            v = new Verdict(false, "threw " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        if (v == null) {
            v = new Verdict(false, "the check gave no verdict");
        }
        return nb.claim(statement, v.holds(), v.evidence());
    }
}
