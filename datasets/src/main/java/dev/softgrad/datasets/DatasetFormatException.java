package dev.softgrad.datasets;

/**
 * A data file (or an in-memory source) that does not hold what its format promises: a wrong magic
 * number, a header that disagrees with the data, a ragged CSV row, a non-number, a label out of
 * range, a truncated or corrupt gzip stream.
 *
 * <p>The message always names the source (usually the file), the place (line, column or byte
 * offset), what was expected and what was found. It is an {@link IllegalArgumentException}: the
 * bad thing is the input, not the machine.
 */
public class DatasetFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the source, the place, the expectation and the finding
     */
    public DatasetFormatException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, naming the source, the place, the expectation and the finding
     * @param cause   the low-level failure (for example a {@code ZipException} from a corrupt gzip)
     */
    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
