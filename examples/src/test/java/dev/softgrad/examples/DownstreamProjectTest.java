package dev.softgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * softgrad used from someone else's project, as a user would: {@code examples/downstream} (not a
 * module of this build) is built with Maven against the artifacts of THIS build and its program
 * is run on a CSV file, with the JVM flags docs/getting-started.md gives.
 *
 * <p>The artifacts are installed into a local repository of the test's own
 * ({@code target/downstream-it/m2}) from a copy of the project's POMs and main sources, built with
 * {@code install} (so the -sources and -javadoc jars, and with them the Javadoc, must build too).
 * Both builds read third-party artifacts from the user's {@code ~/.m2} as a release-only file
 * repository (a SNAPSHOT of softgrad there is never seen), then from Maven Central. So a broken
 * published POM, a dependency missing from it, a class or method the guide uses that is not
 * public, or a guide that no longer matches the project fails this test.
 *
 * <p>Skipped, with a message, when {@code mvn} is not on the PATH. Takes about a minute and a half
 * on a loaded machine (the first run also copies ~190 MB of jars from {@code ~/.m2}).
 */
class DownstreamProjectTest {
    private static final long STEP_LIMIT_MINUTES = 8;
    /** The JVM flags of the guide's java command (docs/getting-started.md, section 5). */
    private static final List<String> JVM_FLAGS = List.of("--add-modules", "jdk.incubator.vector",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=0", "-Dorg.nd4j.log.initialization=false");

    private final Path root = projectRoot();
    private final Path downstream = root.resolve("examples").resolve("downstream");
    private final Path work = root.resolve("examples").resolve("target").resolve("downstream-it");

    @Test
    void theGuideShowsTheDownstreamProjectsProgramAndPomVerbatim() throws IOException {
        String guide = Files.readString(root.resolve("docs").resolve("getting-started.md"));
        assertEquals(Files.readString(downstream.resolve("pom.xml")).strip(), fenced(guide, "xml", "<project").strip(),
                "docs/getting-started.md's pom.xml differs from examples/downstream/pom.xml");
        Path program = downstream.resolve("src/main/java/com/example/TrainFromCsv.java");
        assertEquals(Files.readString(program).strip(), fenced(guide, "java", "package com.example;").strip(),
                "docs/getting-started.md's program differs from " + root.relativize(program));
    }

    @Test
    void theDownstreamPomAsksForTheNativesOfTheNd4jThisBuildUses() throws IOException {
        String parent = Files.readString(root.resolve("pom.xml"));
        String user = Files.readString(downstream.resolve("pom.xml"));
        String[][] natives = {{"org.nd4j", "nd4j-native", "nd4j.version"}, {"org.bytedeco", "openblas", "openblas.version"},
            {"org.bytedeco", "javacpp", "javacpp.version"}};
        for (String[] n : natives) {
            String expected = property(parent, n[2]);
            Matcher m = Pattern.compile("<groupId>" + Pattern.quote(n[0]) + "</groupId>\\s*<artifactId>" + Pattern.quote(n[1])
                    + "</artifactId>\\s*<version>([^<]+)</version>\\s*<classifier>\\$\\{javacpp.platform}</classifier>").matcher(user);
            assertTrue(m.find(), "examples/downstream/pom.xml lacks " + n[0] + ":" + n[1] + " with the ${javacpp.platform} classifier");
            assertEquals(expected, m.group(1), n[1] + ": the user's natives must match the version softgrad is built on");
        }
        assertEquals(property(parent, "project.version", "<version>([^<]+)</version>"), property(user, "softgrad.version"),
                "the downstream project must ask for this build's version");
    }

    @Test
    void buildsAgainstThisBuildsArtifactsAndTrainsOnAUsersCsv() throws IOException, InterruptedException {
        assumeTrue(onPath("mvn"), "mvn is not on the PATH: the downstream project is not built");
        Path m2 = work.resolve("m2");
        deleteTree(m2.resolve("dev").resolve("softgrad")); // never a softgrad from an earlier run
        Path settings = work.resolve("settings.xml");
        Files.createDirectories(work);
        Files.writeString(settings, settings(Path.of(System.getProperty("user.home"), ".m2", "repository")));

        // 1. this build's artifacts, from a copy of its POMs and main sources, into the test's own repository
        Path source = work.resolve("softgrad");
        deleteTree(source);
        copyBuild(source);
        run(source, work.resolve("install.log"), "mvn", "-B", "-s", settings.toString(), "-Dmaven.repo.local=" + m2,
                "-pl", "nn", "-am", "-Dmaven.test.skip=true", "install");
        for (String module : List.of("softgrad-core", "softgrad-datasets", "softgrad-nn")) {
            Path dir = m2.resolve("dev/softgrad/" + module + "/0.1.0-SNAPSHOT");
            for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar", ".pom")) {
                assertTrue(Files.isRegularFile(dir.resolve(module + "-0.1.0-SNAPSHOT" + suffix)), module + suffix + " was not installed");
            }
        }

        // 2. the user's project, built exactly as docs/getting-started.md says
        Path app = work.resolve("app");
        deleteTree(app);
        copyTree(downstream, app, p -> !p.startsWith(downstream.resolve("target")));
        run(app, work.resolve("package.log"), "mvn", "-B", "-s", settings.toString(), "-Dmaven.repo.local=" + m2, "package");

        // 3. a CSV of the user's own (three overlapping clouds, named labels, a header line), run with
        // the flags of the guide's java command
        Path csv = app.resolve("flowers.csv");
        writeClouds(csv, 600, 31);
        String guide = Files.readString(root.resolve("docs").resolve("getting-started.md"));
        assertTrue(guide.contains("java " + String.join(" ", JVM_FLAGS) + " \\\n     -cp \"target/classes:target/lib/*\" com.example.TrainFromCsv"),
                "the guide's java command differs from " + JVM_FLAGS);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", app.resolve("target/classes") + File.pathSeparator + app.resolve("target/lib") + File.separator + "*",
                "com.example.TrainFromCsv", csv.toString(), "species", "0.1,-0.2,0.3", "2.9,0.1,-0.3", "-0.1,3.1,0.2", "1.5,0,0"));
        String out = run(app, work.resolve("run.log"), command.toArray(new String[0]));

        // the program's promises: an evaluation with its confusion matrix, a saved model, predictions by name
        assertTrue(out.contains("confusion matrix"), "no confusion matrix printed:\n" + out);
        Matcher acc = Pattern.compile("accuracy ([0-9.]+)").matcher(out);
        assertTrue(acc.find() && Double.parseDouble(acc.group(1)) >= 0.75,
                "held-out accuracy below 0.75 on clouds whose Bayes accuracy is about 0.9:\n" + out);
        assertTrue(Files.isRegularFile(app.resolve("model.json")), "the program saved no model.json");
        // three new rows sit near the clouds' centres (the Bayes posterior there is ~0.98): the loaded model
        // names their classes; the fourth lies halfway between rose and tulip, where no honest model is sure
        String[][] expected = {{"0.1,-0.2,0.3", "rose"}, {"2.9,0.1,-0.3", "tulip"}, {"-0.1,3.1,0.2", "iris"}, {"1.5,0,0", "rose|tulip"}};
        for (String[] e : expected) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(e[0]) + " -> (\\S+) \\(p = ([0-9.]+)\\)$").matcher(out);
            assertTrue(m.find(), "no prediction printed for " + e[0] + ":\n" + out);
            assertTrue(m.group(1).matches(e[1]), "the class of " + e[0] + ": expected " + e[1] + ", got " + m.group(1));
            double p = Double.parseDouble(m.group(2));
            boolean centre = !e[0].equals("1.5,0,0");
            assertTrue(centre ? p > 0.8 && p <= 1 : p > 0.34 && p < 0.9, "the probability of " + e[0] + ": " + p + "\n" + out);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The project root: the folder above this module, holding the parent POM. */
    private static Path projectRoot() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        Path root = module.getParent();
        if (root == null || !Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("examples"))) {
            throw new IllegalStateException("expected to run in the examples module of softgrad, ran in " + module);
        }
        return root;
    }

    /** The body of the first ```lang block in {@code markdown} that contains {@code marker}. */
    static String fenced(String markdown, String lang, String marker) {
        Matcher m = Pattern.compile("(?ms)^```" + lang + "\\s*\\n(.*?)^```").matcher(markdown);
        while (m.find()) {
            if (m.group(1).contains(marker)) {
                return m.group(1);
            }
        }
        throw new AssertionError("docs/getting-started.md has no ```" + lang + " block with " + marker);
    }

    private static String property(String pom, String name) {
        return property(pom, name, "<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">");
    }

    private static String property(String pom, String name, String regex) {
        Matcher m = Pattern.compile(regex).matcher(pom);
        assertTrue(m.find(), "no " + name + " in the POM");
        return m.group(1).trim();
    }

    /** Settings: the user's ~/.m2 as a file repository of releases only, before Maven Central. */
    private static String settings(Path userRepository) {
        String url = userRepository.toUri().toString();
        String repo = "<id>user-cache</id><url>" + url + "</url>"
                + "<releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots>";
        return "<settings><profiles><profile><id>user-cache</id>"
                + "<repositories><repository>" + repo + "</repository></repositories>"
                + "<pluginRepositories><pluginRepository>" + repo + "</pluginRepository></pluginRepositories>"
                + "</profile></profiles><activeProfiles><activeProfile>user-cache</activeProfile></activeProfiles></settings>\n";
    }

    /** The parent POM, .mvn, every module's POM and the main sources of every module but the examples. */
    private void copyBuild(Path to) throws IOException {
        Files.createDirectories(to);
        Files.copy(root.resolve("pom.xml"), to.resolve("pom.xml"));
        if (Files.isDirectory(root.resolve(".mvn"))) {
            copyTree(root.resolve(".mvn"), to.resolve(".mvn"), p -> true);
        }
        try (Stream<Path> children = Files.list(root)) {
            for (Path module : children.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).collect(Collectors.toList())) {
                Path target = to.resolve(module.getFileName().toString());
                Files.createDirectories(target);
                Files.copy(module.resolve("pom.xml"), target.resolve("pom.xml"));
                if (!module.getFileName().toString().equals("examples") && Files.isDirectory(module.resolve("src/main"))) {
                    copyTree(module.resolve("src/main"), target.resolve("src/main"), p -> true);
                }
            }
        }
    }

    private static void copyTree(Path from, Path to, java.util.function.Predicate<Path> keep) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.filter(keep).collect(Collectors.toList())) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command in {@code dir}, its output to {@code log}; fails with the log's end unless it exits 0. */
    private static String run(Path dir, Path log, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(STEP_LIMIT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " still ran after " + STEP_LIMIT_MINUTES + " minutes; log: " + log);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            String tail = out.length() > 6000 ? out.substring(out.length() - 6000) : out;
            throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + " in " + dir + "; log " + log
                    + " ends:\n" + tail);
        }
        return out;
    }

    /** A header line and {@code n} rows of three Gaussian clouds (sd 1) around (0,0,0), (3,0,0), (0,3,0). */
    private static void writeClouds(Path csv, int n, long seed) {
        String[] names = {"rose", "tulip", "iris"};
        double[][] centres = {{0, 0, 0}, {3, 0, 0}, {0, 3, 0}};
        Random rng = new Random(seed);
        List<String> lines = new ArrayList<>();
        lines.add("length,species,width,height");
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            double[] x = new double[3];
            for (int j = 0; j < 3; j++) {
                x[j] = centres[c][j] + rng.nextGaussian();
            }
            lines.add(String.format(Locale.ROOT, "%.4f,%s,%.4f,%.4f", x[0], names[c], x[1], x[2]));
        }
        try {
            Files.write(csv, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
