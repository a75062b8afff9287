package dev.softgrad.nn.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Standardizer;
import dev.softgrad.nn.Activation;
import dev.softgrad.nn.Classifier;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.Predictor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads a checkpoint strictly, in the order that lets nothing large happen before the file has
 * shown it holds what it claims: the document, the header, the architecture (bounded by the
 * {@link Checkpoint.Limits} save uses), the provenance, the parameter list, then the weights, whose
 * claimed size is checked against the characters or bytes actually present before they are decoded;
 * only then is a model built and filled. Format versions 1 and 2 differ only in {@code model.init}
 * (required from version 2).
 */
final class CheckpointReader {
    private final Path file;

    private CheckpointReader(Path file) {
        this.file = file;
    }

    static Checkpoint.Loaded load(Path json, Checkpoint.Limits limits) throws IOException {
        CheckpointReader r = new CheckpointReader(json.toAbsolutePath());
        JsonNode root = r.document(limits);
        int version = r.header(root);
        Architecture arch = r.architecture(r.object(root, "model"), version, limits);
        Checkpoint.Provenance provenance = r.provenance(r.object(root, "provenance"));
        r.parameters(r.field(root, "parameters"), arch);
        byte[] weights = r.weights(r.object(root, "weights"), arch);
        Classifier model = arch.build();
        fill(model, weights, arch.dataType());
        Predictor predictor = root.has("predictor") ? r.predictor(r.object(root, "predictor"), model) : Predictor.of(model);
        return new Checkpoint.Loaded(model, arch.init(), provenance, r.text(root, "softgradVersion"), version, predictor);
    }

    /**
     * The weights file a checkpoint names, or null when it keeps them inline (used by save to find
     * the one file the previous version of a checkpoint referenced). Throws when the file is not a
     * checkpoint.
     */
    static String sidecarName(Path json, Checkpoint.Limits limits) throws IOException {
        if (!Files.isRegularFile(json)) {
            return null;
        }
        CheckpointReader r = new CheckpointReader(json.toAbsolutePath());
        JsonNode w = r.object(r.document(limits), "weights");
        return r.text(w, "storage").equals("file") ? r.plainFileName(r.text(w, "file")) : null;
    }

    // ------------------------------------------------------------------ the steps

    private JsonNode document(Checkpoint.Limits limits) throws IOException {
        long size = Files.size(file);
        if (size > limits.maxJsonBytes()) {
            throw bad("the file has " + size + " bytes, more than the " + limits.maxJsonBytes() + " a checkpoint may have");
        }
        JsonNode root;
        try {
            root = reader(limits).readTree(Files.readAllBytes(file));
        } catch (JacksonException e) {
            throw new CheckpointFormatException("checkpoint " + file + ": not valid JSON (corrupt or truncated?): "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw bad("expected a JSON object at the top, got " + (root == null ? "nothing" : root.getNodeType()));
        }
        return root;
    }

    private int header(JsonNode root) {
        String format = text(root, "format");
        if (!Checkpoint.FORMAT.equals(format)) {
            throw bad("field 'format': expected \"" + Checkpoint.FORMAT + "\", got \"" + format + "\"");
        }
        int version = integer(root, "formatVersion", 1, Integer.MAX_VALUE);
        if (version != 1 && version != Checkpoint.FORMAT_VERSION) {
            throw bad("field 'formatVersion': this softgrad (" + Checkpoint.softgradVersion() + ") reads format versions 1 to "
                    + Checkpoint.FORMAT_VERSION + ", the file has version " + version);
        }
        return version;
    }

    private Architecture architecture(JsonNode arch, int version, Checkpoint.Limits limits) {
        String type = text(arch, "type");
        if (!type.equals("Mlp") && !type.equals("SoftmaxClassifier")) {
            throw bad("field 'model.type': expected \"SoftmaxClassifier\" or \"Mlp\", got \"" + type + "\"");
        }
        int d = integer(arch, "numFeatures", 1, Integer.MAX_VALUE);
        int k = integer(arch, "numClasses", 2, Integer.MAX_VALUE);
        String dt = text(arch, "dataType");
        if (!dt.equals("float32") && !dt.equals("float64")) {
            throw bad("field 'model.dataType': expected \"float32\" or \"float64\", got \"" + dt + "\"");
        }
        DataType dataType = dt.equals("float32") ? DataType.FLOAT : DataType.DOUBLE;
        int[] hidden = new int[0];
        Activation activation = null;
        if (type.equals("Mlp")) {
            JsonNode h = field(arch, "hidden");
            if (!h.isArray() || h.size() > limits.maxHiddenLayers()) {
                throw bad("field 'model.hidden': expected an array of at most " + limits.maxHiddenLayers() + " widths, got "
                        + (h.isArray() ? h.size() + " widths" : h.getNodeType()));
            }
            hidden = new int[h.size()];
            for (int i = 0; i < hidden.length; i++) {
                if (!h.get(i).isIntegralNumber() || !h.get(i).canConvertToInt() || h.get(i).intValue() < 1) {
                    throw bad("field 'model.hidden[" + i + "]': expected an integer >= 1, got " + h.get(i));
                }
                hidden[i] = h.get(i).intValue();
            }
            activation = activation(text(arch, "activation"));
        }
        Init init = version == 1 ? null : init(object(arch, "init"));
        Architecture a = new Architecture(type.equals("Mlp"), d, k, hidden, activation, dataType, init);
        try {
            a.checkLimits("checkpoint " + file, limits);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(e.getMessage());
        }
        return a;
    }

    private Activation activation(String a) {
        try {
            return Activation.valueOf(a);
        } catch (IllegalArgumentException e) {
            throw bad("field 'model.activation': expected one of " + Arrays.toString(Activation.values()) + ", got \"" + a + "\"");
        }
    }

    private Init init(JsonNode node) {
        String kind = text(node, "kind");
        Init.Kind k;
        try {
            k = Init.Kind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw bad("field 'model.init.kind': expected one of " + Arrays.toString(Init.Kind.values()) + ", got \"" + kind + "\"");
        }
        JsonNode scale = field(node, "scale");
        if (!scale.isNumber()) {
            throw bad("field 'model.init.scale': expected a number, got " + scale);
        }
        try {
            return new Init(k, scale.doubleValue(), longValue(node, "seed"));
        } catch (IllegalArgumentException e) {
            throw bad("field 'model.init': " + e.getMessage());
        }
    }

    private Checkpoint.Provenance provenance(JsonNode prov) {
        JsonNode cfg = object(prov, "trainingConfig");
        @SuppressWarnings("unchecked")
        Map<String, Object> config = new ObjectMapper().convertValue(cfg, LinkedHashMap.class);
        return new Checkpoint.Provenance(config, longValue(prov, "seed"), text(prov, "dataName"), text(prov, "dataSha256"));
    }

    /** Every name and shape as the architecture has them, in order. */
    private void parameters(JsonNode list, Architecture arch) {
        List<Architecture.Parameter> want = arch.parameters();
        if (!list.isArray() || list.size() != want.size()) {
            throw bad("field 'parameters': expected " + want.size() + " entries for this architecture, got "
                    + (list.isArray() ? list.size() + " entries" : list.getNodeType()));
        }
        for (int i = 0; i < want.size(); i++) {
            Architecture.Parameter p = want.get(i);
            String name = text(list.get(i), "name");
            if (!name.equals(p.name())) {
                throw bad("field 'parameters[" + i + "].name': expected \"" + p.name() + "\", got \"" + name + "\"");
            }
            JsonNode shape = field(list.get(i), "shape");
            boolean same = shape.isArray() && shape.size() == p.shape().length;
            for (int j = 0; same && j < p.shape().length; j++) {
                same = shape.get(j).isIntegralNumber() && shape.get(j).asLong() == p.shape()[j];
            }
            if (!same) {
                throw bad("parameter '" + name + "': shape " + shape + " does not fit the architecture, which needs "
                        + Arrays.toString(p.shape()));
            }
        }
    }

    /** The weights' bytes, after their claimed size was checked against what is present, and their hash. */
    private byte[] weights(JsonNode w, Architecture arch) throws IOException {
        String order = text(w, "byteOrder");
        if (!order.equals("little-endian")) {
            throw bad("field 'weights.byteOrder': expected \"little-endian\", got \"" + order + "\"");
        }
        long expected = arch.parameterCount(Long.MAX_VALUE) * arch.width();
        long declared = longValue(w, "bytes");
        if (declared != expected) {
            throw bad("field 'weights.bytes': the architecture needs " + expected + " bytes of "
                    + (arch.width() == 4 ? "float32" : "float64") + ", the file declares " + declared);
        }
        String storage = text(w, "storage");
        byte[] bytes;
        if (storage.equals("inline")) {
            String b64 = text(w, "base64");
            long needed = 4 * ((expected + 2) / 3);
            if (b64.length() != needed) {
                throw bad("field 'weights.base64': " + expected + " bytes take " + needed + " Base64 characters, the field holds "
                        + b64.length() + " (truncated, or sizes that lie)");
            }
            try {
                bytes = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw bad("field 'weights.base64': not valid Base64: " + e.getMessage());
            }
        } else if (storage.equals("file")) {
            Path blob = file.resolveSibling(plainFileName(text(w, "file")));
            if (!Files.isRegularFile(blob)) {
                throw bad("weights file " + blob + " is missing");
            }
            long size = Files.size(blob);
            if (size != expected) {
                throw bad("weights file " + blob + " has " + size + " bytes, expected " + expected
                        + " (truncated or not this checkpoint's)");
            }
            bytes = Files.readAllBytes(blob);
        } else {
            throw bad("field 'weights.storage': expected \"inline\" or \"file\", got \"" + storage + "\"");
        }
        if (bytes.length != expected) {
            throw bad("the weights have " + bytes.length + " bytes, expected " + expected);
        }
        String sha = text(w, "sha256");
        String actual = HexFormat.of().formatHex(Checkpoint.sha256().digest(bytes));
        if (!actual.equalsIgnoreCase(sha)) {
            throw bad("the weights' SHA-256 is " + actual + ", the checkpoint says " + sha + " (corrupt weights)");
        }
        return bytes;
    }

    /** The section {@code predictor}: the model's class names, temperature and standardizer. */
    private Predictor predictor(JsonNode node, Classifier model) {
        JsonNode names = field(node, "classNames");
        if (!names.isArray() || names.size() != model.numClasses()) {
            throw bad("field 'predictor.classNames': expected an array of " + model.numClasses() + " names (the model's classes), got "
                    + (names.isArray() ? names.size() + " entries" : names.getNodeType()));
        }
        List<String> classNames = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).isTextual()) {
                throw bad("field 'predictor.classNames[" + i + "]': expected a string, got " + names.get(i).getNodeType());
            }
            classNames.add(names.get(i).textValue());
        }
        JsonNode t = field(node, "temperature");
        if (!t.isNumber()) {
            throw bad("field 'predictor.temperature': expected a number, got " + t.getNodeType());
        }
        JsonNode st = object(node, "standardizer");
        double[] mean = numbers(st, "mean", "predictor.standardizer.mean", model.numFeatures());
        double[] scale = numbers(st, "scale", "predictor.standardizer.scale", model.numFeatures());
        try {
            return new Predictor(model, Standardizer.of(mean, scale), classNames, t.doubleValue());
        } catch (IllegalArgumentException e) {
            throw bad("field 'predictor': " + e.getMessage());
        }
    }

    /** An array of exactly {@code n} numbers. */
    private double[] numbers(JsonNode parent, String name, String path, int n) {
        JsonNode a = field(parent, name);
        if (!a.isArray() || a.size() != n) {
            throw bad("field '" + path + "': expected an array of " + n + " numbers (the model's features), got "
                    + (a.isArray() ? a.size() + " entries" : a.getNodeType()));
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            if (!a.get(i).isNumber()) {
                throw bad("field '" + path + "[" + i + "]': expected a number, got " + a.get(i).getNodeType());
            }
            out[i] = a.get(i).doubleValue();
        }
        return out;
    }

    /** A file name in the checkpoint's own folder: the characters save uses, no leading dot, no path. */
    private String plainFileName(String name) {
        if (!name.matches("[A-Za-z0-9._-]{1,255}") || name.startsWith(".")) {
            throw bad("field 'weights.file': expected a plain file name beside the checkpoint, got \"" + name + "\"");
        }
        return name;
    }

    private static void fill(Classifier model, byte[] bytes, DataType type) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor p : model.namedParameters().values()) {
            INDArray v = p.value();
            int n = Math.toIntExact(v.length());
            if (type == DataType.FLOAT) {
                java.nio.FloatBuffer src = buf.asFloatBuffer();
                src.limit(n);
                v.data().asNioFloat().put(src);
                buf.position(buf.position() + 4 * n);
            } else {
                java.nio.DoubleBuffer src = buf.asDoubleBuffer();
                src.limit(n);
                v.data().asNioDouble().put(src);
                buf.position(buf.position() + 8 * n);
            }
        }
    }

    // ------------------------------------------------------------------ strict fields

    private static ObjectMapper reader(Checkpoint.Limits limits) {
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, limits.maxJsonBytes()))
                        .maxNestingDepth(32)
                        .maxNumberLength(64)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        ObjectMapper m = new ObjectMapper(f);
        m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        m.configure(JsonParser.Feature.ALLOW_COMMENTS, false);
        return m;
    }

    private CheckpointFormatException bad(String message) {
        return new CheckpointFormatException("checkpoint " + file + ": " + message);
    }

    private JsonNode field(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            throw bad("missing field '" + name + "'");
        }
        return n;
    }

    private JsonNode object(JsonNode parent, String name) {
        JsonNode n = field(parent, name);
        if (!n.isObject()) {
            throw bad("field '" + name + "': expected an object, got " + n.getNodeType());
        }
        return n;
    }

    private String text(JsonNode parent, String name) {
        JsonNode n = field(parent, name);
        if (!n.isTextual()) {
            throw bad("field '" + name + "': expected a string, got " + n.getNodeType());
        }
        return n.textValue();
    }

    private long longValue(JsonNode parent, String name) {
        JsonNode n = field(parent, name);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw bad("field '" + name + "': expected an integer, got " + n);
        }
        return n.longValue();
    }

    private int integer(JsonNode parent, String name, int min, int max) {
        long v = longValue(parent, name);
        if (v < min || v > max) {
            throw bad("field '" + name + "': expected an integer in [" + min + ", " + max + "], got " + v);
        }
        return (int) v;
    }
}
