package dev.softgrad.nn.io;

/**
 * A checkpoint file that cannot be loaded: corrupt or truncated JSON, an unknown format version, a
 * missing or ill-typed field, a weights blob whose size or SHA-256 does not match, or shapes that do
 * not fit the architecture. The message names the file, the field and what was expected.
 */
public class CheckpointFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public CheckpointFormatException(String message) {
        super(message);
    }

    /** With a message and a cause. */
    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
