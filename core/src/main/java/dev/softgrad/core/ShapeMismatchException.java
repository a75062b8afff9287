package dev.softgrad.core;

/** Thrown when an operation receives operands whose shapes it cannot combine; the message names both. */
public class ShapeMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message names the operation and both shapes */
    public ShapeMismatchException(String message) {
        super(message);
    }
}
