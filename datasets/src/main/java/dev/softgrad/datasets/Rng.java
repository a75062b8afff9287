package dev.softgrad.datasets;

/**
 * SplitMix64 (Steele, Lea and Flood, 2014; the generator behind {@link java.util.SplittableRandom})
 * with its own, fixed derivations of doubles, bounded integers and Gaussians, so that every seeded
 * result of this module is the same on every machine and every JDK. Gaussians use Box-Muller with
 * {@link StrictMath}, whose results are specified bit for bit.
 */
final class Rng {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    Rng(long seed) {
        this.state = seed;
    }

    /** A generator for a sub-stream (for example one per epoch), decorrelated from this seed. */
    static Rng derived(long seed, long stream) {
        return new Rng(mix64(seed ^ mix64(stream + GOLDEN_GAMMA)));
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1), 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), unbiased (Lemire's multiply-and-reject on the upper 32 bits). */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xffffffffL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xffffffffL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Standard normal, Box-Muller with StrictMath. */
    double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1 = 1.0 - nextDouble(); // (0, 1]: the log is finite
        double u2 = nextDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        double theta = 2.0 * StrictMath.PI * u2;
        spareGaussian = r * StrictMath.sin(theta);
        hasSpare = true;
        return r * StrictMath.cos(theta);
    }

    /** Shuffles in place (Fisher-Yates). */
    void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
