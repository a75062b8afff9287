package dev.softgrad.core;

/**
 * Thrown by {@link Tensor#backward()} when the graph it must traverse was already freed by an
 * earlier backward pass. Pass {@code retainGraph = true} to the first backward to keep it.
 */
public class GraphFreedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message names the freed operation */
    public GraphFreedException(String message) {
        super(message);
    }
}
