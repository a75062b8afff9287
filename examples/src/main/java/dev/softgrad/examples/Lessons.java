package dev.softgrad.examples;

import dev.softgrad.datasets.Dataset;
import java.nio.file.Path;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The helpers several notebooks share, so that no notebook imports another: Shannon entropy, the
 * arg-max and accuracy, a plain softmax and log-sum-exp, sampling, one-hot rows, moving averages,
 * Gaussian matrices, label noise, the largest entry-wise difference, central differences (a
 * gradient row by row, a Jacobian column by column), and the {@code -o data=} option of the
 * notebooks that read the real data sets. Each is the plain loop a reader can check at
 * a glance (the library's own versions are what the notebooks test).
 */
public final class Lessons {
    private Lessons() {
    }

    /** {@code -o data=FOLDER}: where the real data sets are read from. */
    public static final ExampleOption<Path> DATA = ExampleOption.path("data", "../shared/datasets",
            "folder of the real data sets (downloaded into the cache when absent)");

    /** The Shannon entropy {@code H(p) = -sum_k p_k ln p_k} in nats (0 ln 0 = 0). */
    public static double entropy(double[] p) {
        double h = 0;
        for (double v : p) {
            h -= v > 0 ? v * Math.log(v) : 0.0;
        }
        return h;
    }

    /** The index of the largest entry (the first one on ties). */
    public static int argmax(double[] p) {
        int best = 0;
        for (int a = 1; a < p.length; a++) {
            best = p[a] > p[best] ? a : best;
        }
        return best;
    }

    /** A rows x cols matrix of independent standard normal draws, row by row. */
    public static double[][] gaussian(Random rnd, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        return a;
    }

    /** The same data with a seeded fraction of the labels replaced by uniformly random ones. */
    public static Dataset withLabelNoise(Dataset d, double fraction, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = d.labels();
        for (int i = 0; i < y.length; i++) {
            if (r.nextDouble() < fraction) {
                y[i] = r.nextInt(d.numClasses());
            }
        }
        return new Dataset(d.name() + "-noisy", d.features(), y, d.classNames());
    }

    /** The largest |a_ij - b_ij| over two matrices of the same shape. */
    public static double maxAbsDiff(double[][] a, double[][] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return m;
    }

    /** A loss of one row of logits; {@code row} picks that row's label or target. */
    @FunctionalInterface
    public interface RowLoss {
        /** The loss of row {@code row} at logits {@code z}. */
        double of(int row, double[] z);
    }

    /**
     * The largest |gradient_ij - numeric_ij| over the first {@code rows} rows of z, where numeric_ij is
     * the central difference (L_i(z_i + h e_j) - L_i(z_i - h e_j)) / 2h of row i's loss, h = 1e-6
     * (float64 losses of order 1: the truncation error h^2 and the rounding error 1e-16 / h are both
     * near 1e-10).
     */
    public static double worstCentralDifference(double[][] gradient, double[][] z, int rows, RowLoss loss) {
        double h = 1e-6;
        double worst = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < z[i].length; j++) {
                double[] up = z[i].clone();
                double[] down = z[i].clone();
                up[j] += h;
                down[j] -= h;
                double numeric = (loss.of(i, up) - loss.of(i, down)) / (2 * h);
                worst = Math.max(worst, Math.abs(gradient[i][j] - numeric));
            }
        }
        return worst;
    }

    /** The largest |a_i - b_i| over two vectors of the same length. */
    public static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** Whether every entry is finite (no NaN, no infinity). */
    public static boolean finite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** n copies of value (a horizontal line for a chart). */
    public static double[] fill(int n, double value) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, value);
        return out;
    }

    /** value at index a, 0 elsewhere, length k. */
    public static double[] oneHot(int k, int a, double value) {
        double[] e = new double[k];
        e[a] = value;
        return e;
    }

    /** The entries with {@link Notebook#num}, as "[a, b, c]" (evidence for a claim). */
    public static String nums(double[] a) {
        return java.util.Arrays.toString(java.util.Arrays.stream(a).mapToObj(Notebook::num).toArray());
    }

    /** softmax(z / tau) of one row in plain double arithmetic, the max subtracted first. */
    public static double[] softmax(double[] z, double tau) {
        double max = java.util.Arrays.stream(z).max().orElseThrow();
        double[] p = new double[z.length];
        double sum = 0;
        for (int j = 0; j < z.length; j++) {
            p[j] = Math.exp((z[j] - max) / tau);
            sum += p[j];
        }
        for (int j = 0; j < z.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    /** ln sum_j e^{z_j} of one row in plain double arithmetic, computed as max + ln sum e^{z_j - max}. */
    public static double logSumExp(double[] z) {
        double max = java.util.Arrays.stream(z).max().orElseThrow();
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    /** An index drawn from the distribution p by inversion of one uniform draw. */
    public static int sample(double[] p, java.util.random.RandomGenerator rnd) {
        double u = rnd.nextDouble();
        double c = 0;
        for (int a = 0; a < p.length; a++) {
            c += p[a];
            if (u < c) {
                return a;
            }
        }
        return p.length - 1;
    }

    /** The trailing moving average of y over the last {@code window} points (fewer at the start). */
    public static double[] movingAverage(double[] y, int window) {
        double[] out = new double[y.length];
        double sum = 0;
        for (int t = 0; t < y.length; t++) {
            sum += y[t] - (t >= window ? y[t - window] : 0);
            out[t] = sum / Math.min(t + 1, window);
        }
        return out;
    }

    /** The share of rows whose largest score is at the label. */
    public static double accuracy(double[][] scores, int[] labels) {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += argmax(scores[i]) == labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }

    /** The Jacobian of f at z by central differences, column j from z +- h e_j. */
    public static double[][] jacobianByDifferences(java.util.function.UnaryOperator<double[]> f, double[] z, double h) {
        double[][] out = new double[z.length][z.length];
        for (int j = 0; j < z.length; j++) {
            double[] up = z.clone();
            double[] down = z.clone();
            up[j] += h;
            down[j] -= h;
            double[] fUp = f.apply(up);
            double[] fDown = f.apply(down);
            for (int i = 0; i < z.length; i++) {
                out[i][j] = (fUp[i] - fDown[i]) / (2 * h);
            }
        }
        return out;
    }
}
