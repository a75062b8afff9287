package dev.softgrad.examples.grading;

import dev.softgrad.examples.Notebook;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One grading run: claims about a student's implementation, checked and reported through a
 * {@link Notebook} (so a check writes the same report.md / report.html as a notebook). A check that
 * throws, as an untouched stub does with its TODO, fails its claim with the exception's message as
 * the evidence (so does one that loops for a minute), and grading goes on with the next claim.
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
    private final long timeoutMillis;

    /** Grades into this notebook. */
    public Grading(Notebook nb) {
        this(nb, TIMEOUT_SECONDS * 1000);
    }

    Grading(Notebook nb, long timeoutMillis) {
        this.nb = nb;
        this.timeoutMillis = timeoutMillis;
    }

    /** The notebook (for text, equations and figures). */
    public Notebook notebook() {
        return nb;
    }

    /** How long one claim may take before it fails as a probable endless loop. */
    public static final long TIMEOUT_SECONDS = 60;

    /**
     * Checks one claim; an exception fails it, naming what was thrown, and so does a check that gives
     * no answer within {@link #TIMEOUT_SECONDS} (it runs on a daemon thread, left behind).
     */
    public boolean claim(String statement, Check check) {
        Verdict v = verdict(statement, check);
        return nb.claim(statement, v.holds(), v.evidence());
    }

    /**
     * Checks a claim made by the notebook's own claim code (see {@code NotebookClaims}) on the
     * student's quantity: it is recorded with the notebook's statement; an exception or a time-out
     * fails it under {@code fallback}, the statement the grader gives it.
     */
    public boolean notebookClaim(String fallback, java.util.concurrent.Callable<Notebook.Claim> claim) {
        Notebook.Claim[] made = new Notebook.Claim[1];
        Verdict v = verdict(fallback, () -> {
            made[0] = claim.call();
            return new Verdict(made[0].holds(), made[0].evidence());
        });
        return nb.claim(made[0] == null ? fallback : made[0].statement() + " (the notebook's claim)", v.holds(), v.evidence());
    }

    private Verdict verdict(String statement, Check check) {
        Verdict v;
        FutureTask<Verdict> task = new FutureTask<>(check::run);
        Thread worker = new Thread(task, "grading: " + statement);
        worker.setDaemon(true);
        worker.start();
        try {
            v = task.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            v = new Verdict(false, "no answer within " + timeoutMillis / 1000.0 + " s: an endless loop?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            v = new Verdict(false, "interrupted");
        } catch (ExecutionException e) {
            v = thrown(e.getCause());
        }
        return v == null ? new Verdict(false, "the check gave no verdict") : v;
    }

    private static Verdict thrown(Throwable e) {
        if (e instanceof UnsupportedOperationException) {
            return new Verdict(false, "not implemented yet: " + e.getMessage());
        }
        return new Verdict(false, "threw " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
}
