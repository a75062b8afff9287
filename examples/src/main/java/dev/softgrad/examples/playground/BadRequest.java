package dev.softgrad.examples.playground;

/** A request the playground refuses; the server answers HTTP 400 with this message. */
public final class BadRequest extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** A refusal with a message that names the parameter, what was expected and what came. */
    public BadRequest(String message) {
        super(message);
    }
}
