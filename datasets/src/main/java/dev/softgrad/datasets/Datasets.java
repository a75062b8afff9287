package dev.softgrad.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Named data sets in one line: the embedded default (no file, no download) and the real ones.
 *
 * <p>Each real data set comes in three forms: no argument (the standard cache folder,
 * {@code $SOFTGRAD_DATA} or {@code ~/.softgrad/datasets}, downloading what is missing), a
 * {@link Path} (that folder, downloading into it what is missing) and a {@link DataCache} (full
 * control, e.g. {@code DataCache.at(dir).offline()}). Files already in the folder are used as they
 * are; the folder layout is the one of the project's shared reference data:
 *
 * <pre>
 * iris.csv                 scikit-learn's copy (header "150,4,setosa,versicolor,virginica"), or
 * iris.data                UCI's file (downloaded if neither is present)
 * digits.csv.gz            scikit-learn's copy of UCI optdigits.tes (or digits.csv), or
 * optdigits.tes            UCI's file (downloaded if none is present)
 * mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]
 * fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]
 * </pre>
 *
 * <pre>{@code
 * Dataset data = Datasets.embeddedDefault();                      // 600 x 10, 5 classes, no I/O
 * Dataset iris = Datasets.iris(Path.of("../shared/datasets"));      // 150 x 4, 3 classes
 * Dataset test = Datasets.mnistTest();                             // 10000 x 784 float32 in [0, 1]
 * }</pre>
 *
 * <p><b>Checksums.</b> Downloads are verified against the SHA-256 constants below. None could be
 * checked against a download on the machine this was written on (no internet); their provenance
 * is stated on each. Note that the MNIST test files in the project's shared folder decompress to
 * the published bytes but are not byte-identical gzip files (their SHA-256 differs from the
 * published one), so they cannot serve as a reference for the download checksum.
 */
public final class Datasets {
    /** Seed of {@link #embeddedDefault()}. */
    public static final long EMBEDDED_SEED = 20240607L;

    /** Iris class names, label order. */
    public static final List<String> IRIS_CLASSES = List.of("setosa", "versicolor", "virginica");
    /** Digit class names "0".."9" (MNIST and the 8x8 digits). */
    public static final List<String> DIGIT_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** Fashion-MNIST class names, label order (from the publisher's README). */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The mirror of the MNIST files that torchvision uses. */
    public static final String MNIST_BASE_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/";
    /** The publisher's (Zalando Research) address of the Fashion-MNIST files. */
    public static final String FASHION_MNIST_BASE_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    /**
     * SHA-256 of UCI's {@code iris.data} (4551 bytes). NOT VERIFIED HERE: taken from a public
     * package that pins it (PreprocessData.jl), not checked against a download.
     */
    public static final String IRIS_DATA_SHA256_UNVERIFIED = "6f608b71a7317216319b4d27b4d9bc84e6abd734eda7872b71a458569e2656c0";
    /**
     * SHA-256 of UCI's {@code optdigits.tes}. NOT VERIFIED HERE: computed from the decompressed
     * {@code digits.csv.gz} of scikit-learn (a copy of that file: 1797 LF-terminated lines), on the
     * assumption that UCI's file is byte-identical; if it is not, the download fails with a checksum
     * mismatch and the message says where to put the file by hand.
     */
    public static final String OPTDIGITS_TES_SHA256_UNVERIFIED = "6ebb3d2fee246a4e99363262ddf8a00a3c41bee6014c373ed9d9216ba7f651b8";

    /** UCI's Iris file (labels as names such as "Iris-setosa"). */
    public static final RemoteFile IRIS_DATA = RemoteFile.of("iris.data",
            "https://archive.ics.uci.edu/ml/machine-learning-databases/iris/iris.data", IRIS_DATA_SHA256_UNVERIFIED, 4551);
    /** UCI's optdigits test part: 1797 rows of 64 pixel counts 0..16 and the digit (264712 bytes, as scikit-learn's copy). */
    public static final RemoteFile OPTDIGITS_TES = RemoteFile.of("optdigits.tes",
            "https://archive.ics.uci.edu/ml/machine-learning-databases/optdigits/optdigits.tes",
            OPTDIGITS_TES_SHA256_UNVERIFIED, 264712);

    // MNIST SHA-256: the values pinned by TensorFlow Datasets' metadata and several independent
    // projects for the same files (sizes 9912422, 28881, 1648877, 4542 bytes); not checked against a
    // download here.
    /** MNIST training images, 60000 x 28 x 28. */
    public static final RemoteFile MNIST_TRAIN_IMAGES = mnist("train-images-idx3-ubyte.gz", 9912422,
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609");
    /** MNIST training labels, 60000. */
    public static final RemoteFile MNIST_TRAIN_LABELS = mnist("train-labels-idx1-ubyte.gz", 28881,
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c");
    /** MNIST test images, 10000 x 28 x 28. */
    public static final RemoteFile MNIST_TEST_IMAGES = mnist("t10k-images-idx3-ubyte.gz", 1648877,
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6");
    /** MNIST test labels, 10000. */
    public static final RemoteFile MNIST_TEST_LABELS = mnist("t10k-labels-idx1-ubyte.gz", 4542,
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6");

    // Fashion-MNIST SHA-256: as pinned by public projects (batchup and a checksum list), consistent
    // with each other; not checked against a download here. The size caps are the published sizes
    // (about 26 MB, 29 KB, 4.4 MB and 5 KB) rounded up, as the exact sizes were not at hand.
    /** Fashion-MNIST training images, 60000 x 28 x 28. */
    public static final RemoteFile FASHION_MNIST_TRAIN_IMAGES = fashion("train-images-idx3-ubyte.gz", 32L << 20,
            "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc");
    /** Fashion-MNIST training labels, 60000. */
    public static final RemoteFile FASHION_MNIST_TRAIN_LABELS = fashion("train-labels-idx1-ubyte.gz", 64L << 10,
            "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc");
    /** Fashion-MNIST test images, 10000 x 28 x 28. */
    public static final RemoteFile FASHION_MNIST_TEST_IMAGES = fashion("t10k-images-idx3-ubyte.gz", 8L << 20,
            "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229");
    /** Fashion-MNIST test labels, 10000. */
    public static final RemoteFile FASHION_MNIST_TEST_LABELS = fashion("t10k-labels-idx1-ubyte.gz", 64L << 10,
            "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf");

    private Datasets() {
    }

    private static RemoteFile mnist(String file, long size, String sha256) {
        return RemoteFile.of("mnist/" + file, MNIST_BASE_URL + file, sha256, size);
    }

    private static RemoteFile fashion(String file, long maxBytes, String sha256) {
        return RemoteFile.of("fashion-mnist/" + file, FASHION_MNIST_BASE_URL + file, sha256, maxBytes);
    }

    /**
     * The data set the README's first job uses without any file or download: seeded Gaussian blobs,
     * 600 rows, 10 float32 features, 5 balanced classes (120 rows each) whose centres are at least
     * 3.0 standard deviations apart, i.e. {@code Synthetic.blobs(600, 5, 10, 3.0, EMBEDDED_SEED)}
     * named "embedded-blobs". The nearest-class-mean rule (a linear classifier, close to optimal for
     * these equal-variance classes) labels 91.3 % of its rows correctly, so a linear softmax model
     * should reach about 90 %; it is identical on every machine.
     */
    public static Dataset embeddedDefault() {
        return Synthetic.blobs(600, 5, 10, 3.0, EMBEDDED_SEED).withName("embedded-blobs");
    }

    /** Iris from the standard cache; see {@link #iris(DataCache)}. */
    public static Dataset iris() throws IOException {
        return iris(DataCache.standard());
    }

    /** Iris from (or downloaded into) {@code folder}; see {@link #iris(DataCache)}. */
    public static Dataset iris(Path folder) throws IOException {
        return iris(DataCache.at(folder));
    }

    /**
     * Fisher's Iris: 150 x 4 float32 (sepal length, sepal width, petal length, petal width in cm),
     * 3 classes of 50, named "iris". Read from {@code iris.csv} (scikit-learn's headed copy) if the
     * folder has it, else from UCI's {@code iris.data}, downloaded if missing. (UCI's file differs
     * from Fisher's paper, and from scikit-learn's corrected copy, in rows 35 and 38: one and two
     * values, as UCI's own notes say.)
     */
    public static Dataset iris(DataCache cache) throws IOException {
        return iris(cache, DataType.FLOAT);
    }

    /** Iris from the standard cache in float32 or float64; see {@link #iris(DataCache, DataType)}. */
    public static Dataset iris(DataType type) throws IOException {
        return iris(DataCache.standard(), type);
    }

    /** Iris from (or downloaded into) {@code folder} in float32 or float64; see {@link #iris(DataCache, DataType)}. */
    public static Dataset iris(Path folder, DataType type) throws IOException {
        return iris(DataCache.at(folder), type);
    }

    /**
     * {@link #iris(DataCache)} in float32 or float64. Float64 features are the decimal text read as
     * doubles (5.1 is the double nearest 5.1), not float32 values widened.
     *
     * @param type FLOAT or DOUBLE
     */
    public static Dataset iris(DataCache cache, DataType type) throws IOException {
        Path headed = cache.folder().resolve("iris.csv");
        if (Files.isRegularFile(headed)) {
            return Csv.readWithHeader(headed, "iris", type);
        }
        Path uci = cache.require("iris", List.of(IRIS_DATA)).get(0);
        Dataset d = Csv.readNumeric(uci, -1, List.of("Iris-setosa", "Iris-versicolor", "Iris-virginica"), "iris",
                type);
        return new Dataset("iris", d.features(), d.labelsUnsafe(), IRIS_CLASSES);
    }

    /** The 8x8 digits from the standard cache; see {@link #digits(DataCache)}. */
    public static Dataset digits() throws IOException {
        return digits(DataCache.standard());
    }

    /** The 8x8 digits from (or downloaded into) {@code folder}; see {@link #digits(DataCache)}. */
    public static Dataset digits(Path folder) throws IOException {
        return digits(DataCache.at(folder));
    }

    /**
     * The UCI optical-recognition digits, test part (the set scikit-learn ships as "digits"): 1797
     * images of 8x8 pixel counts 0..16 as 64 float32 features (not rescaled), classes "0".."9",
     * named "digits". Read from {@code digits.csv.gz} or {@code digits.csv} if present, else from
     * UCI's {@code optdigits.tes}, downloaded if missing.
     */
    public static Dataset digits(DataCache cache) throws IOException {
        return digits(cache, DataType.FLOAT);
    }

    /** The 8x8 digits from the standard cache in float32 or float64; see {@link #digits(DataCache, DataType)}. */
    public static Dataset digits(DataType type) throws IOException {
        return digits(DataCache.standard(), type);
    }

    /** The 8x8 digits from (or downloaded into) {@code folder} in float32 or float64. */
    public static Dataset digits(Path folder, DataType type) throws IOException {
        return digits(DataCache.at(folder), type);
    }

    /**
     * {@link #digits(DataCache)} in float32 or float64 (the pixel counts are integers, exact in both).
     *
     * @param type FLOAT or DOUBLE
     */
    public static Dataset digits(DataCache cache, DataType type) throws IOException {
        for (String local : new String[] {"digits.csv.gz", "digits.csv"}) {
            Path p = cache.folder().resolve(local);
            if (Files.isRegularFile(p)) {
                return Csv.readNumeric(p, -1, DIGIT_CLASSES, "digits", type);
            }
        }
        Path uci = cache.require("digits", List.of(OPTDIGITS_TES)).get(0);
        return Csv.readNumeric(uci, -1, DIGIT_CLASSES, "digits", type);
    }

    /** MNIST training set (60000) from the standard cache; see {@link #mnistTest(DataCache)}. */
    public static Dataset mnistTrain() throws IOException {
        return mnistTrain(DataCache.standard());
    }

    /** MNIST training set (60000) from (or downloaded into) {@code folder}. */
    public static Dataset mnistTrain(Path folder) throws IOException {
        return mnistTrain(DataCache.at(folder));
    }

    /** MNIST training set: 60000 x 784 float32 in [0, 1], classes "0".."9", named "mnist-train". */
    public static Dataset mnistTrain(DataCache cache) throws IOException {
        return idx(cache, "mnist-train", MNIST_TRAIN_IMAGES, MNIST_TRAIN_LABELS, DIGIT_CLASSES);
    }

    /** MNIST test set (10000) from the standard cache; see {@link #mnistTest(DataCache)}. */
    public static Dataset mnistTest() throws IOException {
        return mnistTest(DataCache.standard());
    }

    /** MNIST test set (10000) from (or downloaded into) {@code folder}. */
    public static Dataset mnistTest(Path folder) throws IOException {
        return mnistTest(DataCache.at(folder));
    }

    /**
     * MNIST test set: 10000 x 784 float32, pixel / 255 so in [0, 1], row-major 28x28, classes
     * "0".."9", named "mnist-test". The files {@code mnist/t10k-*-ubyte.gz} (or without ".gz") are
     * read from the cache folder, downloaded from {@link #MNIST_BASE_URL} if missing.
     */
    public static Dataset mnistTest(DataCache cache) throws IOException {
        return idx(cache, "mnist-test", MNIST_TEST_IMAGES, MNIST_TEST_LABELS, DIGIT_CLASSES);
    }

    /** Fashion-MNIST training set (60000) from the standard cache. */
    public static Dataset fashionMnistTrain() throws IOException {
        return fashionMnistTrain(DataCache.standard());
    }

    /** Fashion-MNIST training set (60000) from (or downloaded into) {@code folder}. */
    public static Dataset fashionMnistTrain(Path folder) throws IOException {
        return fashionMnistTrain(DataCache.at(folder));
    }

    /** Fashion-MNIST training set: 60000 x 784 float32 in [0, 1], named "fashion-mnist-train". */
    public static Dataset fashionMnistTrain(DataCache cache) throws IOException {
        return idx(cache, "fashion-mnist-train", FASHION_MNIST_TRAIN_IMAGES, FASHION_MNIST_TRAIN_LABELS,
                FASHION_MNIST_CLASSES);
    }

    /** Fashion-MNIST test set (10000) from the standard cache. */
    public static Dataset fashionMnistTest() throws IOException {
        return fashionMnistTest(DataCache.standard());
    }

    /** Fashion-MNIST test set (10000) from (or downloaded into) {@code folder}. */
    public static Dataset fashionMnistTest(Path folder) throws IOException {
        return fashionMnistTest(DataCache.at(folder));
    }

    /** Fashion-MNIST test set: 10000 x 784 float32 in [0, 1], named "fashion-mnist-test". */
    public static Dataset fashionMnistTest(DataCache cache) throws IOException {
        return idx(cache, "fashion-mnist-test", FASHION_MNIST_TEST_IMAGES, FASHION_MNIST_TEST_LABELS,
                FASHION_MNIST_CLASSES);
    }

    /** Images and labels: each file gzipped, or raw beside it (name without ".gz"), or downloaded. */
    private static Dataset idx(DataCache cache, String name, RemoteFile images, RemoteFile labels, List<String> classes)
            throws IOException {
        List<RemoteFile> files = List.of(images, labels);
        List<Path> paths = new ArrayList<>();
        boolean allLocal = true;
        for (RemoteFile f : files) {
            Path gz = cache.pathOf(f);
            Path raw = gz.resolveSibling(gz.getFileName().toString().replaceFirst("\\.gz$", ""));
            Path found = Files.isRegularFile(gz) ? gz : Files.isRegularFile(raw) ? raw : null;
            allLocal &= found != null;
            paths.add(found);
        }
        if (!allLocal) {
            List<Path> fetched = cache.require(name, files);
            for (int i = 0; i < paths.size(); i++) {
                if (paths.get(i) == null) {
                    paths.set(i, fetched.get(i));
                }
            }
        }
        return Idx.readImages(paths.get(0), paths.get(1), name, classes);
    }
}
