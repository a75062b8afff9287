package dev.softgrad.datasets;

import java.util.Arrays;
import java.util.Objects;

/**
 * A training part and a test part of one data set, made by {@link #stratified(Dataset, double, long)}.
 *
 * <pre>{@code
 * Split split = Split.stratified(Datasets.iris(), 0.2, 42);   // 120 train, 30 test, 10 per class
 * Split inner = Split.stratified(split.train(), 0.25, 42);    // a validation part from the training part
 * }</pre>
 *
 * @param train the part to fit models and scalers on
 * @param test  the held-out part; same features and classes as {@code train}
 */
public record Split(Dataset train, Dataset test) {
    /** Checks that both parts exist and describe the same features and classes. */
    public Split {
        Objects.requireNonNull(train, "train must not be null");
        Objects.requireNonNull(test, "test must not be null");
        if (train.numFeatures() != test.numFeatures()) {
            throw new IllegalArgumentException("test: expected " + train.numFeatures() + " features like train, got "
                    + test.numFeatures());
        }
        if (!train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("test: expected the class names of train " + train.classNames() + ", got "
                    + test.classNames());
        }
    }

    /**
     * Splits seeded and stratified: for each class with {@code m} rows, {@code round(m * testFraction)}
     * rows chosen at random go to the test part and the rest to the training part, so both parts keep
     * the class proportions. Each part keeps the original row order. The result depends only on the
     * data, the fraction and the seed. Parts are named {@code name/train} and {@code name/test}.
     *
     * @param testFraction in (0, 1)
     * @throws IllegalArgumentException if the fraction is outside (0, 1) or leaves a part empty
     */
    public static Split stratified(Dataset data, double testFraction, long seed) {
        Objects.requireNonNull(data, "data must not be null");
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction: expected a value in (0, 1), got " + testFraction);
        }
        int k = data.numClasses();
        int[] counts = data.classCounts();
        int[][] byClass = new int[k][];
        for (int c = 0; c < k; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] fill = new int[k];
        int[] labels = data.labelsUnsafe();
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][fill[labels[i]]++] = i;
        }
        Rng rng = new Rng(seed);
        boolean[] inTest = new boolean[labels.length];
        int testSize = 0;
        for (int c = 0; c < k; c++) {
            rng.shuffle(byClass[c]);
            int t = (int) Math.round(counts[c] * testFraction);
            for (int i = 0; i < t; i++) {
                inTest[byClass[c][i]] = true;
            }
            testSize += t;
        }
        int trainSize = labels.length - testSize;
        if (testSize == 0 || trainSize == 0) {
            throw new IllegalArgumentException("testFraction: " + testFraction + " of the " + labels.length + " rows of '"
                    + data.name() + "' (class counts " + Arrays.toString(counts) + ") leaves the "
                    + (testSize == 0 ? "test" : "training") + " part empty");
        }
        int[] trainRows = new int[trainSize];
        int[] testRows = new int[testSize];
        for (int i = 0, a = 0, b = 0; i < labels.length; i++) {
            if (inTest[i]) {
                testRows[b++] = i;
            } else {
                trainRows[a++] = i;
            }
        }
        return new Split(data.subset(data.name() + "/train", trainRows), data.subset(data.name() + "/test", testRows));
    }
}
