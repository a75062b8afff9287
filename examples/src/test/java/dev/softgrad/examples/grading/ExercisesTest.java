package dev.softgrad.examples.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.examples.Notebook;
import dev.softgrad.examples.Settings;
import dev.softgrad.examples.Softgrad;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every solution passes its grader; every untouched stub fails it with the stub's TODO as the
 * evidence; {@code check} grades the source as edited, not a stale class; a wrong implementation
 * fails the claim that is about its mistake.
 */
class ExercisesTest {
    /** The module's sources (Maven runs the tests in the module's folder). */
    static final Path SOURCES = Path.of("src", "main", "java");

    @TempDir
    Path tmp;

    static Stream<Exercise<?>> exercises() {
        return ExerciseList.ALL.stream();
    }

    /** Runs the launcher with its console output swallowed. */
    private static int launch(String... args) {
        PrintStream old = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return Softgrad.execute(args);
        } finally {
            System.setOut(old);
        }
    }

    private Settings quiet() {
        return new Settings(tmp, true, 1, Map.of(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void sourcesArePresent() {
        assertTrue(Files.isDirectory(SOURCES.resolve("dev/softgrad/examples/exercises")), "run from the examples module");
    }

    @ParameterizedTest
    @MethodSource("exercises")
    void theSolutionPassesItsGrader(Exercise<?> x) {
        Notebook.Result r = Checker.gradeSolution(x, quiet());
        assertTrue(r.claims().size() >= 3, x.name() + " is graded by at least three claims");
        r.claims().forEach(c -> assertTrue(c.holds(), x.name() + ": " + c));
    }

    @ParameterizedTest
    @MethodSource("exercises")
    void theUntouchedStubFailsEveryClaimWithItsTodo(Exercise<?> x) throws ClassNotFoundException {
        Object stub = x.instantiate(Class.forName(x.stubClass()));
        Notebook.ClaimFailedException e = assertThrows(Notebook.ClaimFailedException.class, () -> grade(x, stub));
        assertTrue(e.getMessage().contains("check-" + x.name()), e.getMessage());
        assertFalse(e.claims().isEmpty());
        for (Notebook.Claim c : e.claims()) {
            assertFalse(c.holds(), c.toString());
            assertTrue(c.evidence().startsWith("not implemented yet: TODO: implement " + x.className() + "."), c.evidence());
        }
    }

    @SuppressWarnings("unchecked")
    private <T> void grade(Exercise<T> x, Object impl) {
        Checker.grade(x, (T) impl, "the stub", quiet());
    }

    @Test
    void checkCompilesTheSourceAsEditedNotTheStaleClass() throws IOException {
        Path root = tmp.resolve("src");
        Path stubs = root.resolve("dev/softgrad/examples/exercises");
        Files.createDirectories(stubs);
        for (Exercise<?> x : ExerciseList.ALL) {
            String solution = Files.readString(SOURCES.resolve(Exercise.sourcePath(x.solutionClass())));
            Files.writeString(stubs.resolve(x.className() + ".java"),
                    solution.replace("package " + Exercise.SOLUTIONS + ";", "package " + Exercise.STUBS + ";"));
        }
        // the class path holds the untouched stub, which fails; the edited source passes
        Notebook.Result r = Checker.checkSource(ExerciseList.byName("cross-entropy-gradient").orElseThrow(), root, quiet());
        r.claims().forEach(c -> assertTrue(c.holds(), c.toString()));
        assertEquals(0, launch("check", "margin-form", "--sources", root.toString(), "--out", tmp.toString()));
    }

    @Test
    void checkOfTheRealStubsFailsWithTheTodoAndExitCode1() {
        Notebook.ClaimFailedException e = assertThrows(Notebook.ClaimFailedException.class,
                () -> Checker.checkSource(ExerciseList.byName("stable-softmax").orElseThrow(), SOURCES, quiet()));
        assertTrue(e.getMessage().contains("6 of 6 claims failed"), e.getMessage());
        assertEquals(1, launch("check", "log-sum-exp", "--sources", SOURCES.toString(), "--out", tmp.toString()));
        assertEquals(2, launch("check", "no-such-exercise", "--out", tmp.toString()));
    }

    @Test
    void aStubThatDoesNotCompileIsReportedByFileAndLine() throws IOException {
        Path stubs = tmp.resolve("src/dev/softgrad/examples/exercises");
        Files.createDirectories(stubs);
        Files.writeString(stubs.resolve("LogSumExp.java"), """
                package dev.softgrad.examples.exercises;

                public final class LogSumExp implements dev.softgrad.examples.grading.Tasks.LogSumExp {
                    public double logSumExp(double[] z) {
                        return Math.log(sum(z))
                    }
                }
                """);
        Checker.CompileException e = assertThrows(Checker.CompileException.class,
                () -> Checker.checkSource(ExerciseList.byName("log-sum-exp").orElseThrow(), tmp.resolve("src"), quiet()));
        assertTrue(e.getMessage().contains("LogSumExp.java:5: ';' expected"), e.getMessage());
    }

    @Test
    void aMissingStubIsNamedWithWhereItWasLookedFor() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checker.checkSource(ExerciseList.byName("log-sum-exp").orElseThrow(), tmp, quiet()));
        assertTrue(e.getMessage().contains("expected the stub's source at"), e.getMessage());
    }

    @Test
    void aSoftmaxWithoutTheMaxShiftFailsTheOverflowClaimsOnly() {
        Tasks.Softmax naive = z -> {
            double[] p = new double[z.length];
            double s = 0;
            for (int k = 0; k < z.length; k++) {
                p[k] = Math.exp(z[k]);
                s += p[k];
            }
            for (int k = 0; k < z.length; k++) {
                p[k] /= s;
            }
            return p;
        };
        Exercise<Tasks.Softmax> x = softmaxExercise();
        Notebook nb = Notebook.open("naive", "naive softmax", quiet());
        x.grader().grade(naive, new Grading(nb));
        List<Notebook.Claim> claims = finishQuietly(nb);
        // the notebook's own shift claim (c up to 92) is made for float32, where e^92 overflows: in float64 the naive formula
        // passes it, and only the grader's overflow claims (c = 1000, z = 800) catch it
        assertEquals(List.of(true, true, true, true, false, false), claims.stream().map(Notebook.Claim::holds).toList(),
                claims.toString());
        assertTrue(claims.get(0).statement().endsWith("(the notebook's claim)"), claims.get(0).statement());
        assertTrue(claims.get(5).evidence().contains("NaN"), "e^800 / e^800 = inf / inf: " + claims.get(5).evidence());
    }

    @Test
    void aMarginFormWithoutLog1pLosesTheLargeMargin() {
        Tasks.MarginLoss naive = (z, c) -> {
            double s = 0;
            for (int j = 0; j < z.length; j++) {
                s += j == c ? 0 : Math.exp(z[j] - z[c]);
            }
            return Math.log(1 + s);
        };
        @SuppressWarnings("unchecked")
        Exercise<Tasks.MarginLoss> x = (Exercise<Tasks.MarginLoss>) ExerciseList.byName("margin-form").orElseThrow();
        Notebook nb = Notebook.open("naive-margin", "naive margin", quiet());
        x.grader().grade(naive, new Grading(nb));
        List<Notebook.Claim> claims = finishQuietly(nb);
        assertTrue(claims.get(0).holds(), "moderate logits are fine: " + claims.get(0));
        assertFalse(claims.get(1).holds(), "ln(1 + 5.8e-22) rounds to 0: " + claims.get(1));
        assertFalse(claims.get(2).holds(), "e^800 overflows: " + claims.get(2));
    }

    @SuppressWarnings("unchecked")
    private <T> List<Notebook.Claim> gradeWith(String exercise, T impl) {
        Exercise<T> x = (Exercise<T>) ExerciseList.byName(exercise).orElseThrow();
        Notebook nb = Notebook.open("wrong-" + exercise, "a wrong " + exercise, quiet());
        x.grader().grade(impl, new Grading(nb));
        return finishQuietly(nb);
    }

    @Test
    void aMarginSlopeWrittenAsOneMinusPcLosesTheLargeMarginOnly() {
        Tasks.MarginSlope oneMinusP = (m, k) -> {
            double[] z = new double[k];
            z[0] = m;
            double max = Math.max(m, 0);
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            return -(1 - Math.exp(m - max) / sum);
        };
        List<Notebook.Claim> claims = gradeWith("margin-slope", oneMinusP);
        assertEquals(List.of(true, true, true, false), claims.stream().map(Notebook.Claim::holds).toList(), claims.toString());
    }

    @Test
    void aLogOfSoftmaxFailsWhereTheProbabilityUnderflows() {
        Tasks.LogSoftmax logOfSoftmax = z -> java.util.Arrays.stream(new dev.softgrad.examples.solutions.StableSoftmax().softmax(z))
                .map(Math::log).toArray();
        List<Notebook.Claim> claims = gradeWith("log-softmax", logOfSoftmax);
        assertTrue(claims.get(0).holds(), claims.get(0).toString());
        assertFalse(claims.get(3).holds(), "ln(e^-805 / ...) = ln 0 = -inf: " + claims.get(3));
        assertTrue(claims.get(3).evidence().contains("-Infinity"), claims.get(3).evidence());
    }

    @Test
    void aHessianVectorProductWithoutTheRankOneTermFailsTheNotebooksClaim() {
        Tasks.HessianVectorProduct diagonalOnly = (z, v) -> {
            double[] p = new dev.softgrad.examples.solutions.StableSoftmax().softmax(z);
            double[] hv = new double[z.length];
            for (int k = 0; k < z.length; k++) {
                hv[k] = p[k] * v[k];
            }
            return hv;
        };
        List<Notebook.Claim> claims = gradeWith("hessian-vector-product", diagonalOnly);
        assertTrue(claims.get(0).statement().endsWith("(the notebook's claim)"), claims.get(0).statement());
        assertFalse(claims.get(0).holds(), claims.get(0).toString());
        assertFalse(claims.get(2).holds(), "diag(p) 1 = p, not 0: " + claims.get(2));
    }

    @Test
    void anEndlessLoopFailsItsClaimAndGradingGoesOn() {
        Tasks.LogSumExp endless = z -> {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
            }
            return 0;
        };
        @SuppressWarnings("unchecked")
        Exercise<Tasks.LogSumExp> x = (Exercise<Tasks.LogSumExp>) ExerciseList.byName("log-sum-exp").orElseThrow();
        Notebook nb = Notebook.open("endless", "endless", quiet());
        x.grader().grade(endless, new Grading(nb, 200));
        List<Notebook.Claim> claims = finishQuietly(nb);
        assertEquals(4, claims.size(), "every claim was checked");
        for (Notebook.Claim c : claims) {
            assertFalse(c.holds());
            assertEquals("no answer within 0.2 s: an endless loop?", c.evidence());
        }
    }

    @Test
    void aStackOverflowFailsItsClaimWithItsName() {
        Tasks.Softmax recursive = new Tasks.Softmax() {
            @Override
            public double[] softmax(double[] z) {
                return softmax(z);
            }
        };
        Notebook nb = Notebook.open("overflow", "overflow", quiet());
        softmaxExercise().grader().grade(recursive, new Grading(nb));
        List<Notebook.Claim> claims = finishQuietly(nb);
        assertTrue(claims.stream().allMatch(c -> !c.holds() && c.evidence().equals("threw StackOverflowError")), claims.toString());
    }

    @SuppressWarnings("unchecked")
    private static Exercise<Tasks.Softmax> softmaxExercise() {
        return (Exercise<Tasks.Softmax>) ExerciseList.byName("stable-softmax").orElseThrow();
    }

    private static List<Notebook.Claim> finishQuietly(Notebook nb) {
        try {
            return nb.finish().claims();
        } catch (Notebook.ClaimFailedException e) {
            return e.claims();
        }
    }
}
