package dev.softgrad.nn.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.nn.Classifier;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.Module;
import dev.softgrad.nn.Predictor;
import dev.softgrad.nn.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saves and loads a {@link Classifier} (a {@link dev.softgrad.nn.SoftmaxClassifier} or an
 * {@link dev.softgrad.nn.Mlp}) as a JSON document: format version, softgrad version, architecture
 * (with the {@link Init} the weights started from), where the model came from ({@link Provenance}:
 * training configuration, seed, SHA-256 of the training data) and the weights. Saved from a
 * {@link Predictor}, it also holds what prediction on raw rows needs (section {@code predictor}:
 * the class names, the temperature and the fitted standardizer's mean and scale, every number
 * written so that it reads back bit for bit), and {@link Loaded#predictor()} gives all of it back.
 *
 * <p><b>Weights</b> are the parameters in {@link Module#namedParameters()} order, each row-major,
 * as little-endian float32 or float64 bytes: bit-exact in both types, NaN and infinities included.
 * Small models ({@link Storage#AUTO}: up to {@value #INLINE_LIMIT} parameters) carry them inline as
 * Base64; larger ones in a raw file beside the JSON, named {@code <name>.<h>.weights-<sha12>.bin}:
 * the JSON's name made safe ([A-Za-z0-9_-], at most 64 characters), 8 hex digits of the hash of
 * the JSON's exact name (so two checkpoints never share a weights file) and 12 of the weights'
 * SHA-256. Either way the JSON holds the bytes' length and SHA-256, checked on load.
 *
 * <p><b>Whatever {@code save} accepts, {@code load} reads back</b>: any file name, and the same
 * {@link Limits} on both sides (at most {@value #MAX_HIDDEN_LAYERS} hidden layers,
 * {@value #MAX_PARAMETERS} parameters, a JSON of {@value #MAX_JSON_BYTES} bytes), checked by
 * {@code save} before anything is written.
 *
 * <p><b>Writes are atomic and serialised</b>: a save holds a lock on the target (a JVM lock and a
 * file lock on {@code .<name>.<h>.lock} beside it, which stays), so that two threads or two
 * processes saving to one path take turns and the last one wins with a loadable checkpoint. Under
 * the lock it removes the temporary files an earlier, killed save of the same target left, writes
 * the weights file (named after its hash), then the JSON, each atomically
 * ({@link AtomicFiles}: files get the mode the umask gives), and only then deletes the one weights
 * file that the previous version of this checkpoint named. A crash at any point leaves the previous
 * checkpoint loadable.
 *
 * <p><b>Loading is strict</b> ({@link CheckpointReader}): the JSON is read as a tree (Jackson never
 * instantiates a class named in the file), with duplicate keys, trailing content, oversized strings
 * and deep nesting refused; every field is checked, the sizes the file claims are checked against
 * the bytes present before any model is built, the weights against their length and hash, and the
 * model is returned only when everything fits. Any problem is a {@link CheckpointFormatException}
 * naming the file and the field: there is no half-loaded model. Files of format version 1 (written
 * before the {@code init} field existed) still load.
 *
 * <pre>{@code
 * Checkpoint.save(model, Checkpoint.Provenance.of(config, train), Path.of("model.json"));
 * Checkpoint.Loaded back = Checkpoint.load(Path.of("model.json"));
 * int[] classes = back.model().predict(x);
 *
 * Checkpoint.save(new Predictor(model, scaler, data.classNames(), temperature), provenance, Path.of("model.json"));
 * List<String> names = Checkpoint.load(Path.of("model.json")).predictor().predictNames(rows);
 * }</pre>
 */
public final class Checkpoint {
    /** The format version this class writes (it reads this one and version 1). */
    public static final int FORMAT_VERSION = 2;
    /** The value of the {@code format} field. */
    public static final String FORMAT = "softgrad-checkpoint";
    /** {@link Storage#AUTO} keeps up to this many parameters inline. */
    public static final long INLINE_LIMIT = 65_536;
    /** The largest checkpoint JSON, in bytes, that save writes and load reads. */
    public static final long MAX_JSON_BYTES = 256L << 20;
    /** The most parameters a checkpoint may hold. */
    public static final long MAX_PARAMETERS = 1L << 28;
    /** The most hidden layers an {@link dev.softgrad.nn.Mlp} in a checkpoint may have. */
    public static final int MAX_HIDDEN_LAYERS = 1024;

    private static final int SIDECAR_NAME_CHARS = 64;
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

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
     * The limits save and load share (tests use smaller ones).
     *
     * @param maxJsonBytes    the largest JSON document
     * @param maxParameters   the most parameters
     * @param maxHiddenLayers the most hidden layers
     */
    record Limits(long maxJsonBytes, long maxParameters, int maxHiddenLayers) {
        static final Limits DEFAULT = new Limits(MAX_JSON_BYTES, MAX_PARAMETERS, MAX_HIDDEN_LAYERS);
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
     * @param model           the model, built with the recorded {@link Init} and then given the saved weights
     * @param init            how the saved model's weights were initialised; null for a format-version-1 file,
     *                        which did not record it (the model then reports {@link Init#zeros()})
     * @param provenance      where it came from
     * @param softgradVersion the softgrad version that wrote it
     * @param formatVersion   the file's format version
     * @param predictor       the model with the standardizer, class names and temperature saved with it; a
     *                        checkpoint saved from a bare model gives {@link Predictor#of(Classifier)}
     */
    public record Loaded(Classifier model, Init init, Provenance provenance, String softgradVersion, int formatVersion,
                         Predictor predictor) {
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
        head.put("softgrad-data-v1".getBytes(StandardCharsets.US_ASCII));
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

    /**
     * Saves a predictor's model with its standardizer, class names and temperature, as one checkpoint,
     * with {@link Storage#AUTO}; otherwise as {@link #save(Classifier, Provenance, Path, Storage)}.
     */
    public static void save(Predictor predictor, Provenance provenance, Path json) throws IOException {
        Objects.requireNonNull(predictor, "predictor");
        save(predictor.model(), predictor, provenance, json, Storage.AUTO, UnaryOperator.identity(), Limits.DEFAULT);
    }

    /**
     * Saves {@code model} to {@code json} (and a weights file beside it when stored as a file), atomically.
     *
     * @throws IllegalArgumentException when the model is of another type or past the {@link Limits} (nothing is written)
     */
    public static void save(Classifier model, Provenance provenance, Path json, Storage storage) throws IOException {
        save(model, provenance, json, storage, UnaryOperator.identity(), Limits.DEFAULT);
    }

    /**
     * As {@link #save(Classifier, Provenance, Path, Storage)}, with every output stream passed through
     * {@code wrap} (tests inject failures here) and the given limits.
     */
    static void save(Classifier model, Provenance provenance, Path json, Storage storage, UnaryOperator<OutputStream> wrap,
            Limits limits) throws IOException {
        save(model, null, provenance, json, storage, wrap, limits);
    }

    /** The one save: {@code parts} (may be null) is the predictor whose parts go with the model. */
    private static void save(Classifier model, Predictor parts, Provenance provenance, Path json, Storage storage,
            UnaryOperator<OutputStream> wrap, Limits limits) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(json, "json");
        Path target = json.toAbsolutePath();
        Architecture arch = Architecture.of(model);
        arch.checkLimits("save", limits);
        byte[] weights = weightBytes(model);
        String sha = HexFormat.of().formatHex(sha256().digest(weights));
        boolean inline = storage == Storage.INLINE || (storage == Storage.AUTO && model.parameterCount() <= INLINE_LIMIT);
        String sidecar = inline ? null : sidecarPrefix(target) + sha.substring(0, 12) + ".bin";
        byte[] doc = document(arch, provenance, weights, sha, sidecar, parts);
        if (doc.length > limits.maxJsonBytes()) {
            throw new IllegalArgumentException("save: the checkpoint's JSON would take " + doc.length + " bytes, more than the "
                    + limits.maxJsonBytes() + " that load reads; save the weights as a file (Storage.FILE or AUTO)");
        }
        try (TargetLock lock = TargetLock.acquire(target)) {
            String tmpPrefix = AtomicFiles.tempPrefix(target);
            AtomicFiles.removeLeftovers(target, tmpPrefix);
            String previous = previousSidecar(target, limits);
            if (sidecar != null) {
                AtomicFiles.write(target.resolveSibling(sidecar), tmpPrefix + "w.", out -> writeAll(wrap, out, weights));
            }
            AtomicFiles.write(target, tmpPrefix, out -> writeAll(wrap, out, doc));
            // the new checkpoint is in place: the weights file the previous version named is unreferenced
            if (previous != null && !previous.equals(sidecar)) {
                Files.deleteIfExists(target.resolveSibling(previous));
            }
        }
    }

    /**
     * Loads a checkpoint (format version {@value #FORMAT_VERSION} or 1).
     *
     * @throws CheckpointFormatException when the file is corrupt, truncated, of another format
     *                                   version, or its weights do not fit the architecture
     * @throws IOException               when the file cannot be read
     */
    public static Loaded load(Path json) throws IOException {
        return CheckpointReader.load(json, Limits.DEFAULT);
    }

    // ------------------------------------------------------------------ save, step by step

    /** The parameters' values, in order, as one little-endian byte array. */
    static byte[] weightBytes(Module model) {
        long total = 0;
        for (Tensor p : model.namedParameters().values()) {
            total += p.value().length() * (p.dataType() == DataType.FLOAT ? 4 : 8);
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("save: the weights take " + total + " bytes, more than this format's 2 GiB");
        }
        ByteBuffer all = ByteBuffer.allocate((int) total);
        for (Tensor p : model.namedParameters().values()) {
            all.put(littleEndian(p.value()));
        }
        return all.array();
    }

    /** The JSON document: header, architecture, provenance, parameter names and shapes, weights. */
    private static byte[] document(Architecture arch, Provenance provenance, byte[] weights, String sha, String sidecar,
            Predictor parts) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("softgradVersion", softgradVersion());
        ObjectNode m = root.putObject("model");
        m.put("type", arch.type());
        if (arch.mlp()) {
            ArrayNode h = m.putArray("hidden");
            for (int w : arch.hidden()) {
                h.add(w);
            }
            m.put("activation", arch.activation().name());
        }
        m.put("numFeatures", arch.numFeatures());
        m.put("numClasses", arch.numClasses());
        m.put("dataType", arch.dataType() == DataType.FLOAT ? "float32" : "float64");
        ObjectNode init = m.putObject("init");
        init.put("kind", arch.init().kind().name());
        init.put("scale", arch.init().scale());
        init.put("seed", arch.init().seed());
        ObjectNode prov = root.putObject("provenance");
        prov.set("trainingConfig", mapper.valueToTree(provenance.trainingConfig()));
        prov.put("seed", provenance.seed());
        prov.put("dataName", provenance.dataName());
        prov.put("dataSha256", provenance.dataSha256());
        if (parts != null) {
            ObjectNode pr = root.putObject("predictor");
            ArrayNode names = pr.putArray("classNames");
            parts.classNames().forEach(names::add);
            pr.put("temperature", parts.temperature());
            ObjectNode st = pr.putObject("standardizer");
            ArrayNode mean = st.putArray("mean");
            ArrayNode scale = st.putArray("scale");
            for (double v : parts.standardizer().mean()) {
                mean.add(v);
            }
            for (double v : parts.standardizer().scale()) {
                scale.add(v);
            }
        }
        ArrayNode list = root.putArray("parameters");
        for (Architecture.Parameter p : arch.parameters()) {
            ObjectNode e = list.addObject();
            e.put("name", p.name());
            ArrayNode shape = e.putArray("shape");
            for (long s : p.shape()) {
                shape.add(s);
            }
        }
        ObjectNode w = root.putObject("weights");
        w.put("byteOrder", "little-endian");
        w.put("bytes", weights.length);
        w.put("sha256", sha);
        if (sidecar == null) {
            w.put("storage", "inline");
            w.put("base64", Base64.getEncoder().encodeToString(weights));
        } else {
            w.put("storage", "file");
            w.put("file", sidecar);
        }
        byte[] body = mapper.writeValueAsBytes(root);
        byte[] doc = java.util.Arrays.copyOf(body, body.length + 1);
        doc[body.length] = '\n';
        return doc;
    }

    private static void writeAll(UnaryOperator<OutputStream> wrap, OutputStream out, byte[] bytes) throws IOException {
        OutputStream o = wrap.apply(out);
        o.write(bytes);
        o.flush();
    }

    /**
     * The start of the name of every weights file of the checkpoint {@code json}: its name without
     * {@code .json}, made safe, a dot, 8 hex digits of the exact name's SHA-256, {@code .weights-}.
     */
    static String sidecarPrefix(Path json) {
        String name = json.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return AtomicFiles.safeName(base, SIDECAR_NAME_CHARS) + "." + AtomicFiles.nameHash(name) + ".weights-";
    }

    /**
     * The weights file the checkpoint now at {@code json} names, if it is one of this checkpoint's
     * own (by the name rule of this version or of version 1); null when there is none, or the file
     * is not a readable checkpoint (then nothing is deleted).
     */
    private static String previousSidecar(Path json, Limits limits) {
        String named;
        try {
            named = CheckpointReader.sidecarName(json, limits);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (named == null) {
            return null;
        }
        String name = json.getFileName().toString();
        String v1 = name.replaceFirst("\\.json$", "") + ".weights-";
        return named.startsWith(sidecarPrefix(json)) || named.startsWith(v1) ? named : null;
    }

    /** A JVM lock and a file lock on one target, held while a save runs. */
    private static final class TargetLock implements AutoCloseable {
        private final ReentrantLock jvm;
        private final FileChannel channel;
        private final FileLock file;

        private TargetLock(ReentrantLock jvm, FileChannel channel, FileLock file) {
            this.jvm = jvm;
            this.channel = channel;
            this.file = file;
        }

        static TargetLock acquire(Path target) throws IOException {
            ReentrantLock jvm = LOCKS.computeIfAbsent(target.normalize(), p -> new ReentrantLock());
            jvm.lock();
            FileChannel ch = null;
            try {
                Files.createDirectories(target.getParent());
                Path lockFile = target.resolveSibling(AtomicFiles.tempPrefix(target) + "lock");
                ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                return new TargetLock(jvm, ch, ch.lock());
            } catch (IOException | RuntimeException e) {
                if (ch != null) {
                    ch.close();
                }
                jvm.unlock();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                file.release();
                channel.close();
            } finally {
                jvm.unlock();
            }
        }
    }

    static MessageDigest sha256() {
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
