package dev.softgrad.datasets;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Seeded synthetic classification data, identical on every machine and JDK for a given seed (a
 * SplitMix64 generator and {@link StrictMath}; no ND4J randomness). Rows are shuffled with the same
 * seed, so any prefix is a fair sample; classes are balanced (sizes differ by at most one).
 *
 * <p>Each generator has a float32 form and a form with an explicit data type (FLOAT or DOUBLE);
 * values are generated in double precision and rounded once for float32.
 *
 * <pre>{@code
 * Dataset blobs = Synthetic.blobs(600, 5, 10, 3.0, 42);       // 5 Gaussian classes in 10-D
 * Dataset spiral = Synthetic.spirals(300, 3, 0.2, 1);          // the classic 3-arm spiral
 * Dataset sep = Synthetic.linearlySeparable(400, 20, 0.5, 3);  // gap of 2 x 0.5 around a hyperplane
 * }</pre>
 */
public final class Synthetic {
    private Synthetic() {
    }

    /** Gaussian blobs in float32; see {@link #blobs(int, int, int, double, long, DataType)}. */
    public static Dataset blobs(int n, int numClasses, int dims, double separation, long seed) {
        return blobs(n, numClasses, dims, separation, seed, DataType.FLOAT);
    }

    /**
     * Gaussian blobs: {@code numClasses} isotropic Gaussians with standard deviation 1 in
     * {@code dims} dimensions. The class centres are drawn uniformly in a cube and then scaled so
     * that the smallest distance between two centres is exactly {@code separation} (in units of the
     * within-class standard deviation): 1 overlaps heavily, 3 is easy for a linear model, 6 is
     * almost perfectly separable.
     *
     * @param n          rows, at least {@code numClasses}
     * @param numClasses K &ge; 2
     * @param dims       D &ge; 1
     * @param separation minimum distance between two centres, &gt; 0 and finite
     */
    public static Dataset blobs(int n, int numClasses, int dims, double separation, long seed, DataType type) {
        checkClasses(n, numClasses);
        checkPositive("dims", dims);
        if (!(separation > 0) || !Double.isFinite(separation)) {
            throw new IllegalArgumentException("separation: expected a finite value > 0, got " + separation);
        }
        Rng rng = new Rng(seed);
        double[] centres = new double[numClasses * dims];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = 2 * rng.nextDouble() - 1;
        }
        double minDist = Double.POSITIVE_INFINITY;
        for (int a = 0; a < numClasses; a++) {
            for (int b = a + 1; b < numClasses; b++) {
                double s = 0;
                for (int j = 0; j < dims; j++) {
                    double t = centres[a * dims + j] - centres[b * dims + j];
                    s += t * t;
                }
                minDist = Math.min(minDist, Math.sqrt(s));
            }
        }
        if (!(minDist > 0)) { // two identical draws: astronomically unlikely, but never divide by 0
            throw new IllegalStateException("blobs: two class centres coincide for seed " + seed);
        }
        double scale = separation / minDist;
        for (int i = 0; i < centres.length; i++) {
            centres[i] *= scale;
        }
        int[] labels = balancedLabels(n, numClasses);
        double[] x = new double[Math.multiplyExact(n, dims)];
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            for (int j = 0; j < dims; j++) {
                x[i * dims + j] = centres[c * dims + j] + rng.nextGaussian();
            }
        }
        String name = "blobs(n=" + n + ",k=" + numClasses + ",d=" + dims + ",sep=" + separation + ",seed=" + seed + ")";
        return shuffled(name, x, dims, labels, classNames("blob", numClasses), type, rng);
    }

    /** K-arm spirals in float32; see {@link #spirals(int, int, double, long, DataType)}. */
    public static Dataset spirals(int n, int arms, double noise, long seed) {
        return spirals(n, arms, noise, seed, DataType.FLOAT);
    }

    /**
     * K-arm spirals in 2-D (the classic demo that a linear model cannot learn). Point {@code i} of arm
     * {@code k} (of {@code m} points) sits at radius {@code r = i / (m - 1)} (0 to 1) and angle
     * {@code 2 pi k / arms + 2 pi r + noise * z}, z standard normal: each arm winds one full turn.
     *
     * @param n     rows, at least {@code 2 * arms}
     * @param arms  K &ge; 2, one class per arm
     * @param noise standard deviation of the angle in radians, &ge; 0 (0.2 is the usual demo)
     */
    public static Dataset spirals(int n, int arms, double noise, long seed, DataType type) {
        checkClasses(n, arms);
        if (n < 2 * arms) {
            throw new IllegalArgumentException("n: expected at least 2 points per arm (" + 2 * arms + "), got " + n);
        }
        checkNoise(noise);
        Rng rng = new Rng(seed);
        int[] labels = balancedLabels(n, arms);
        double[] x = new double[2 * n];
        int row = 0;
        for (int k = 0; k < arms; k++) {
            int m = n / arms + (k < n % arms ? 1 : 0);
            for (int i = 0; i < m; i++, row++) {
                double r = (double) i / (m - 1);
                double angle = 2 * StrictMath.PI * k / arms + 2 * StrictMath.PI * r + noise * rng.nextGaussian();
                x[2 * row] = r * StrictMath.sin(angle);
                x[2 * row + 1] = r * StrictMath.cos(angle);
            }
        }
        String name = "spirals(n=" + n + ",arms=" + arms + ",noise=" + noise + ",seed=" + seed + ")";
        return shuffled(name, x, 2, labels, classNames("arm", arms), type, rng);
    }

    /** XOR in float32; see {@link #xor(int, double, long, DataType)}. */
    public static Dataset xor(int n, double noise, long seed) {
        return xor(n, noise, seed, DataType.FLOAT);
    }

    /**
     * XOR in 2-D: four Gaussian clusters centred at {@code (+-1, +-1)} with standard deviation
     * {@code noise}; label 1 ("different") when the centre's two coordinates have different signs,
     * 0 ("same") otherwise. Not linearly separable; below noise 0.3 almost no point crosses an axis.
     *
     * @param n     rows, at least 4
     * @param noise standard deviation around each centre, &ge; 0
     */
    public static Dataset xor(int n, double noise, long seed, DataType type) {
        if (n < 4) {
            throw new IllegalArgumentException("n: expected at least 4 (one per XOR cluster), got " + n);
        }
        checkNoise(noise);
        Rng rng = new Rng(seed);
        int[] cluster = balancedLabels(n, 4);
        int[] labels = new int[n];
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double cx = (cluster[i] & 1) == 0 ? -1 : 1;
            double cy = (cluster[i] & 2) == 0 ? -1 : 1;
            labels[i] = cx == cy ? 0 : 1;
            x[2 * i] = cx + noise * rng.nextGaussian();
            x[2 * i + 1] = cy + noise * rng.nextGaussian();
        }
        String name = "xor(n=" + n + ",noise=" + noise + ",seed=" + seed + ")";
        return shuffled(name, x, 2, labels, List.of("same", "different"), type, rng);
    }

    /** Linearly separable data in float32; see {@link #linearlySeparable(int, int, double, long, DataType)}. */
    public static Dataset linearlySeparable(int n, int dims, double margin, long seed) {
        return linearlySeparable(n, dims, margin, seed, DataType.FLOAT);
    }

    /**
     * Two classes separated by a hyperplane through the origin with a guaranteed margin. A unit
     * normal {@code w} is drawn from the seed; each point starts as a standard normal vector
     * {@code z} with signed distance {@code s = w.z}, and is moved along {@code w} to signed distance
     * {@code sign(s) (|s| + margin)}. So every point lies at least {@code margin} from the plane (the
     * gap between the classes is {@code 2 margin}), label 1 ("positive") on the side {@code w.x > 0}.
     * A perceptron therefore converges; a logistic model can drive its loss towards zero, which
     * makes its weights grow and its outputs saturate.
     *
     * @param n      rows, at least 2
     * @param dims   D &ge; 1
     * @param margin distance of the closest possible point to the plane, &ge; 0 and finite
     */
    public static Dataset linearlySeparable(int n, int dims, double margin, long seed, DataType type) {
        if (n < 2) {
            throw new IllegalArgumentException("n: expected at least 2, got " + n);
        }
        checkPositive("dims", dims);
        if (!(margin >= 0) || !Double.isFinite(margin)) {
            throw new IllegalArgumentException("margin: expected a finite value >= 0, got " + margin);
        }
        Rng rng = new Rng(seed);
        double[] w = separatingNormal(rng, dims);
        double[] x = new double[Math.multiplyExact(n, dims)];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < dims; j++) {
                double z = rng.nextGaussian();
                x[i * dims + j] = z;
                s += z * w[j];
            }
            if (s == 0) { // measure zero, but keep the rule total: put it on the positive side
                s = Double.MIN_VALUE;
            }
            double target = Math.signum(s) * (Math.abs(s) + margin);
            for (int j = 0; j < dims; j++) {
                x[i * dims + j] += (target - s) * w[j];
            }
            labels[i] = s > 0 ? 1 : 0;
        }
        String name = "linearlySeparable(n=" + n + ",d=" + dims + ",margin=" + margin + ",seed=" + seed + ")";
        return shuffled(name, x, dims, labels, List.of("negative", "positive"), type, rng);
    }

    /**
     * The unit normal of the hyperplane that {@link #linearlySeparable(int, int, double, long)} uses
     * for this seed and dimension (the first random numbers the generator draws).
     */
    public static double[] separatingNormal(int dims, long seed) {
        checkPositive("dims", dims);
        return separatingNormal(new Rng(seed), dims);
    }

    private static double[] separatingNormal(Rng rng, int dims) {
        double[] w = new double[dims];
        double norm = 0;
        while (!(norm > 1e-6)) {
            norm = 0;
            for (int j = 0; j < dims; j++) {
                w[j] = rng.nextGaussian();
                norm += w[j] * w[j];
            }
            norm = Math.sqrt(norm);
        }
        for (int j = 0; j < dims; j++) {
            w[j] /= norm;
        }
        return w;
    }

    /** Labels 0,0,..,1,1,..: class sizes differ by at most one, the first classes get the remainder. */
    private static int[] balancedLabels(int n, int k) {
        int[] labels = new int[n];
        int row = 0;
        for (int c = 0; c < k; c++) {
            int m = n / k + (c < n % k ? 1 : 0);
            for (int i = 0; i < m; i++) {
                labels[row++] = c;
            }
        }
        return labels;
    }

    private static Dataset shuffled(String name, double[] x, int d, int[] labels, List<String> classNames,
            DataType type, Rng rng) {
        int n = labels.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        rng.shuffle(order);
        double[] xs = new double[x.length];
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, order[i] * d, xs, i * d, d);
            ys[i] = labels[order[i]];
        }
        return Dataset.of(name, xs, d, ys, classNames, type);
    }

    private static List<String> classNames(String prefix, int k) {
        List<String> names = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    private static void checkClasses(int n, int k) {
        if (k < 2) {
            throw new IllegalArgumentException("number of classes: expected >= 2, got " + k);
        }
        if (n < k) {
            throw new IllegalArgumentException("n: expected at least one row per class (" + k + "), got " + n);
        }
    }

    private static void checkPositive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + ": expected >= 1, got " + v);
        }
    }

    private static void checkNoise(double noise) {
        if (!(noise >= 0) || !Double.isFinite(noise)) {
            throw new IllegalArgumentException("noise: expected a finite value >= 0, got " + noise);
        }
    }
}
