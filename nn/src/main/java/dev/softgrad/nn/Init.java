package dev.softgrad.nn;

import dev.softgrad.core.Dense;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How a {@link Linear} layer's weight [D, K] is initialised (biases always start at zero).
 *
 * <ul>
 *   <li>{@link #zeros()}: all zero. Fine for a softmax classifier (a convex problem); an MLP
 *       started at zero never breaks the symmetry between its hidden units.</li>
 *   <li>{@link #xavierUniform(long)}: U(-a, a) with a = gain * sqrt(6 / (D + K)) (Glorot and
 *       Bengio 2010; PyTorch's {@code xavier_uniform_}); suits tanh and sigmoid.</li>
 *   <li>{@link #heNormal(long)}: N(0, (gain * sqrt(2 / D))^2) (He et al. 2015; PyTorch's
 *       {@code kaiming_normal_} with fan_in); suits ReLU.</li>
 *   <li>{@link #normal(double, long)}: N(0, std^2), e.g. deliberately large weights that saturate
 *       sigmoid units.</li>
 * </ul>
 *
 * <p>Random draws come from {@link java.util.Random} seeded with {@code seed}, whose algorithm is
 * fixed by its specification: the same seed gives the same weights on every machine and JVM. The
 * draws fill the weight in row-major order, in double, then round to the layer's data type.
 *
 * @param kind  the rule
 * @param scale the gain (xavier, he) or the standard deviation (normal); ignored for zeros
 * @param seed  the seed of the draws; ignored for zeros
 */
public record Init(Kind kind, double scale, long seed) {
    /** The initialisation rules. */
    public enum Kind {
        /** All zero. */
        ZEROS,
        /** Glorot uniform. */
        XAVIER_UNIFORM,
        /** He (Kaiming) normal, fan-in. */
        HE_NORMAL,
        /** Normal with a given standard deviation. */
        NORMAL
    }

    /** Validates. */
    public Init {
        if (kind == null) {
            throw new IllegalArgumentException("Init: kind must not be null");
        }
        if (!(scale >= 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("Init: scale must be a finite number >= 0, got " + scale);
        }
    }

    /** All zeros. */
    public static Init zeros() {
        return new Init(Kind.ZEROS, 0, 0);
    }

    /** Glorot uniform with gain 1. */
    public static Init xavierUniform(long seed) {
        return new Init(Kind.XAVIER_UNIFORM, 1, seed);
    }

    /** He normal (fan-in) with gain 1. */
    public static Init heNormal(long seed) {
        return new Init(Kind.HE_NORMAL, 1, seed);
    }

    /** Normal with standard deviation {@code std}. */
    public static Init normal(double std, long seed) {
        return new Init(Kind.NORMAL, std, seed);
    }

    /** The same rule with another seed (used to give each layer of a network its own draws). */
    public Init withSeed(long newSeed) {
        return new Init(kind, scale, newSeed);
    }

    /** A new weight array [fanIn, fanOut] drawn by this rule. */
    public INDArray weight(int fanIn, int fanOut, DataType type) {
        INDArray w = Nd4j.zeros(type, fanIn, fanOut);
        if (kind == Kind.ZEROS) {
            return w;
        }
        Random rng = new Random(seed);
        Dense f = Dense.of(w);
        for (int i = 0; i < f.length(); i++) {
            double v;
            switch (kind) {
                case XAVIER_UNIFORM:
                    double a = scale * Math.sqrt(6.0 / (fanIn + fanOut));
                    v = (2 * rng.nextDouble() - 1) * a;
                    break;
                case HE_NORMAL:
                    v = rng.nextGaussian() * scale * Math.sqrt(2.0 / fanIn);
                    break;
                default:
                    v = rng.nextGaussian() * scale;
                    break;
            }
            f.set(i, v);
        }
        return w;
    }
}
