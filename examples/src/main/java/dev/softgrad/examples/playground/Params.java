package dev.softgrad.examples.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The parameters of one API request (a JSON object, or a query string read as one) with typed,
 * bounded getters. A missing parameter takes its default; a present one of the wrong kind or out of
 * its bounds is a {@link BadRequest} naming the parameter, the bounds and the value that came. Bounds
 * here only limit sizes and pick from lists; what the library checks itself (a temperature &gt; 0, an
 * eps in [0, 1), finite logits) is left to the library, so that its message is the one shown.
 */
public final class Params {
    private final JsonNode node;

    /** The parameters of a JSON request body (an object). */
    public Params(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new BadRequest("the request body must be a JSON object, got " + (node == null ? "nothing" : node.getNodeType()));
        }
        this.node = node;
    }

    /** The parameters of a query string, each value a string. */
    public static Params of(Map<String, String> query) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        query.forEach(o::put);
        return new Params(o);
    }

    /** Whether the parameter is present. */
    public boolean has(String name) {
        return node.hasNonNull(name);
    }

    /**
     * A number (a JSON number or a numeric string; NaN and infinities pass, for the library to judge).
     * With finite bounds, a value outside [min, max] (or NaN) is refused.
     */
    public double number(String name, double defaultValue, double min, double max) {
        if (!has(name)) {
            return defaultValue;
        }
        double v = parse(name, node.get(name));
        if ((Double.isFinite(min) || Double.isFinite(max)) && !(v >= min && v <= max)) {
            throw new BadRequest(name + " must be a number in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    /** An integer in [min, max]. */
    public int integer(String name, int defaultValue, int min, int max) {
        if (!has(name)) {
            return defaultValue;
        }
        double v = parse(name, node.get(name));
        if (v != Math.rint(v) || v < min || v > max) {
            throw new BadRequest(name + " must be an integer in [" + min + ", " + max + "], got " + node.get(name).asText());
        }
        return (int) v;
    }

    /** A list of numbers of length in [minLength, maxLength] (entries as {@link #number} passes them). */
    public double[] numbers(String name, int minLength, int maxLength) {
        JsonNode a = node.get(name);
        if (a == null || !a.isArray()) {
            throw new BadRequest(name + " must be a list of numbers, got " + (a == null ? "nothing" : a.getNodeType()));
        }
        if (a.size() < minLength || a.size() > maxLength) {
            throw new BadRequest(name + " must have between " + minLength + " and " + maxLength + " entries, got " + a.size());
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = parse(name + "[" + i + "]", a.get(i));
        }
        return out;
    }

    /** One of the allowed words. */
    public String choice(String name, String defaultValue, List<String> allowed) {
        if (!has(name)) {
            return defaultValue;
        }
        String v = node.get(name).asText();
        if (!allowed.contains(v)) {
            throw new BadRequest(name + " must be one of " + allowed + ", got '" + v + "'");
        }
        return v;
    }

    /** A boolean (JSON true/false or the strings "true"/"false"). */
    public boolean flag(String name, boolean defaultValue) {
        if (!has(name)) {
            return defaultValue;
        }
        String v = node.get(name).asText();
        if (!v.equals("true") && !v.equals("false")) {
            throw new BadRequest(name + " must be true or false, got '" + v + "'");
        }
        return v.equals("true");
    }

    private static double parse(String name, JsonNode v) {
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            String s = v.asText().trim();
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new BadRequest(name + " must be a number, got '" + s + "'");
            }
        }
        throw new BadRequest(name + " must be a number, got " + v.getNodeType());
    }
}
