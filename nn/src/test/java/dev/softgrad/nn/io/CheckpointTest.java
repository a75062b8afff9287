package dev.softgrad.nn.io;

import dev.softgrad.core.Dense;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Datasets;
import dev.softgrad.datasets.Split;
import dev.softgrad.nn.Activation;
import dev.softgrad.nn.Classifier;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.Loss;
import dev.softgrad.nn.Mlp;
import dev.softgrad.nn.SoftmaxClassifier;
import dev.softgrad.nn.Trainer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.nio.file.attribute.PosixFilePermission;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/** Checkpoints: bit-exact round trips, atomic writes under a crash, and strict loading. */
class CheckpointTest {
    static final Split SPLIT = Split.stratified(Datasets.embeddedDefault(), 0.25, 42);

    static Mlp mlp(DataType type) {
        Mlp m = new Mlp(10, new int[] {7, 6}, 5, Activation.TANH, Init.xavierUniform(5), type);
        // values that a decimal round trip would mangle: NaN payloads aside, -0, infinities, subnormals, 1/3
        Dense w = Dense.of(m.layers().get(1).weight().value());
        w.set(0, -0.0);
        w.set(1, Double.POSITIVE_INFINITY);
        w.set(2, Double.NaN);
        w.set(3, type == DataType.FLOAT ? Float.MIN_VALUE : Double.MIN_VALUE);
        w.set(4, 1.0 / 3);
        return m;
    }

    static Checkpoint.Provenance provenance() {
        Trainer.Config c = Trainer.Config.of(3, 32, 0.1, 77).withLoss(Loss.crossEntropy().withLogitL2(0.01));
        return Checkpoint.Provenance.of(c, SPLIT.train());
    }

    static byte[] weightBytes(Classifier m) {
        List<byte[]> parts = m.parameters().stream().map(p -> Checkpoint.littleEndian(p.value())).collect(Collectors.toList());
        int n = parts.stream().mapToInt(b -> b.length).sum();
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] b : parts) {
            System.arraycopy(b, 0, all, at, b.length);
            at += b.length;
        }
        return all;
    }

    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @ParameterizedTest
    @EnumSource(Checkpoint.Storage.class)
    void weightsRoundTripBitExactlyInBothTypes(Checkpoint.Storage storage, @TempDir Path dir) throws IOException {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Mlp m = mlp(type);
            Path json = dir.resolve("m-" + type + ".json");
            Checkpoint.save(m, provenance(), json, storage);
            Checkpoint.Loaded back = Checkpoint.load(json);
            Mlp n = (Mlp) back.model();
            assertArrayEquals(weightBytes(m), weightBytes(n), "bit-exact " + type + " " + storage);
            assertEquals(type, n.dataType());
            assertArrayEquals(new int[] {7, 6}, n.hidden());
            assertEquals(Activation.TANH, n.activation());
            assertEquals(List.copyOf(m.namedParameters().keySet()), List.copyOf(n.namedParameters().keySet()));
            assertEquals(Checkpoint.softgradVersion(), back.softgradVersion());
            assertTrue(back.softgradVersion().matches("\\d+\\.\\d+.*"), "a Maven version, got " + back.softgradVersion());
            Checkpoint.Provenance p = back.provenance();
            assertEquals(77L, p.seed());
            assertEquals(SPLIT.train().name(), p.dataName());
            assertEquals(Checkpoint.dataHash(SPLIT.train()), p.dataSha256());
            assertEquals(32, ((Number) p.trainingConfig().get("batchSize")).intValue());
            assertEquals(0.01, ((Number) ((Map<?, ?>) p.trainingConfig().get("loss")).get("logitL2")).doubleValue(), 0.0);
        }
        long bins = files(dir).stream().filter(f -> f.endsWith(".bin")).count();
        assertEquals(storage == Checkpoint.Storage.FILE ? 2 : 0, bins);
    }

    @Test
    void aTrainedModelPredictsTheSameAfterLoading(@TempDir Path dir) throws IOException {
        SoftmaxClassifier m = new SoftmaxClassifier(10, 5, Init.zeros(), DataType.FLOAT);
        Trainer.Config c = Trainer.Config.of(3, 32, 0.1, 1);
        new Trainer(c).fit(m, SPLIT.train(), null);
        Path json = dir.resolve("model.json");
        Checkpoint.save(m, Checkpoint.Provenance.of(c, SPLIT.train()), json);
        Classifier n = Checkpoint.load(json).model();
        assertTrue(n instanceof SoftmaxClassifier);
        assertArrayEquals(m.predict(SPLIT.test().features()), n.predict(SPLIT.test().features()));
        assertEquals(m.logits(SPLIT.test().features()), n.logits(SPLIT.test().features()));
        String text = Files.readString(json);
        assertTrue(text.contains("\"formatVersion\" : 2") && text.contains("\"storage\" : \"inline\""), text);
    }

    @Test
    void dataHashDependsOnContentOnly() {
        String h = Checkpoint.dataHash(SPLIT.train());
        assertEquals(h, Checkpoint.dataHash(SPLIT.train().withName("other")));
        assertTrue(!h.equals(Checkpoint.dataHash(SPLIT.test())));
        assertTrue(!h.equals(Checkpoint.dataHash(SPLIT.train().asType(DataType.DOUBLE))));
        assertEquals(64, h.length());
    }

    /** Streams that fail after {@code okBytes} bytes, from the {@code failOn}-th stream opened on. */
    static UnaryOperator<OutputStream> crashAfter(int failOn, int okBytes) {
        AtomicInteger opened = new AtomicInteger();
        return out -> {
            if (opened.incrementAndGet() < failOn) {
                return out;
            }
            return new FilterOutputStream(out) {
                int written;

                @Override
                public void write(int b) throws IOException {
                    if (written++ >= okBytes) {
                        throw new IOException("simulated crash");
                    }
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    for (int i = 0; i < len; i++) {
                        write(b[off + i]);
                    }
                }
            };
        };
    }

    @Test
    void aCrashMidSaveLeavesThePreviousCheckpointIntact(@TempDir Path dir) throws IOException {
        // inline: the JSON write fails; file storage: first the weights write, then the JSON write
        Object[][] cases = {{Checkpoint.Storage.INLINE, 1}, {Checkpoint.Storage.FILE, 1}, {Checkpoint.Storage.FILE, 2}};
        for (Object[] c : cases) {
            Checkpoint.Storage storage = (Checkpoint.Storage) c[0];
            Path json = dir.resolve("ck-" + storage + "-" + c[1] + ".json");
            Mlp first = mlp(DataType.FLOAT);
            Checkpoint.save(first, provenance(), json, storage);
            byte[] before = Files.readAllBytes(json);
            List<String> filesBefore = files(dir);
            Mlp second = new Mlp(10, new int[] {7, 6}, 5, Activation.TANH, Init.xavierUniform(6), DataType.FLOAT);
            IOException e = assertThrows(IOException.class,
                    () -> Checkpoint.save(second, provenance(), json, storage, crashAfter((int) c[1], 100), Checkpoint.Limits.DEFAULT));
            assertEquals("simulated crash", e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(json), "the previous JSON is untouched");
            assertArrayEquals(weightBytes(first), weightBytes(Checkpoint.load(json).model()), "and still loads");
            List<String> after = files(dir);
            assertTrue(after.stream().noneMatch(f -> f.endsWith(".tmp")), "no temporary file left: " + after);
            if ((int) c[1] == 1) {
                assertEquals(filesBefore, after);
            }
            // the next save succeeds and cleans the weights files no longer referenced
            Checkpoint.save(second, provenance(), json, storage);
            assertArrayEquals(weightBytes(second), weightBytes(Checkpoint.load(json).model()));
            long bins = files(dir).stream().filter(f -> f.startsWith(json.getFileName().toString().replace(".json", "")) && f.endsWith(".bin")).count();
            assertEquals(storage == Checkpoint.Storage.FILE ? 1 : 0, bins);
        }
    }

    static CheckpointFormatException loadFails(Path json) {
        return assertThrows(CheckpointFormatException.class, () -> Checkpoint.load(json));
    }

    static void rewrite(Path json, String from, String to) throws IOException {
        String s = Files.readString(json);
        assertTrue(s.contains(from), "test set-up: " + from + " not in " + s);
        Files.writeString(json, s.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    }

    @Test
    void corruptTruncatedWrongVersionAndWrongShapeFailClearly(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("m.json");
        Checkpoint.save(mlp(DataType.DOUBLE), provenance(), json, Checkpoint.Storage.INLINE);
        byte[] good = Files.readAllBytes(json);

        Files.write(json, java.util.Arrays.copyOf(good, good.length / 2));
        assertTrue(loadFails(json).getMessage().contains("not valid JSON"));

        Files.write(json, good);
        rewrite(json, "\"formatVersion\" : 2", "\"formatVersion\" : 3");
        CheckpointFormatException v = loadFails(json);
        assertTrue(v.getMessage().contains("formatVersion") && v.getMessage().contains("version 3"), v.getMessage());

        Files.write(json, good);
        rewrite(json, "\"shape\" : [ 10, 7 ]", "\"shape\" : [ 7, 10 ]");
        CheckpointFormatException s = loadFails(json);
        assertTrue(s.getMessage().contains("layer0.weight") && s.getMessage().contains("[10, 7]"), s.getMessage());

        Files.write(json, good);
        rewrite(json, "\"hidden\" : [ 7, 6 ]", "\"hidden\" : [ 7, 5 ]");
        assertTrue(loadFails(json).getMessage().contains("layer1.weight"), "architecture and parameters disagree");

        Files.write(json, good);
        String b64 = Files.readString(json).replaceAll("(?s).*\"base64\" : \"([^\"]+)\".*", "$1");
        String flipped = (b64.charAt(10) == 'A' ? "B" : "A");
        rewrite(json, b64, b64.substring(0, 10) + flipped + b64.substring(11));
        assertTrue(loadFails(json).getMessage().contains("SHA-256"));

        Files.write(json, good);
        rewrite(json, "\"format\" : \"softgrad-checkpoint\",", "\"format\" : \"softgrad-checkpoint\", \"format\" : \"x\",");
        assertTrue(loadFails(json).getMessage().contains("Duplicate"), "duplicate keys are refused");

        Files.write(json, good);
        String declared = Files.readString(json).replaceAll("(?s).*\"bytes\" : (\\d+).*", "$1");
        rewrite(json, "\"bytes\" : " + declared, "\"bytes\" : " + (Long.parseLong(declared) - 8));
        CheckpointFormatException b = loadFails(json);
        assertTrue(b.getMessage().contains("weights.bytes") && b.getMessage().contains(declared), b.getMessage());

        Files.write(json, good);
        String doc = Files.readString(json);
        String noSeed = doc.replaceFirst("\"seed\" : 77,(\\s*\"dataName\")", "$1");
        assertTrue(!noSeed.equals(doc), "test set-up: provenance seed not found");
        Files.writeString(json, noSeed);
        CheckpointFormatException m = loadFails(json);
        assertTrue(m.getMessage().contains("missing field 'seed'") && m.getMessage().contains(json.toString()), m.getMessage());

        Files.write(json, good);
        rewrite(json, "\"dataType\" : \"float64\"", "\"dataType\" : \"float16\"");
        assertTrue(loadFails(json).getMessage().contains("model.dataType"));

        Files.write(json, good);
        rewrite(json, "\"type\" : \"Mlp\"", "\"type\" : \"java.lang.ProcessBuilder\"");
        assertTrue(loadFails(json).getMessage().contains("model.type"));

        Files.write(json, good);
        Files.writeString(json, Files.readString(json) + "{}");
        assertTrue(loadFails(json).getMessage().contains("not valid JSON"), "trailing content");
    }

    @Test
    void aWeightsFileThatIsTruncatedOrTamperedFails(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("m.json");
        Checkpoint.save(mlp(DataType.FLOAT), provenance(), json, Checkpoint.Storage.FILE);
        Path bin = Files.list(dir).filter(p -> p.toString().endsWith(".bin")).findFirst().orElseThrow();
        byte[] good = Files.readAllBytes(bin);
        Files.write(bin, java.util.Arrays.copyOf(good, good.length - 4));
        assertTrue(loadFails(json).getMessage().contains("truncated"));
        byte[] bad = good.clone();
        bad[5] ^= 1;
        Files.write(bin, bad);
        assertTrue(loadFails(json).getMessage().contains("SHA-256"));
        Files.delete(bin);
        assertTrue(loadFails(json).getMessage().contains("missing"));
        rewrite(json, "\"file\" : \"", "\"file\" : \"../");
        assertTrue(loadFails(json).getMessage().contains("plain file name"));
    }

    @Test
    void typeHintsInTheFileStayPlainData(@TempDir Path dir) throws IOException {
        // what a polymorphic-typing exploit looks like; the tree reader keeps it as strings and maps
        Path json = dir.resolve("m.json");
        Checkpoint.save(new SoftmaxClassifier(10, 5, Init.zeros(), DataType.FLOAT), provenance(), json);
        rewrite(json, "\"trainingConfig\" : {", "\"trainingConfig\" : { \"evil\" : [ \"java.lang.ProcessBuilder\", { \"@class\" : "
                + "\"java.net.URL\", \"command\" : \"touch pwned\" } ],");
        Checkpoint.Loaded back = Checkpoint.load(json);
        Object evil = back.provenance().trainingConfig().get("evil");
        assertTrue(evil instanceof List, "plain list, got " + evil.getClass());
        assertEquals("java.lang.ProcessBuilder", ((List<?>) evil).get(0));
        assertTrue(((List<?>) evil).get(1) instanceof Map);
        assertTrue(!Files.exists(Path.of("pwned")));
        String doc = Files.readString(json, StandardCharsets.UTF_8);
        assertTrue(doc.contains("ProcessBuilder"));
    }

    @Test
    void onlyKnownModelsCanBeSaved(@TempDir Path dir) {
        Classifier custom = new Classifier() {
            final Tensor w = registerParameter("w", org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 2, 2));

            @Override
            public Tensor forward(Tensor x) {
                return x.matmul(w);
            }

            @Override
            public int numFeatures() {
                return 2;
            }

            @Override
            public int numClasses() {
                return 2;
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(custom, provenance(), dir.resolve("x.json")));
        assertTrue(e.getMessage().contains("SoftmaxClassifier and Mlp"), e.getMessage());
    }

    static Stream<String> awkwardNames() {
        return Stream.of("my model.json", "mod\u00e8le.json", ".model.json", "m[0-9].json", "run.weights-best.json",
                "no-extension", "a".repeat(250) + ".json", "\u6a21\u578b".repeat(20) + ".json");
    }

    /** Before: the weights file was named after the JSON, and load refused names outside [A-Za-z0-9._-] or with a leading dot. */
    @ParameterizedTest
    @MethodSource("awkwardNames")
    void whateverNameSaveAcceptsLoadReadsBack(String name, @TempDir Path dir) throws IOException {
        for (Checkpoint.Storage storage : Checkpoint.Storage.values()) {
            Path sub = Files.createDirectories(dir.resolve(storage.name()));
            Mlp m = mlp(DataType.FLOAT);
            Checkpoint.save(m, provenance(), sub.resolve(name), storage);
            assertArrayEquals(weightBytes(m), weightBytes(Checkpoint.load(sub.resolve(name)).model()), name + " " + storage);
            for (String f : files(sub)) {
                assertTrue(f.getBytes(StandardCharsets.UTF_8).length <= 255, "file names fit the file system: " + f);
            }
        }
    }

    @Test
    void anMlpWith65HiddenLayersRoundTrips(@TempDir Path dir) throws IOException {
        int[] hidden = new int[65];
        java.util.Arrays.fill(hidden, 3);
        Mlp m = new Mlp(4, hidden, 2, Activation.RELU, Init.heNormal(3), DataType.DOUBLE);
        for (Checkpoint.Storage storage : List.of(Checkpoint.Storage.INLINE, Checkpoint.Storage.FILE)) {
            Path json = dir.resolve("deep-" + storage + ".json");
            Checkpoint.save(m, provenance(), json, storage);
            Mlp back = (Mlp) Checkpoint.load(json).model();
            assertArrayEquals(hidden, back.hidden());
            assertArrayEquals(weightBytes(m), weightBytes(back));
        }
    }

    @Test
    void limitsAreCheckedBeforeAnythingIsWrittenWithTheSameConstantsOnBothSides(@TempDir Path dir) throws IOException {
        Mlp m = mlp(DataType.DOUBLE); // 190 parameters: ~2 KiB of Base64 inline
        Path json = dir.resolve("m.json");
        Checkpoint.Limits small = new Checkpoint.Limits(2048, Checkpoint.MAX_PARAMETERS, Checkpoint.MAX_HIDDEN_LAYERS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(m, provenance(), json, Checkpoint.Storage.INLINE, UnaryOperator.identity(), small));
        assertTrue(e.getMessage().contains("2048") && e.getMessage().contains("Storage.FILE"), e.getMessage());
        assertEquals(List.of(), files(dir), "nothing written");
        // as a file the same model fits, and the reader holds it to the same limit
        Checkpoint.save(m, provenance(), json, Checkpoint.Storage.FILE, UnaryOperator.identity(), small);
        assertTrue(Files.size(json) <= 2048);
        assertArrayEquals(weightBytes(m), weightBytes(CheckpointReader.load(json, small).model()));
        Checkpoint.save(m, provenance(), json, Checkpoint.Storage.INLINE);
        CheckpointFormatException tooBig = assertThrows(CheckpointFormatException.class, () -> CheckpointReader.load(json, small));
        assertTrue(tooBig.getMessage().contains("2048"), tooBig.getMessage());

        Checkpoint.Limits shallow = new Checkpoint.Limits(Checkpoint.MAX_JSON_BYTES, Checkpoint.MAX_PARAMETERS, 1);
        Path other = dir.resolve("deep.json");
        IllegalArgumentException layers = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(m, provenance(), other, Checkpoint.Storage.AUTO, UnaryOperator.identity(), shallow));
        assertTrue(layers.getMessage().contains("2 hidden layers"), layers.getMessage());
        assertTrue(!Files.exists(other));
        Checkpoint.save(m, provenance(), other);
        CheckpointFormatException deep = assertThrows(CheckpointFormatException.class, () -> CheckpointReader.load(other, shallow));
        assertTrue(deep.getMessage().contains("model.hidden"), deep.getMessage());

        Checkpoint.Limits few = new Checkpoint.Limits(Checkpoint.MAX_JSON_BYTES, 100, Checkpoint.MAX_HIDDEN_LAYERS);
        assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(m, provenance(), dir.resolve("many.json"), Checkpoint.Storage.AUTO, UnaryOperator.identity(), few));
        assertTrue(!Files.exists(dir.resolve("many.json")));
    }

    /** Before: the clean-up deleted every {@code <base>.weights-*.bin}, also other checkpoints' weights. */
    @Test
    void saveDeletesOnlyTheWeightsItsOwnPreviousVersionNamed(@TempDir Path dir) throws IOException {
        Mlp best = mlp(DataType.FLOAT);
        Mlp one = new Mlp(10, new int[] {7, 6}, 5, Activation.TANH, Init.xavierUniform(8), DataType.FLOAT);
        Checkpoint.save(best, provenance(), dir.resolve("run.weights-best.json"), Checkpoint.Storage.FILE);
        Checkpoint.save(one, provenance(), dir.resolve("m1.json"), Checkpoint.Storage.FILE);
        for (int seed = 20; seed < 23; seed++) {
            Mlp m = new Mlp(10, new int[] {7, 6}, 5, Activation.TANH, Init.xavierUniform(seed), DataType.FLOAT);
            Checkpoint.save(m, provenance(), dir.resolve("run.json"), Checkpoint.Storage.FILE);
            Checkpoint.save(m, provenance(), dir.resolve("m[0-9].json"), Checkpoint.Storage.FILE);
        }
        assertArrayEquals(weightBytes(best), weightBytes(Checkpoint.load(dir.resolve("run.weights-best.json")).model()));
        assertArrayEquals(weightBytes(one), weightBytes(Checkpoint.load(dir.resolve("m1.json")).model()));
        long bins = files(dir).stream().filter(f -> f.endsWith(".bin")).count();
        assertEquals(4, bins, "one weights file per checkpoint, the earlier versions' deleted: " + files(dir));
        // switching to inline storage deletes the file the previous version named
        Checkpoint.save(one, provenance(), dir.resolve("m1.json"), Checkpoint.Storage.INLINE);
        assertEquals(3, files(dir).stream().filter(f -> f.endsWith(".bin")).count());
    }

    @Test
    void aWeightsFileNamedByAnotherCheckpointIsNeverDeleted(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Checkpoint.save(mlp(DataType.FLOAT), provenance(), a, Checkpoint.Storage.FILE);
        Checkpoint.save(mlp(DataType.DOUBLE), provenance(), b, Checkpoint.Storage.FILE);
        String bWeights = Files.readString(b).replaceAll("(?s).*\"file\" : \"([^\"]+)\".*", "$1");
        // a tampered a.json that names b's weights: the next save of a must not delete them
        String aWeights = Files.readString(a).replaceAll("(?s).*\"file\" : \"([^\"]+)\".*", "$1");
        rewrite(a, aWeights, bWeights);
        Checkpoint.save(mlp(DataType.FLOAT), provenance(), a, Checkpoint.Storage.INLINE);
        assertTrue(Files.exists(dir.resolve(bWeights)));
        Checkpoint.load(b);
    }

    /** Before: load built the model (here 250 million parameters) before it looked at the weights. */
    @Test
    void claimedSizesAreCheckedAgainstTheBytesPresentBeforeAnyModelIsBuilt(@TempDir Path dir) throws IOException {
        for (Checkpoint.Storage storage : List.of(Checkpoint.Storage.INLINE, Checkpoint.Storage.FILE)) {
            Path json = dir.resolve("lie-" + storage + ".json");
            Checkpoint.save(new SoftmaxClassifier(10, 5, Init.zeros(), DataType.FLOAT), provenance(), json, storage);
            long features = 50_000_000;
            rewrite(json, "\"numFeatures\" : 10", "\"numFeatures\" : " + features);
            rewrite(json, "\"shape\" : [ 10, 5 ]", "\"shape\" : [ " + features + ", 5 ]");
            rewrite(json, "\"bytes\" : 220", "\"bytes\" : " + (features * 5 + 5) * 4);
            assertTrue(Files.size(json) < 4096, "a small file");
            CheckpointFormatException e = loadFails(json);
            String expected = storage == Checkpoint.Storage.INLINE ? "Base64 characters" : "has 220 bytes, expected 1000000020";
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
    }

    /** Format version 1 files, written by the code before this version and checked in: they keep loading. */
    @Test
    void checkpointsOfFormatVersion1KeepLoading(@TempDir Path dir) throws IOException {
        Path mlpJson = copyResource("v1-mlp-float32.json", dir);
        Path softmaxJson = copyResource("v1-softmax-float64.json", dir);
        copyResource("v1-softmax-float64.weights-b015cb0891fe.bin", dir);
        Checkpoint.Loaded m = Checkpoint.load(mlpJson);
        assertEquals(1, m.formatVersion());
        assertEquals(null, m.init(), "version 1 did not record the Init");
        assertEquals(5L, m.provenance().seed());
        // the same architecture and seed, built by today's code, has the same weights bit for bit
        Mlp today = new Mlp(4, new int[] {3}, 3, Activation.TANH, Init.xavierUniform(11), DataType.FLOAT);
        assertArrayEquals(weightBytes(today), weightBytes(m.model()));
        assertEquals(List.copyOf(today.namedParameters().keySet()), List.copyOf(m.model().namedParameters().keySet()));
        Checkpoint.Loaded s = Checkpoint.load(softmaxJson);
        SoftmaxClassifier todays = new SoftmaxClassifier(4, 3, Init.normal(0.5, 12), DataType.DOUBLE);
        assertTrue(s.model() instanceof SoftmaxClassifier);
        assertArrayEquals(weightBytes(todays), weightBytes(s.model()));
        // re-saving a version-1 checkpoint writes version 2 and removes the version-1 weights file
        Checkpoint.save(s.model(), s.provenance(), softmaxJson, Checkpoint.Storage.FILE);
        assertTrue(!Files.exists(dir.resolve("v1-softmax-float64.weights-b015cb0891fe.bin")));
        assertEquals(2, Checkpoint.load(softmaxJson).formatVersion());
    }

    static Path copyResource(String name, Path dir) throws IOException {
        try (java.io.InputStream in = CheckpointTest.class.getResourceAsStream(name)) {
            assertTrue(in != null, "test resource " + name);
            Path p = dir.resolve(name);
            Files.copy(in, p);
            return p;
        }
    }

    @Test
    void theInitIsRecorded(@TempDir Path dir) throws IOException {
        Mlp m = new Mlp(10, new int[] {4}, 5, Activation.SIGMOID, Init.normal(2.5, 99), DataType.FLOAT);
        Path json = dir.resolve("m.json");
        Checkpoint.save(m, provenance(), json);
        Checkpoint.Loaded back = Checkpoint.load(json);
        assertEquals(Init.normal(2.5, 99), back.init());
        assertEquals(Init.normal(2.5, 99), ((Mlp) back.model()).init());
        assertEquals(2, back.formatVersion());
        SoftmaxClassifier s = new SoftmaxClassifier(10, 5, Init.xavierUniform(4), DataType.DOUBLE);
        Checkpoint.save(s, provenance(), json);
        assertEquals(Init.xavierUniform(4), ((SoftmaxClassifier) Checkpoint.load(json).model()).init());
        rewrite(json, "\"kind\" : \"XAVIER_UNIFORM\"", "\"kind\" : \"GLOROT\"");
        assertTrue(loadFails(json).getMessage().contains("model.init.kind"));
    }

    /** Before: a killed save's temporary files stayed for good. */
    @Test
    void leftoverTemporaryFilesAreRemovedByTheNextSaveOfTheSameTarget(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("m.json");
        String prefix = AtomicFiles.tempPrefix(json);
        Files.writeString(dir.resolve(prefix + "0123456789abcdef.tmp"), "half a JSON");
        Files.writeString(dir.resolve(prefix + "w.fedcba9876543210.tmp"), "half the weights");
        String others = AtomicFiles.tempPrefix(dir.resolve("other.json")) + "0123456789abcdef.tmp";
        Files.writeString(dir.resolve(others), "another target's save in progress");
        Files.writeString(dir.resolve("notes.tmp"), "the user's");
        Checkpoint.save(mlp(DataType.FLOAT), provenance(), json, Checkpoint.Storage.FILE);
        List<String> left = files(dir).stream().filter(f -> f.endsWith(".tmp")).collect(Collectors.toList());
        assertEquals(List.of(others, "notes.tmp").stream().sorted().collect(Collectors.toList()), left);
    }

    /** Before: checkpoints were 0600 (Files.createTempFile), unreadable by a course's web server. */
    @Test
    void savedFilesGetTheModeTheUmaskGives(@TempDir Path dir) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path plain = Files.createFile(dir.resolve("plain"));
        Set<PosixFilePermission> umaskMode = Files.getPosixFilePermissions(plain);
        Path json = dir.resolve("m.json");
        Checkpoint.save(mlp(DataType.FLOAT), provenance(), json, Checkpoint.Storage.FILE);
        assertEquals(umaskMode, Files.getPosixFilePermissions(json));
        Path bin = Files.list(dir).filter(p -> p.toString().endsWith(".bin")).findFirst().orElseThrow();
        assertEquals(umaskMode, Files.getPosixFilePermissions(bin));
        AtomicFiles.write(dir.resolve("report.md"), "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(umaskMode, Files.getPosixFilePermissions(dir.resolve("report.md")));
    }
}
