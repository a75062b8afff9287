package dev.softgrad.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The project's reference data, {@code ../shared/datasets} from the project root; tests skip without it. */
final class SharedData {
    private SharedData() {
    }

    /** The folder, or a skipped test (with a message) when it is absent. */
    static Path folder() {
        Path cwd = Path.of("").toAbsolutePath();
        // Surefire runs in the module folder (datasets/); the project root is its parent.
        Path root = Files.isRegularFile(cwd.resolve("pom.xml")) && Files.isRegularFile(cwd.resolveSibling("pom.xml"))
                ? cwd.getParent() : cwd;
        Path shared = root.resolve("../shared/datasets").normalize();
        Assumptions.assumeTrue(Files.isDirectory(shared),
                "skipping: reference data folder " + shared + " (../shared/datasets from the project root) is absent");
        return shared;
    }
}
