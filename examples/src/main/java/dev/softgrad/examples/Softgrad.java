package dev.softgrad.examples;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The examples' launcher: {@code softgrad list} prints one line per example, {@code softgrad run
 * NAME [--out DIR] [--quick] [--seed N] [-o key=value ...]} runs one and prints where its report is.
 * A claim that does not hold ends the run with exit code 1; a bad option with exit code 2 and the usage.
 */
@Command(name = "softgrad", mixinStandardHelpOptions = true, version = "softgrad 0.1.0",
        description = "Runnable, self-checking notebooks on the theory of softmax.",
        subcommands = {Softgrad.ListCommand.class, Softgrad.RunCommand.class})
public final class Softgrad implements Callable<Integer> {

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /** {@code softgrad list}. */
    @Command(name = "list", description = "List the examples.")
    static final class ListCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            for (Example e : Examples.ALL) {
                System.out.printf("%-19s %s%n", e.name(), e.summary());
            }
            return 0;
        }
    }

    /** {@code softgrad run NAME}. */
    @Command(name = "run", description = "Run one example and write its report.")
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
        Map<String, String> options = new HashMap<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Example e = Examples.byName(name).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                    "unknown example '" + name + "'; 'softgrad list' shows the " + Examples.ALL.size() + " examples"));
            try {
                e.run(new Settings(out, quick, seed, options, System.out));
                return 0;
            } catch (Notebook.ClaimFailedException ex) {
                System.err.println(ex.getMessage());
                return 1;
            }
        }
    }

    /** Runs the launcher and returns its exit code (for tests and for {@link Examples#main}). */
    public static int execute(String... args) {
        return new CommandLine(new Softgrad()).execute(args);
    }

    /** The launcher's entry point. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
