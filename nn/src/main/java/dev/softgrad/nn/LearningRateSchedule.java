package dev.softgrad.nn;

/**
 * A learning rate per epoch, from the base rate {@code Sgd.Config.lr()}; the {@link Trainer} sets it
 * before each epoch. The three rules follow PyTorch's schedulers stepped once per epoch:
 * <ul>
 *   <li>constant: {@code base};</li>
 *   <li>step ({@code StepLR}): {@code base * gamma^floor(epoch / stepSize)};</li>
 *   <li>cosine ({@code CosineAnnealingLR}, closed form):
 *       {@code min + (base - min) * (1 + cos(pi * epoch / totalEpochs)) / 2}, and {@code min} from
 *       {@code totalEpochs} on.</li>
 * </ul>
 *
 * @param kind        the rule
 * @param stepSize    epochs between decays (step)
 * @param gamma       decay factor (step)
 * @param totalEpochs length of the half cosine (cosine)
 * @param minRate     final rate (cosine)
 */
public record LearningRateSchedule(Kind kind, int stepSize, double gamma, int totalEpochs, double minRate) {
    /** The rules. */
    public enum Kind {
        /** The base rate throughout. */
        CONSTANT,
        /** Multiplied by gamma every stepSize epochs. */
        STEP,
        /** Half a cosine from the base rate down to minRate. */
        COSINE
    }

    /** Validates. */
    public LearningRateSchedule {
        if (kind == null) {
            throw new IllegalArgumentException("LearningRateSchedule: kind must not be null");
        }
        if (kind == Kind.STEP && (stepSize < 1 || !(gamma > 0) || !Double.isFinite(gamma))) {
            throw new IllegalArgumentException("LearningRateSchedule.step: stepSize must be >= 1 and gamma finite > 0, got stepSize="
                    + stepSize + ", gamma=" + gamma);
        }
        if (kind == Kind.COSINE && (totalEpochs < 1 || !(minRate >= 0) || !Double.isFinite(minRate))) {
            throw new IllegalArgumentException("LearningRateSchedule.cosine: totalEpochs must be >= 1 and minRate finite >= 0, got totalEpochs="
                    + totalEpochs + ", minRate=" + minRate);
        }
    }

    /** The base rate throughout. */
    public static LearningRateSchedule constant() {
        return new LearningRateSchedule(Kind.CONSTANT, 0, 0, 0, 0);
    }

    /** {@code base * gamma^floor(epoch / stepSize)}. */
    public static LearningRateSchedule step(int stepSize, double gamma) {
        return new LearningRateSchedule(Kind.STEP, stepSize, gamma, 0, 0);
    }

    /** Cosine annealing from the base rate to {@code minRate} over {@code totalEpochs}. */
    public static LearningRateSchedule cosine(int totalEpochs, double minRate) {
        return new LearningRateSchedule(Kind.COSINE, 0, 0, totalEpochs, minRate);
    }

    /** The rate of epoch {@code epoch} (0 for the first). */
    public double rate(double base, int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("LearningRateSchedule.rate: epoch must be >= 0, got " + epoch);
        }
        switch (kind) {
            case STEP:
                return base * Math.pow(gamma, epoch / stepSize);
            case COSINE:
                if (epoch >= totalEpochs) {
                    return minRate;
                }
                return minRate + (base - minRate) * (1 + Math.cos(Math.PI * epoch / totalEpochs)) / 2;
            default:
                return base;
        }
    }
}
