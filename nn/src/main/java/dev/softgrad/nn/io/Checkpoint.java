package dev.softgrad.nn.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.nn.Activation;
import dev.softgrad.nn.Classifier;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.Mlp;
import dev.softgrad.nn.Module;
import dev.softgrad.nn.SoftmaxClassifier;
import dev.softgrad.nn.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saves and loads a {@link Classifier} (a {@link SoftmaxClassifier} or an {@link Mlp}) as a JSON
 * document: format version, softgrad version, architecture, where the model came from
 * ({@link Provenance}: training configuration, seed, SHA-256 of the training data) and the weights.
 *
 * <p><b>Weights</b> are the parameters in {@link Module#namedParameters()} order, each row-major,
 * as little-endian float32 or float64 bytes: bit-exact in both types, NaN and infinities included.
 * Small models ({@link Storage#AUTO}: up to {@value #INLINE_LIMIT} parameters) carry them inline as
 * Base64; larger ones in a raw file beside the JSON, {@code <name>.weights-<sha12>.bin}. Either way the
 * JSON holds the bytes' length and SHA-256, checked on load.
 *
 * <p><b>Writes are atomic</b>: each file is written to a temporary file in the same folder, forced to
 * disk and moved over the target with {@code ATOMIC_MOVE}; the weights file (named after its hash)
 * goes first, the JSON last, and the previous weights file is deleted only after the new JSON is in
 * place. A crash at any point leaves the previous checkpoint loadable.
 *
 * <p><b>Loading is strict</b>: the JSON is read as a tree (Jackson never instantiates a class named
 * in the file), with duplicate keys, trailing content, oversized strings and deep nesting refused;
 * every field is checked, the weights are checked against their length and hash, and the model is
 * returned only when everything fits. Any problem is a {@link CheckpointFormatException} naming the
 * file and the field: there is no half-loaded model.
 *
 * <pre>{@code
 * Checkpoint.save(model, Checkpoint.Provenance.of(config, train), Path.of("model.json"));
 * Checkpoint.Loaded back = Checkpoint.load(Path.of("model.json"));
 * int[] classes = back.model().predict(x);
 * }</pre>
 */
public final class Checkpoint {
    /** The format version this class writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The value of the {@code format} field. */
    public static final String FORMAT = "softgrad-checkpoint";
    /** {@link Storage#AUTO} keeps up to this many parameters inline. */
    public static final long INLINE_LIMIT = 65_536;
    private static final long MAX_JSON_BYTES = 256L << 20;
    private static final long MAX_PARAMETERS = 1L << 28;

    private Checkpoint() {
    }

    /** Where the weights go. */
    public enum Storage {
        /** Inline up to {@link #INLINE_LIMIT} parameters, otherwise a file. */
        AUTO,
        /** Base64 inside the JSON. */
        INLINE,
        /** A raw little-endian file beside the JSON. */
        FILE
    }

    /**
     * Where a model came from.
     *
     * @param trainingConfig the trainer's settings ({@link Trainer.Config#describe()}), plain values only
     * @param seed           the training seed
     * @param dataName       the training data set's name
     * @param dataSha256     {@link #dataHash(Dataset)} of the training data
     */
    public record Provenance(Map<String, Object> trainingConfig, long seed, String dataName, String dataSha256) {
        /** Validates and copies. */
        public Provenance {
            trainingConfig = trainingConfig == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(trainingConfig));
            Objects.requireNonNull(dataName, "Provenance: dataName must not be null");
            Objects.requireNonNull(dataSha256, "Provenance: dataSha256 must not be null");
        }

        /** The provenance of a model trained with {@code config} on {@code train}. */
        public static Provenance of(Trainer.Config config, Dataset train) {
            return new Provenance(config.describe(), config.seed(), train.name(), dataHash(train));
        }
    }

    /**
     * A loaded checkpoint.
     *
     * @param model           the model, in evaluation mode
     * @param provenance      where it came from
     * @param softgradVersion the softgrad version that wrote it
     */
    public record Loaded(Classifier model, Provenance provenance, String softgradVersion) {
    }

    /** The version of softgrad this is ("unknown" outside a Maven build). */
    public static String softgradVersion() {
        try (InputStream in = Checkpoint.class.getResourceAsStream("softgrad.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * SHA-256 (hex) of a data set's content: a header with N, D, K and the data type, the features as
     * little-endian bytes, the labels as little-endian int32. Independent of the name.
     */
    public static String dataHash(Dataset data) {
        MessageDigest md = sha256();
        ByteBuffer head = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        head.put("softgrad-data-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        head.putLong(data.size()).putLong(data.numFeatures()).putLong(data.numClasses());
        head.putInt(data.dataType() == DataType.FLOAT ? 4 : 8);
        md.update(head.array(), 0, head.position());
        md.update(littleEndian(data.features()));
        ByteBuffer labels = ByteBuffer.allocate(4 * data.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int y : data.labels()) {
            labels.putInt(y);
        }
        md.update(labels.array());
        return HexFormat.of().formatHex(md.digest());
    }

    /** Saves with {@link Storage#AUTO}. */
    public static void save(Classifier model, Provenance provenance, Path json) throws IOException {
        save(model, provenance, json, Storage.AUTO);
    }

    /** Saves {@code model} to {@code json} (and a weights file beside it when stored as a file), atomically. */
    public static void save(Classifier model, Provenance provenance, Path json, Storage storage) throws IOException {
        save(model, provenance, json, storage, UnaryOperator.identity());
    }

    /** As {@link #save(Classifier, Provenance, Path, Storage)}, with every output stream passed through {@code wrap} (tests inject failures here). */
    static void save(Classifier model, Provenance provenance, Path json, Storage storage, UnaryOperator<OutputStream> wrap)
            throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(storage, "storage");
        Path target = json.toAbsolutePath();
        Map<String, Tensor> params = model.namedParameters();
        DataType type = model.dataType();
        List<byte[]> blobs = new ArrayList<>();
        long total = 0;
        for (Tensor p : params.values()) {
            byte[] b = littleEndian(p.value());
            blobs.add(b);
            total += b.length;
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("save: the weights take " + total + " bytes, more than this format's 2 GiB");
        }
        ByteBuffer all = ByteBuffer.allocate((int) total);
        for (byte[] b : blobs) {
            all.put(b);
        }
        byte[] bytes = all.array();
        String sha = HexFormat.of().formatHex(sha256().digest(bytes));
        boolean inline = storage == Storage.INLINE || (storage == Storage.AUTO && model.parameterCount() <= INLINE_LIMIT);

        ObjectMapper mapper = writer();
        ObjectNode root = mapper.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("softgradVersion", softgradVersion());
        ObjectNode arch = root.putObject("model");
        if (model instanceof Mlp) {
            Mlp mlp = (Mlp) model;
            arch.put("type", "Mlp");
            ArrayNode h = arch.putArray("hidden");
            for (int w : mlp.hidden()) {
                h.add(w);
            }
            arch.put("activation", mlp.activation().name());
        } else if (model instanceof SoftmaxClassifier) {
            arch.put("type", "SoftmaxClassifier");
        } else {
            throw new IllegalArgumentException("save: only SoftmaxClassifier and Mlp can be saved, got " + model.getClass().getName());
        }
        arch.put("numFeatures", model.numFeatures());
        arch.put("numClasses", model.numClasses());
        arch.put("dataType", type == DataType.FLOAT ? "float32" : "float64");
        ObjectNode prov = root.putObject("provenance");
        prov.set("trainingConfig", mapper.valueToTree(provenance.trainingConfig()));
        prov.put("seed", provenance.seed());
        prov.put("dataName", provenance.dataName());
        prov.put("dataSha256", provenance.dataSha256());
        ArrayNode list = root.putArray("parameters");
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            ObjectNode p = list.addObject();
            p.put("name", e.getKey());
            ArrayNode shape = p.putArray("shape");
            for (long s : e.getValue().shape()) {
                shape.add(s);
            }
        }
        ObjectNode w = root.putObject("weights");
        w.put("byteOrder", "little-endian");
        w.put("bytes", bytes.length);
        w.put("sha256", sha);
        String base = target.getFileName().toString().replaceFirst("\\.json$", "");
        String weightsName = base + ".weights-" + sha.substring(0, 12) + ".bin";
        if (inline) {
            w.put("storage", "inline");
            w.put("base64", Base64.getEncoder().encodeToString(bytes));
        } else {
            w.put("storage", "file");
            w.put("file", weightsName);
            AtomicFiles.write(target.resolveSibling(weightsName), out -> {
                OutputStream o = wrap.apply(out);
                o.write(bytes);
                o.flush();
            });
        }
        byte[] doc = mapper.writeValueAsBytes(root);
        AtomicFiles.write(target, out -> {
            OutputStream o = wrap.apply(out);
            o.write(doc);
            o.write('\n');
            o.flush();
        });
        // the new checkpoint is in place: the weights files of earlier saves are now unreferenced
        try (DirectoryStream<Path> old = Files.newDirectoryStream(target.getParent(), base + ".weights-*.bin")) {
            for (Path f : old) {
                if (inline || !f.getFileName().toString().equals(weightsName)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /**
     * Loads a checkpoint.
     *
     * @throws CheckpointFormatException when the file is corrupt, truncated, of another format
     *                                   version, or its weights do not fit the architecture
     * @throws IOException               when the file cannot be read
     */
    public static Loaded load(Path json) throws IOException {
        Path file = json.toAbsolutePath();
        long size = Files.size(file);
        if (size > MAX_JSON_BYTES) {
            throw bad(file, "the file has " + size + " bytes, more than the " + MAX_JSON_BYTES + " a checkpoint may have");
        }
        JsonNode root;
        try {
            root = reader().readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new CheckpointFormatException("checkpoint " + file + ": not valid JSON (corrupt or truncated?): "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "expected a JSON object at the top, got " + (root == null ? "nothing" : root.getNodeType()));
        }
        String format = text(file, root, "format");
        if (!FORMAT.equals(format)) {
            throw bad(file, "field 'format': expected \"" + FORMAT + "\", got \"" + format + "\"");
        }
        int version = integer(file, root, "formatVersion", 1, Integer.MAX_VALUE);
        if (version != FORMAT_VERSION) {
            throw bad(file, "field 'formatVersion': this softgrad (" + softgradVersion() + ") reads format version "
                    + FORMAT_VERSION + ", the file has version " + version);
        }
        String writtenBy = text(file, root, "softgradVersion");

        JsonNode arch = object(file, root, "model");
        String type = text(file, arch, "type");
        int d = integer(file, arch, "numFeatures", 1, Integer.MAX_VALUE);
        int k = integer(file, arch, "numClasses", 2, Integer.MAX_VALUE);
        String dt = text(file, arch, "dataType");
        DataType dataType;
        if (dt.equals("float32")) {
            dataType = DataType.FLOAT;
        } else if (dt.equals("float64")) {
            dataType = DataType.DOUBLE;
        } else {
            throw bad(file, "field 'model.dataType': expected \"float32\" or \"float64\", got \"" + dt + "\"");
        }
        int[] hidden = new int[0];
        Activation activation = null;
        if (type.equals("Mlp")) {
            JsonNode h = field(file, arch, "hidden");
            if (!h.isArray() || h.size() > 64) {
                throw bad(file, "field 'model.hidden': expected an array of at most 64 widths, got " + h);
            }
            hidden = new int[h.size()];
            for (int i = 0; i < hidden.length; i++) {
                if (!h.get(i).canConvertToInt() || !h.get(i).isIntegralNumber() || h.get(i).intValue() < 1) {
                    throw bad(file, "field 'model.hidden[" + i + "]': expected an integer >= 1, got " + h.get(i));
                }
                hidden[i] = h.get(i).intValue();
            }
            String a = text(file, arch, "activation");
            try {
                activation = Activation.valueOf(a);
            } catch (IllegalArgumentException e) {
                throw bad(file, "field 'model.activation': expected one of " + java.util.Arrays.toString(Activation.values())
                        + ", got \"" + a + "\"");
            }
        } else if (!type.equals("SoftmaxClassifier")) {
            throw bad(file, "field 'model.type': expected \"SoftmaxClassifier\" or \"Mlp\", got \"" + type + "\"");
        }
        long count = 0;
        int in = d;
        for (int i = 0; i <= hidden.length; i++) {
            int out = i < hidden.length ? hidden[i] : k;
            count += (long) in * out + out;
            in = out;
            if (count > MAX_PARAMETERS) {
                throw bad(file, "the architecture has more than " + MAX_PARAMETERS + " parameters");
            }
        }

        JsonNode prov = object(file, root, "provenance");
        JsonNode cfg = object(file, prov, "trainingConfig");
        @SuppressWarnings("unchecked")
        Map<String, Object> config = reader().convertValue(cfg, LinkedHashMap.class);
        Provenance provenance = new Provenance(config, longValue(file, prov, "seed"), text(file, prov, "dataName"),
                text(file, prov, "dataSha256"));

        // build a fresh model, then check every name and shape before any weight is read into it
        Classifier model = type.equals("Mlp") ? new Mlp(d, hidden, k, activation, Init.zeros(), dataType)
                : new SoftmaxClassifier(d, k, Init.zeros(), dataType);
        JsonNode list = field(file, root, "parameters");
        Map<String, Tensor> params = model.namedParameters();
        if (!list.isArray() || list.size() != params.size()) {
            throw bad(file, "field 'parameters': expected " + params.size() + " entries for this architecture, got "
                    + (list.isArray() ? list.size() + " entries" : list.getNodeType()));
        }
        int i = 0;
        long expectedBytes = 0;
        int width = dataType == DataType.FLOAT ? 4 : 8;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            JsonNode p = list.get(i);
            String name = text(file, p, "name");
            if (!name.equals(e.getKey())) {
                throw bad(file, "field 'parameters[" + i + "].name': expected \"" + e.getKey() + "\", got \"" + name + "\"");
            }
            JsonNode shape = field(file, p, "shape");
            long[] want = e.getValue().shape();
            boolean same = shape.isArray() && shape.size() == want.length;
            for (int j = 0; same && j < want.length; j++) {
                same = shape.get(j).isIntegralNumber() && shape.get(j).asLong() == want[j];
            }
            if (!same) {
                throw bad(file, "parameter '" + name + "': shape " + shape + " does not fit the architecture, which needs "
                        + java.util.Arrays.toString(want));
            }
            expectedBytes += e.getValue().value().length() * width;
            i++;
        }

        JsonNode w = object(file, root, "weights");
        String order = text(file, w, "byteOrder");
        if (!order.equals("little-endian")) {
            throw bad(file, "field 'weights.byteOrder': expected \"little-endian\", got \"" + order + "\"");
        }
        long declared = longValue(file, w, "bytes");
        if (declared != expectedBytes) {
            throw bad(file, "field 'weights.bytes': the architecture needs " + expectedBytes + " bytes of " + dt
                    + ", the file declares " + declared);
        }
        String sha = text(file, w, "sha256");
        String storage = text(file, w, "storage");
        byte[] bytes;
        if (storage.equals("inline")) {
            try {
                bytes = Base64.getDecoder().decode(text(file, w, "base64"));
            } catch (IllegalArgumentException e) {
                throw bad(file, "field 'weights.base64': not valid Base64: " + e.getMessage());
            }
        } else if (storage.equals("file")) {
            String name = text(file, w, "file");
            if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
                throw bad(file, "field 'weights.file': expected a plain file name beside the checkpoint, got \"" + name + "\"");
            }
            Path blob = file.resolveSibling(name);
            if (!Files.isRegularFile(blob)) {
                throw bad(file, "weights file " + blob + " is missing");
            }
            long blobSize = Files.size(blob);
            if (blobSize != expectedBytes) {
                throw bad(file, "weights file " + blob + " has " + blobSize + " bytes, expected " + expectedBytes
                        + " (truncated or not this checkpoint's)");
            }
            bytes = Files.readAllBytes(blob);
        } else {
            throw bad(file, "field 'weights.storage': expected \"inline\" or \"file\", got \"" + storage + "\"");
        }
        if (bytes.length != expectedBytes) {
            throw bad(file, "the weights have " + bytes.length + " bytes, expected " + expectedBytes);
        }
        String actual = HexFormat.of().formatHex(sha256().digest(bytes));
        if (!actual.equalsIgnoreCase(sha)) {
            throw bad(file, "the weights' SHA-256 is " + actual + ", the checkpoint says " + sha + " (corrupt weights)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor p : params.values()) {
            INDArray v = p.value();
            int n = Math.toIntExact(v.length());
            if (dataType == DataType.FLOAT) {
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
        model.eval();
        return new Loaded(model, provenance, writtenBy);
    }

    // ------------------------------------------------------------------ helpers

    private static ObjectMapper writer() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static ObjectMapper reader() {
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength((int) MAX_JSON_BYTES)
                        .maxNestingDepth(32)
                        .maxNumberLength(64)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        ObjectMapper m = new ObjectMapper(f);
        m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.configure(JsonParser.Feature.ALLOW_COMMENTS, false);
        return m;
    }

    private static CheckpointFormatException bad(Path file, String message) {
        return new CheckpointFormatException("checkpoint " + file + ": " + message);
    }

    private static JsonNode field(Path file, JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            throw bad(file, "missing field '" + name + "'");
        }
        return n;
    }

    private static JsonNode object(Path file, JsonNode parent, String name) {
        JsonNode n = field(file, parent, name);
        if (!n.isObject()) {
            throw bad(file, "field '" + name + "': expected an object, got " + n.getNodeType());
        }
        return n;
    }

    private static String text(Path file, JsonNode parent, String name) {
        JsonNode n = field(file, parent, name);
        if (!n.isTextual()) {
            throw bad(file, "field '" + name + "': expected a string, got " + n.getNodeType());
        }
        return n.textValue();
    }

    private static long longValue(Path file, JsonNode parent, String name) {
        JsonNode n = field(file, parent, name);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw bad(file, "field '" + name + "': expected an integer, got " + n);
        }
        return n.longValue();
    }

    private static int integer(Path file, JsonNode parent, String name, int min, int max) {
        long v = longValue(file, parent, name);
        if (v < min || v > max) {
            throw bad(file, "field '" + name + "': expected an integer in [" + min + ", " + max + "], got " + v);
        }
        return (int) v;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The array's elements, row-major, as little-endian bytes. */
    static byte[] littleEndian(INDArray a) {
        INDArray c = a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length() ? a : a.dup('c');
        int n = Math.toIntExact(c.length());
        if (c.dataType() == DataType.FLOAT) {
            ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(c.data().asNioFloat());
            return b.array();
        } else if (c.dataType() == DataType.DOUBLE) {
            ByteBuffer b = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(c.data().asNioDouble());
            return b.array();
        }
        throw new IllegalArgumentException("expected float32 or float64, got " + c.dataType());
    }

}
