package dev.softgrad.examples;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One {@code -o key=value} option an example accepts: its key, default, a line of help and the
 * parser that turns the text into a value or refuses it with a message naming the key, what was
 * expected and what came. The launcher checks every {@code -o} against the example's
 * {@link Example#options()} before the run (an unknown key is refused with the list of known ones);
 * the example reads the value with {@link #get(Settings)}.
 *
 * <pre>{@code
 * static final ExampleOption<Integer> EPOCHS = ExampleOption.positiveInt("epochs", 30, "epochs of SGD");
 * int epochs = EPOCHS.get(settings);
 * }</pre>
 *
 * @param <T> the value's type
 */
public final class ExampleOption<T> {
    private final String key;
    private final String defaultText;
    private final String help;
    private final Function<String, T> parser;

    private ExampleOption(String key, String defaultText, String help, Function<String, T> parser) {
        this.key = key;
        this.defaultText = defaultText;
        this.help = help;
        this.parser = parser;
    }

    /** A whole number of at least 1. */
    public static ExampleOption<Integer> positiveInt(String key, int defaultValue, String help) {
        return new ExampleOption<>(key, String.valueOf(defaultValue), help, text -> {
            int v;
            try {
                v = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw refused(key, "a whole number >= 1", text);
            }
            if (v < 1) {
                throw refused(key, "a whole number >= 1", text);
            }
            return v;
        });
    }

    /** A finite number greater than 0. */
    public static ExampleOption<Double> positiveReal(String key, double defaultValue, String help) {
        return new ExampleOption<>(key, String.valueOf(defaultValue), help, text -> {
            double v;
            try {
                v = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw refused(key, "a finite number > 0", text);
            }
            if (!(v > 0) || Double.isInfinite(v)) {
                throw refused(key, "a finite number > 0", text);
            }
            return v;
        });
    }

    /** One of the given words. */
    public static ExampleOption<String> choice(String key, String defaultValue, String help, String... values) {
        List<String> allowed = List.of(values);
        return new ExampleOption<>(key, defaultValue, help + " (" + String.join(", ", allowed) + ")", text -> {
            if (!allowed.contains(text)) {
                throw refused(key, "one of " + String.join(", ", allowed), text);
            }
            return text;
        });
    }

    /** A path (it need not exist yet; the example says what it reads there). */
    public static ExampleOption<Path> path(String key, String defaultValue, String help) {
        return new ExampleOption<>(key, defaultValue, help, text -> {
            if (text.isBlank()) {
                throw refused(key, "a path", text);
            }
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw refused(key, "a path", text);
            }
        });
    }

    private static IllegalArgumentException refused(String key, String expected, String got) {
        return new IllegalArgumentException(String.format(Locale.ROOT, "option %s must be %s, got '%s'", key, expected, got));
    }

    /** The key after {@code -o}. */
    public String key() {
        return key;
    }

    /** The default value as text. */
    public String defaultText() {
        return defaultText;
    }

    /** One line of help, with the default. */
    public String help() {
        return key + "=" + defaultText + "  " + help;
    }

    /** Parses a value, or throws IllegalArgumentException naming the key, what was expected and what came. */
    public T parse(String text) {
        if (text == null) {
            throw refused(key, "a value", "null");
        }
        return parser.apply(text);
    }

    /** The value in these settings, or the default. */
    public T get(Settings settings) {
        return parse(settings.option(key, defaultText));
    }

    /** Whether the settings give this option explicitly. */
    public boolean isSet(Settings settings) {
        return settings.options().containsKey(key);
    }
}
