package dev.softgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's command line: usage errors are one line and exit 2, before anything runs. */
class LauncherTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Runs the launcher and checks a usage error: exit 2, no stack trace, nothing written, the message given. */
    private void assertRefused(String message, String... args) {
        assertEquals(2, Softgrad.execute(args), String.join(" ", args));
        assertTrue(err().contains(message), err());
        assertFalse(err().contains("\tat "), "no stack trace: " + err());
        assertFalse(Files.exists(tmp.resolve("train")), "nothing ran");
    }

    @Test
    void anUnknownOptionKeyIsRefusedWithTheKnownKeys() {
        assertRefused("unknown option -o datset for train; its options are dataset, data, epochs, batch, lr",
                "run", "train", "--out", tmp.toString(), "-o", "datset=iris");
    }

    @Test
    void anExampleWithoutOptionsSaysSo() {
        assertRefused("unknown option -o tau for temperature; it takes no -o options",
                "run", "temperature", "--out", tmp.toString(), "-o", "tau=2");
    }

    @Test
    void badValuesAreRefusedAlsoUnderQuick() {
        assertRefused("option epochs must be a whole number >= 1, got 'abc'", "run", "train", "--quick", "--out", tmp.toString(),
                "-o", "epochs=abc");
    }

    @Test
    void aZeroBatchIsRefused() {
        assertRefused("option batch must be a whole number >= 1, got '0'", "run", "train", "--out", tmp.toString(), "-o", "batch=0");
    }

    @Test
    void anUnknownDataSetIsRefused() {
        assertRefused("option dataset must be one of embedded, iris, digits, mnist, got 'nope'", "run", "train", "--out",
                tmp.toString(), "-o", "dataset=nope");
    }

    @Test
    void aNegativeLearningRateIsRefused() {
        assertRefused("option lr must be a finite number > 0, got '-1'", "run", "train", "--out", tmp.toString(), "-o", "lr=-1");
    }

    @Test
    void anOutThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertRefused("--out " + file + " is not a usable folder", "run", "temperature", "--out", file.toString());
    }

    @Test
    void anOutWithASpaceWorks() {
        Path spaced = tmp.resolve("my dir");
        assertEquals(0, Softgrad.execute("run", "temperature", "--quick", "--out", spaced.toString()), err());
        assertTrue(Files.isRegularFile(spaced.resolve("temperature").resolve("report.html")));
        assertTrue(Files.isRegularFile(spaced.resolve("index.html")));
    }

    @Test
    void trainHonoursEpochsUnderQuick() {
        assertEquals(0, Softgrad.execute("run", "train", "--quick", "--out", tmp.toString(), "-o", "epochs=2"), err());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("2 epochs of minibatch SGD"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listNamesEveryExerciseAndTheExamplesOptions() {
        assertEquals(0, Softgrad.execute("list"));
        String listed = out.toString(StandardCharsets.UTF_8);
        assertTrue(listed.contains("-o epochs=30"), listed);
        dev.softgrad.examples.grading.ExerciseList.ALL.forEach(x -> assertTrue(listed.contains(x.name()), x.name()));
    }
}
