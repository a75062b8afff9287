package dev.softgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bandit is stochastic but seeded: the same seed gives the same report, another seed another one. */
class BanditExampleTest {
    @TempDir
    Path tmp;

    private String report(long seed, String folder) throws IOException {
        Notebook.Result r = new BanditExample().run(new Settings(tmp.resolve(folder), true, seed, Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        return Files.readString(r.report());
    }

    @Test
    void theSameSeedGivesTheSameRun() throws IOException {
        String a = report(11, "a");
        assertEquals(a, report(11, "b"));
        assertNotEquals(a, report(12, "c"));
    }
}
