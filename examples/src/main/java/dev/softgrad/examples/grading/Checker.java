package dev.softgrad.examples.grading;

import dev.softgrad.examples.Notebook;
import dev.softgrad.examples.Settings;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * {@code ./softgrad check NAME}: compiles the student's stubs from their source files (the whole
 * exercises folder, so that one stub may use another the student wrote; never the classes compiled
 * into the jar, which may be stale) into a temporary folder, loads them in their own class loader,
 * and grades the exercise's stub with its claims, written as a notebook report
 * ({@code OUT/check-NAME/report.html}).
 */
public final class Checker {
    private Checker() {
    }

    /** The source file could not be compiled: the compiler's messages, one per line. */
    public static final class CompileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CompileException(String message) {
            super(message);
        }
    }

    /** Grades the exercise's stub compiled from {@code sourceRoot} (a {@code src/main/java} folder). */
    public static <T> Notebook.Result checkSource(Exercise<T> exercise, Path sourceRoot, Settings settings) {
        Path source = sourceRoot.resolve(Exercise.sourcePath(exercise.stubClass()));
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException("expected the stub's source at "
                    + source.toAbsolutePath()
                    + ", found nothing (run from the project's root, or pass --sources DIR)");
        }
        Path classes = null;
        try {
            classes = Files.createTempDirectory("softgrad-check-");
            compile(source, classes);
            try (URLClassLoader loader = new StubFirstLoader(classes.toUri().toURL(), Checker.class.getClassLoader())) {
                Class<?> cls = Class.forName(exercise.stubClass(), true, loader);
                return grade(exercise, exercise.instantiate(cls), "your " + exercise.className() + " (compiled from "
                        + source.getFileName() + ")", settings);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compile into a temporary folder", e);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(source + " must declare the class "
                    + exercise.stubClass(), e);
        } finally {
            deleteQuietly(classes);
        }
    }

    /** Grades an implementation (a solution, or a stub already on the class path). */
    public static <T> Notebook.Result grade(Exercise<T> exercise, T implementation, String who, Settings settings) {
        Notebook nb = Notebook.open("check-" + exercise.name(), "Exercise " + exercise.name() + ": " + exercise.task(), settings);
        nb.text("Grading %s with the claims of the notebook `%s` (`./softgrad run %s`).", who, exercise.notebook(),
                exercise.notebook());
        exercise.grader().grade(implementation, new Grading(nb));
        return nb.finish();
    }

    /** Grades the solution compiled into the project. */
    public static <T> Notebook.Result gradeSolution(Exercise<T> exercise, Settings settings) {
        try {
            return grade(exercise, exercise.instantiate(Class.forName(exercise.solutionClass())), "the solution "
                    + exercise.solutionClass(), settings);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the solution " + exercise.solutionClass() + " is missing", e);
        }
    }

    private static void compile(Path source, Path classes) throws IOException {
        List<File> sources;
        try (Stream<Path> s = Files.list(source.getParent())) {
            sources = s.filter(p -> p.toString().endsWith(".java")).sorted().map(Path::toFile).toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("check needs a JDK (javax.tools finds no compiler in "
                    + System.getProperty("java.home") + ")");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("-d", classes.toString(), "-classpath", classPath(), "-proc:none",
                    "-encoding", "UTF-8", "--release", "17", "-implicit:none");
            StringWriter out = new StringWriter();
            boolean ok = javac.getTask(out, files, diagnostics, options, null, files.getJavaFileObjectsFromFiles(sources)).call();
            if (!ok) {
                StringBuilder m = new StringBuilder("the exercises in " + source.getParent() + " do not compile:");
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        String file = d.getSource() == null ? "" : Path.of(d.getSource().toUri()).getFileName() + ":";
                        m.append(System.lineSeparator()).append("  ").append(file).append(d.getLineNumber()).append(": ")
                                .append(d.getMessage(Locale.ROOT));
                    }
                }
                throw new CompileException(m.toString());
            }
        }
    }

    /** The class path the stub compiles against: this JVM's, with the Class-Path of its jars' manifests expanded. */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.isBlank()) {
                continue;
            }
            entries.add(e);
            if (e.endsWith(".jar")) {
                entries.addAll(manifestClassPath(Path.of(e)));
            }
        }
        try {
            // the classes a stub sees, wherever this JVM found them (a test's manifest-only jar, an IDE)
            entries.add(Path.of(Tasks.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // the class path above is all there is
        }
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> manifestClassPath(Path jar) {
        List<String> out = new ArrayList<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest m = j.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (cp != null) {
                for (String entry : cp.trim().split("\\s+")) {
                    try {
                        URL u = jar.toAbsolutePath().getParent().toUri().resolve(entry).toURL();
                        out.add(Path.of(u.toURI()).toString());
                    } catch (MalformedURLException | java.net.URISyntaxException | IllegalArgumentException e) {
                        // an entry javac could not use either
                    }
                }
            }
        } catch (IOException e) {
            // not a readable jar: javac reports what it cannot find
        }
        return out;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }

    /** Loads the stubs' package from the fresh classes first, everything else from the parent. */
    private static final class StubFirstLoader extends URLClassLoader {
        StubFirstLoader(URL classes, ClassLoader parent) {
            super(new URL[] {classes}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(Exercise.STUBS + ".")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        c = super.loadClass(name, false);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
