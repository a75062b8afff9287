package dev.softgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's main job, run small: the loss it prints falls and the classifier learns. */
class TrainDemoTest {

    @Test
    void lossFallsAndHeldOutAccuracyIsHigh() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        TrainDemo.Result r = TrainDemo.run(30, 0.5, 5, new PrintStream(buf, true, StandardCharsets.UTF_8));
        List<Double> l = r.losses();
        assertEquals(7, l.size(), "one row per 5 epochs, 0..30");
        assertEquals(Math.log(5), l.get(0), 1e-6, "zero weights: uniform over 5 classes, loss ln 5");
        for (int i = 1; i < l.size(); i++) {
            assertTrue(l.get(i) < l.get(i - 1), "loss must fall at every report: " + l);
        }
        assertTrue(r.testAccuracy() > 0.85, "held-out accuracy " + r.testAccuracy());
        assertTrue(r.arenaArrays() < 20, "the arena stops allocating once warm: " + r.arenaArrays());
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "| 30 | %.4f |", l.get(l.size() - 1))), printed);
    }
}
