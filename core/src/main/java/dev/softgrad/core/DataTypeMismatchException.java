package dev.softgrad.core;

/**
 * Thrown when an operation receives operands of different data types (float32 and float64):
 * softgrad never converts silently. Convert explicitly with {@link Tensor#cast}.
 */
public class DataTypeMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message names the operation and both data types */
    public DataTypeMismatchException(String message) {
        super(message);
    }
}
