package dev.softgrad.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * How an example runs.
 *
 * @param out     the folder under which the example writes its own folder
 * @param quick   a small, fast run (tests use it); the claims are the same
 * @param seed    the seed of every random choice
 * @param options example-specific options (name to value), e.g. {@code dataset=iris}
 * @param console where the steps are printed
 */
public record Settings(Path out, boolean quick, long seed, Map<String, String> options, PrintStream console) {
    /** Validates. */
    public Settings {
        if (out == null) {
            throw new IllegalArgumentException("Settings: out must be a folder, got null");
        }
        options = Map.copyOf(options == null ? Map.of() : options);
        console = console == null ? System.out : console;
    }

    /** An option's value, or the default. */
    public String option(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }
}
