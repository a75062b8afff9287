package dev.softgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Synthetic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Training progress output: a bar on terminals, one plain line per epoch elsewhere. */
class TrainingProgressTest {
    static final Dataset DATA = Synthetic.blobs(120, 3, 4, 3.0, 1);

    static String run(TrainingProgress p, boolean validation) {
        SoftmaxClassifier m = new SoftmaxClassifier(4, 3, Init.zeros(), DataType.FLOAT);
        new Trainer(Trainer.Config.of(3, 16, 0.1, 1)).addListener(p).fit(m, DATA, validation ? DATA : null);
        return "";
    }

    @Test
    void plainLinesOnePerEpoch() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        run(TrainingProgress.lines(new PrintStream(buf, true, StandardCharsets.UTF_8)), true);
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length, String.join("\n", lines));
        for (int e = 0; e < 3; e++) {
            String l = lines[e];
            assertTrue(l.matches("epoch " + (e + 1) + "/3  loss \\d\\.\\d{4}  acc \\d\\.\\d{4}  val_loss \\d\\.\\d{4}  val_acc \\d\\.\\d{4}"
                    + "  lr 0\\.1000  \\d+\\.\\d\\d s  \\d+ samples/s"), l);
            assertFalse(l.contains("\r") || l.contains("\u001b"), "no carriage returns or colour codes");
        }
    }

    @Test
    void aBarWithLossAccuracyAndSpeed() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        run(TrainingProgress.bar(new PrintStream(buf, true, StandardCharsets.UTF_8), 160), true);
        String s = buf.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("train") && s.contains("24/24"), "8 batches x 3 epochs: " + s);
        assertTrue(s.matches("(?s).*ep 3/3 loss \\d\\.\\d{4} acc \\d\\.\\d{3} \\d+(\\.\\d+k|\\.\\d+M)?/s val \\d\\.\\d{3}.*"), s);
    }

    @Test
    void speedsAreCompact() {
        assertEquals("950", TrainingProgress.compact(950.2));
        assertEquals("12.3k", TrainingProgress.compact(12_345));
        assertEquals("4.57M", TrainingProgress.compact(4_567_000));
    }

    @Test
    void theBarIsForTerminalsOutsideCi() {
        assertTrue(TrainingProgress.isInteractive(true, Map.of()));
        assertFalse(TrainingProgress.isInteractive(false, Map.of()), "output is not a terminal");
        assertFalse(TrainingProgress.isInteractive(true, Map.of("CI", "true")), "CI");
        assertTrue(TrainingProgress.isInteractive(true, Map.of("CI", "")));
        assertTrue(TrainingProgress.bar(System.err, 80).drawsBar());
        // under Maven's forked test JVM there is no console
        assertFalse(TrainingProgress.auto().drawsBar());
    }
}
