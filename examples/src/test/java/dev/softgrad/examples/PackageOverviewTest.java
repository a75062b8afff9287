package dev.softgrad.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every package of every module's main sources has a package-info.java with a Javadoc comment: the
 * overview the API pages ({@code mvn javadoc:aggregate}) show for it.
 */
class PackageOverviewTest {

    @Test
    void everyMainPackageHasADocumentedPackageInfo() throws IOException {
        Path root = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
        List<Path> packages;
        try (Stream<Path> modules = Files.list(root)) {
            packages = modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).flatMap(src -> {
                try (Stream<Path> all = Files.walk(src)) {
                    return all.filter(p -> p.toString().endsWith(".java")).map(Path::getParent).distinct()
                            .collect(Collectors.toList()).stream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.toList());
        }
        assertTrue(packages.size() >= 5, "found only " + packages + " below " + root);
        for (Path pkg : packages) {
            Path info = pkg.resolve("package-info.java");
            assertTrue(Files.isRegularFile(info), root.relativize(pkg) + " has no package-info.java");
            String text = Files.readString(info);
            assertTrue(text.contains("/**") && text.indexOf("/**") < text.indexOf("package "),
                    root.relativize(info) + " has no Javadoc comment before its package line");
        }
    }
}
