package dev.softgrad.nn.io;

import dev.softgrad.nn.Init;
import dev.softgrad.nn.SoftmaxClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The second process of {@link CheckpointConcurrencyTest}: builds its model, touches {@code ready},
 * waits for {@code go}, then saves to the target {@code rounds} times (FILE storage).
 * Arguments: target, rounds, seed, ready file, go file.
 */
public final class SaverProcess {
    private SaverProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        SoftmaxClassifier model = new SoftmaxClassifier(300, 10, Init.normal(1, Long.parseLong(args[2])), DataType.FLOAT);
        Checkpoint.Provenance p = new Checkpoint.Provenance(Map.of(), 0, "child", "0".repeat(64));
        Checkpoint.save(model, p, target.resolveSibling("warm-up-child.json"), Checkpoint.Storage.FILE);
        Files.writeString(Path.of(args[3]), "ready");
        while (!Files.exists(Path.of(args[4]))) {
            Thread.sleep(1);
        }
        for (int i = 0; i < rounds; i++) {
            Checkpoint.save(model, p, target, Checkpoint.Storage.FILE);
        }
    }
}
