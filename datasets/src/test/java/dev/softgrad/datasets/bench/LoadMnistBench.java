package dev.softgrad.datasets.bench;

import dev.softgrad.datasets.DataCache;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Datasets;
import dev.softgrad.datasets.Idx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * How long loading the MNIST test set (10000 images, gzip IDX) into a float32 [10000, 784] array
 * takes: {@code Datasets.mnistTest(folder)} end to end (read, decompress, validate, scale to
 * [0, 1], one copy into ND4J, finiteness check), and the decompress-and-parse part alone.
 * Warm-up runs first, then the median, minimum and maximum of the timed runs.
 *
 * <pre>
 * mvn -q -pl datasets test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.softgrad.datasets.bench.LoadMnistBench [-Dexec.args="path/to/datasets 5 21"]
 * </pre>
 * Arguments: the folder holding {@code mnist/t10k-*.gz} (default {@code ../shared/datasets} from the
 * project root), warm-up runs (default 5), timed runs (default 21).
 */
public final class LoadMnistBench {
    private LoadMnistBench() {
    }

    /** Runs the benchmark and prints one line per measurement. */
    public static void main(String[] args) throws Exception {
        Path folder = args.length > 0 ? Path.of(args[0]) : defaultFolder();
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 21;
        DataCache cache = DataCache.at(folder).offline();
        Path images = folder.resolve("mnist/t10k-images-idx3-ubyte.gz");

        long t0 = System.nanoTime();
        Dataset first = Datasets.mnistTest(cache);
        double firstMs = (System.nanoTime() - t0) / 1e6;
        for (int i = 0; i < warmup; i++) {
            Datasets.mnistTest(cache);
            Idx.read(images);
        }
        double[] full = new double[runs];
        double[] parse = new double[runs];
        long checksum = 0;
        for (int i = 0; i < runs; i++) {
            long a = System.nanoTime();
            Dataset d = Datasets.mnistTest(cache);
            long b = System.nanoTime();
            Idx.Data raw = Idx.read(images);
            long c = System.nanoTime();
            full[i] = (b - a) / 1e6;
            parse[i] = (c - b) / 1e6;
            checksum += d.size() + raw.values().length;
        }
        System.out.printf(Locale.ROOT, "MNIST test set %s: %d x %d %s (checksum %d)%n", folder, first.size(),
                first.numFeatures(), first.dataType(), checksum);
        System.out.printf(Locale.ROOT, "first load (cold JVM, includes ND4J start-up): %.0f ms%n", firstMs);
        System.out.printf(Locale.ROOT, "Datasets.mnistTest, %d runs after %d warm-up: %s%n", runs, warmup, stats(full));
        System.out.printf(Locale.ROOT, "Idx.read of the images file alone (gunzip + validate): %s%n", stats(parse));
    }

    private static String stats(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "median %.1f ms (min %.1f, max %.1f)", s[s.length / 2], s[0], s[s.length - 1]);
    }

    private static Path defaultFolder() {
        Path cwd = Path.of("").toAbsolutePath();
        Path root = Files.isRegularFile(cwd.resolveSibling("pom.xml")) && Files.isRegularFile(cwd.resolve("pom.xml"))
                ? cwd.getParent() : cwd;
        return root.resolve("../shared/datasets").normalize();
    }
}
