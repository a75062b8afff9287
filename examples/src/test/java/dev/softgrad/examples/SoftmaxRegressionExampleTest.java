package dev.softgrad.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two data paths of the softmax-regression example: Iris when the folder has it, blobs (with a note) when not. */
class SoftmaxRegressionExampleTest {
    @TempDir
    Path tmp;

    private String run(String dataFolder) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Notebook.Result r = new SoftmaxRegressionExample().run(new Settings(tmp, true, 7, Map.of("data", dataFolder),
                new PrintStream(buf, true, StandardCharsets.UTF_8)));
        assertTrue(r.claims().stream().allMatch(Notebook.Claim::holds), r.claims().toString());
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trainsOnIrisWhenTheSharedFolderHasIt() {
        Path shared = Path.of("").toAbsolutePath().getParent().resolve("../shared/datasets").normalize();
        assumeTrue(Files.isRegularFile(shared.resolve("iris.csv")), "no ../shared/datasets/iris.csv at " + shared
                + ": skipped");
        String out = run(shared.toString());
        assertTrue(out.contains("iris: 105 training and 45 test rows"), out);
        assertTrue(out.contains("[setosa, versicolor, virginica]"), out);
        assertFalse(out.contains("Note:"), out);
    }

    @Test
    void fallsBackToBlobsWithANoteWhenTheFileIsAbsent() {
        String out = run(tmp.resolve("no-such-folder").toString());
        assertTrue(out.contains("Note: Iris not found in"), out);
        assertFalse(Files.exists(tmp.resolve("no-such-folder").resolve("iris.data")), "nothing was downloaded");
    }
}
