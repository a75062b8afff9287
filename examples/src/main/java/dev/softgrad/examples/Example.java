package dev.softgrad.examples;

import java.util.List;

/**
 * A runnable, self-checking notebook: it prints its steps, writes its figures and report, and
 * checks its claims ({@link Notebook}). Every example is listed in {@link Examples#ALL} and runs from
 * the launcher ({@link Softgrad}) or its own {@code main}.
 */
public interface Example {
    /** The short name used by the launcher ({@code softgrad run NAME}). */
    String name();

    /** One line on what the example shows. */
    String summary();

    /** The {@code -o key=value} options it accepts (the launcher refuses any other key). */
    default List<ExampleOption<?>> options() {
        return List.of();
    }

    /** Runs the example; throws {@link Notebook.ClaimFailedException} if a claim does not hold. */
    Notebook.Result run(Settings settings);
}
