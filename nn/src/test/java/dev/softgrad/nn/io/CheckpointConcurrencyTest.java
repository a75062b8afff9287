package dev.softgrad.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.nn.Classifier;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.SoftmaxClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Two saves to one path at once, from two threads and from two processes: the last one wins and
 * what is left loads, with exactly one weights file (before the lock, 77 of 100 rounds of two
 * threads left a checkpoint whose weights the other save had deleted).
 */
class CheckpointConcurrencyTest {
    static final Checkpoint.Provenance PROVENANCE = new Checkpoint.Provenance(Map.of(), 0, "test", "0".repeat(64));

    static SoftmaxClassifier model(long seed) {
        return new SoftmaxClassifier(300, 10, Init.normal(1, seed), DataType.FLOAT);
    }

    static List<String> bins(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".bin") && !f.startsWith("warm-up"))
                    .sorted().toList();
        }
    }

    static boolean sameWeights(Classifier a, Classifier b) {
        return Arrays.equals(Checkpoint.weightBytes(a), Checkpoint.weightBytes(b));
    }

    @Test
    void twoThreadsSavingToOnePathLeaveALoadableCheckpoint(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("model.json");
        SoftmaxClassifier a = model(1);
        SoftmaxClassifier b = model(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> saves = new ArrayList<>();
                for (SoftmaxClassifier m : List.of(a, b)) {
                    saves.add(pool.submit(() -> {
                        start.await();
                        Checkpoint.save(m, PROVENANCE, json, Checkpoint.Storage.FILE);
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : saves) {
                    f.get(60, TimeUnit.SECONDS);
                }
                Classifier back = Checkpoint.load(json).model();
                assertTrue(sameWeights(back, a) || sameWeights(back, b), "round " + round + ": one of the two, whole");
                assertEquals(1, bins(dir).size(), "round " + round + ": one weights file, the survivor's: " + bins(dir));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoProcessesSavingToOnePathLeaveALoadableCheckpoint(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("model.json");
        Path ready = dir.resolve("ready");
        Path go = dir.resolve("go");
        int rounds = 30;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "--add-modules", "jdk.incubator.vector", "-Dorg.nd4j.log.initialization=false",
                "-cp", System.getProperty("java.class.path"), SaverProcess.class.getName(),
                json.toString(), Integer.toString(rounds), "2", ready.toString(), go.toString()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
                .start();
        try {
            SoftmaxClassifier a = model(1);
            Checkpoint.save(a, PROVENANCE, dir.resolve("warm-up-parent.json"), Checkpoint.Storage.FILE);
            while (!Files.exists(ready)) {
                assertTrue(child.isAlive(), () -> "the child died: " + log(dir));
                Thread.sleep(5);
            }
            Files.writeString(go, "go");
            for (int i = 0; i < rounds; i++) {
                Checkpoint.save(a, PROVENANCE, json, Checkpoint.Storage.FILE);
            }
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child finishes");
            assertEquals(0, child.exitValue(), () -> "the child's saves all succeeded: " + log(dir));
            Classifier back = Checkpoint.load(json).model();
            assertTrue(sameWeights(back, a) || sameWeights(back, model(2)), "one of the two, whole");
            assertEquals(1, bins(dir).size(), "one weights file, the survivor's: " + bins(dir));
        } finally {
            child.destroyForcibly();
        }
    }

    static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

}
