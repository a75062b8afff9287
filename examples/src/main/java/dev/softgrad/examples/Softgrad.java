package dev.softgrad.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import dev.softgrad.examples.grading.Checker;
import dev.softgrad.examples.grading.Exercise;
import dev.softgrad.examples.grading.ExerciseList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The examples' launcher: {@code softgrad list} prints one line per example and exercise,
 * {@code softgrad run NAME [--out DIR] [--quick] [--seed N] [-o key=value ...]} runs one and prints
 * where its report is, {@code softgrad check EXERCISE} compiles the student's stub and grades it
 * with the notebook's claims, {@code softgrad solution EXERCISE} shows and grades the solution.
 * Exit codes: 0 every claim held, 1 a claim failed, 2 a usage error (an unknown example or
 * {@code -o} key, a bad value, an unusable {@code --out}, a bad input file: one line on standard
 * error, no stack trace), 3 a bug (with its stack trace).
 */
@Command(name = "softgrad", mixinStandardHelpOptions = true, version = "softgrad 0.1.0",
        description = "Runnable, self-checking notebooks on the theory of softmax.",
        subcommands = {Softgrad.ListCommand.class, Softgrad.RunCommand.class, Softgrad.CheckCommand.class,
            Softgrad.SolutionCommand.class})
public final class Softgrad implements Callable<Integer> {

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /** {@code softgrad list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the examples and their -o options.")
    static final class ListCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            for (Example e : Examples.ALL) {
                System.out.printf("%-19s %s%n", e.name(), e.summary());
                for (ExampleOption<?> o : e.options()) {
                    System.out.printf("%-19s   -o %s%n", "", o.help());
                }
            }
            System.out.println();
            System.out.println("Exercises (edit examples/src/main/java/dev/softgrad/examples/exercises/CLASS.java,"
                    + " then 'softgrad check NAME'):");
            for (Exercise<?> x : ExerciseList.ALL) {
                System.out.printf("%-25s %-20s %s (notebook %s)%n", x.name(), x.className(), x.task(), x.notebook());
            }
            return 0;
        }
    }

    /** {@code softgrad run NAME}. */
    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run one example and write its report.")
    static final class RunCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the example (see 'list')")
        String name;

        @Option(names = "--out", description = "output folder (default: ${DEFAULT-VALUE})", defaultValue = "softgrad-out")
        Path out;

        @Option(names = "--quick", description = "a small, fast run with the same claims")
        boolean quick;

        @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})", defaultValue = "42")
        long seed;

        @Option(names = {"-o", "--option"}, description = "example option key=value, e.g. -o dataset=iris")
        Map<String, String> options = new LinkedHashMap<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Example e = Examples.byName(name).orElseThrow(() -> usage("unknown example '" + name + "'; 'softgrad list' shows the "
                    + Examples.ALL.size() + " examples"));
            checkOptions(e);
            checkOut(spec, out);
            try {
                e.run(new Settings(out, quick, seed, options, System.out));
                return EXIT_OK;
            } catch (Notebook.ClaimFailedException ex) {
                System.err.println("softgrad: " + ex.getMessage());
                return EXIT_CLAIM_FAILED;
            } catch (IllegalArgumentException | UncheckedIOException ex) {
                System.err.println("softgrad run " + name + ": " + ex.getMessage()
                        + (ex.getCause() != null && ex.getCause().getMessage() != null ? " (" + ex.getCause().getMessage() + ")" : ""));
                return EXIT_USAGE;
            }
        }

        private void checkOptions(Example e) {
            Map<String, ExampleOption<?>> known = e.options().stream()
                    .collect(Collectors.toMap(ExampleOption::key, o -> o, (a, b) -> a, LinkedHashMap::new));
            for (Map.Entry<String, String> o : options.entrySet()) {
                ExampleOption<?> opt = known.get(o.getKey());
                if (opt == null) {
                    throw usage("unknown option -o " + o.getKey() + " for " + name + (known.isEmpty() ? "; it takes no -o options"
                            : "; its options are " + String.join(", ", known.keySet()) + " ('softgrad list' describes them)"));
                }
                try {
                    opt.parse(o.getValue());
                } catch (IllegalArgumentException ex) {
                    throw usage(name + ": " + ex.getMessage());
                }
            }
        }

        private CommandLine.ParameterException usage(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    /** What check and solution take: the exercise, where its sources are, where reports go. */
    static final class ExerciseArguments {
        @Parameters(index = "0", paramLabel = "EXERCISE", description = "the exercise (see 'list')")
        String name;

        @Option(names = "--sources", description = "the source root of the exercises and solutions (default: ${DEFAULT-VALUE})",
                defaultValue = "examples/src/main/java")
        Path sources;

        @Option(names = "--out", description = "output folder (default: ${DEFAULT-VALUE})", defaultValue = "softgrad-out")
        Path out;

        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec spec;

        /** The named exercise, with the output folder checked; a usage error otherwise. */
        Exercise<?> exercise() {
            Exercise<?> x = ExerciseList.byName(name).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                    "unknown exercise '" + name + "'; 'softgrad list' shows the " + ExerciseList.ALL.size() + " exercises"));
            checkOut(spec, out);
            return x;
        }

        /** How a grading run reports: into --out, on standard output. */
        Settings settings() {
            return new Settings(out, true, 42, Map.of(), System.out);
        }
    }

    /** {@code softgrad check EXERCISE}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Compile your edited exercise stub and check the notebook's claims against it.")
    static final class CheckCommand implements Callable<Integer> {
        @CommandLine.Mixin
        ExerciseArguments a;

        @Override
        public Integer call() {
            Exercise<?> x = a.exercise();
            try {
                Checker.checkSource(x, a.sources, a.settings());
                System.out.println("All claims hold: well done.");
                return EXIT_OK;
            } catch (Notebook.ClaimFailedException ex) {
                System.err.println("softgrad: not yet: " + ex.getMessage());
                return EXIT_CLAIM_FAILED;
            } catch (Checker.CompileException ex) {
                System.err.println("softgrad: " + ex.getMessage());
                return EXIT_CLAIM_FAILED;
            } catch (IllegalArgumentException | UncheckedIOException ex) {
                System.err.println("softgrad check " + a.name + ": " + ex.getMessage());
                return EXIT_USAGE;
            }
        }
    }

    /** {@code softgrad solution EXERCISE}. */
    @Command(name = "solution", mixinStandardHelpOptions = true, description = "Show an exercise's solution and check it.")
    static final class SolutionCommand implements Callable<Integer> {
        @CommandLine.Mixin
        ExerciseArguments a;

        @Override
        public Integer call() {
            Exercise<?> x = a.exercise();
            Path source = a.sources.resolve(Exercise.sourcePath(x.solutionClass()));
            try {
                System.out.println("// " + source);
                System.out.println(Files.readString(source));
            } catch (IOException e) {
                System.out.println("(the source " + source + " is not here; the solution is the class " + x.solutionClass() + ")");
            }
            try {
                Checker.gradeSolution(x, a.settings());
                return EXIT_OK;
            } catch (Notebook.ClaimFailedException ex) {
                System.err.println("softgrad: " + ex.getMessage());
                return EXIT_CLAIM_FAILED;
            }
        }
    }

    /** Creates the output folder, or refuses it with one line (exit 2). */
    private static void checkOut(CommandLine.Model.CommandSpec spec, Path out) {
        try {
            Files.createDirectories(out);
            if (!Files.isWritable(out)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + " is not a writable folder");
            }
        } catch (IOException | SecurityException ex) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + " is not a usable folder ("
                    + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage()) + ")");
        }
    }

    /** Exit code: every claim held. */
    public static final int EXIT_OK = 0;
    /** Exit code: a claim did not hold. */
    public static final int EXIT_CLAIM_FAILED = 1;
    /** Exit code: a usage error (one line on standard error). */
    public static final int EXIT_USAGE = 2;
    /** Exit code: a bug in softgrad (its stack trace on standard error). */
    public static final int EXIT_BUG = 3;

    /** Runs the launcher and returns its exit code (for tests and for {@link Examples#main}). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Softgrad());
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("softgrad: " + ex.getMessage());
            c.getErr().println("(" + c.getCommandSpec().qualifiedName() + " --help shows the usage)");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("softgrad: a bug, please report it with this trace:");
            ex.printStackTrace(c.getErr());
            return EXIT_BUG;
        });
        return cl.execute(args);
    }

    /** The launcher's entry point. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
