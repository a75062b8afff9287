package dev.softgrad.nn.calibration;

import dev.softgrad.core.Losses;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Temperature scaling (Guo et al., 2017): one number T &gt; 0, fitted on held-out logits and labels
 * by minimising the negative log-likelihood, after which the calibrated probabilities are
 * softmax(z / T). T never changes which class is largest, so accuracy stays the same; T &gt; 1 softens
 * an over-confident model, T &lt; 1 sharpens an under-confident one.
 *
 * <h2>The fit</h2>
 * With beta = 1/T and p_i = softmax(beta z_i), the mean NLL over N rows and its derivatives are
 * <pre>
 *   f(beta)   = (1/N) sum_i [ logsumexp(beta z_i) - beta z_i,y_i ]
 *   f'(beta)  = (1/N) sum_i [ E_p_i[z_i] - z_i,y_i ]
 *   f''(beta) = (1/N) sum_i Var_p_i(z_i)  &gt;= 0
 * </pre>
 * so f is convex in beta. {@link #fit} minimises it by a safeguarded Newton method on beta within
 * [1 / maxTemperature, 1 / minTemperature]: it starts at beta = 1, keeps a bracket on which f'
 * changes sign (the caps are its ends until a step leaves them; then the cap is evaluated), takes the
 * Newton step when it lands strictly inside the bracket and at most halves the step before the last
 * one, and otherwise evaluates the cap it heads for (if not seen yet) or bisects (geometrically); it
 * stops when a step or the bracket is below 1e-13 relative to beta: typically 5-10 passes over the
 * logits. The progress rule is what notices a cap: on well-separated logits f' and f'' both fade
 * like e^(-beta m) for a margin m, so Newton creeps towards T -&gt; 0 by about 1/m in beta per step,
 * and would spend every iteration on it. Every sum is a plain Java loop in float64 with the row maximum subtracted before the
 * exponential; the result is exact to rounding, deterministic, and T is positive by construction.
 * The common recipe, LBFGS on T itself (Guo et al.'s code: lr 0.01, 50 iterations, T0 = 1.5), works
 * on a function that is not convex in T and keeps nothing positive; on the logits of BENCHMARKS.md
 * ("Calibration") it stopped at T = 1.64 where the optimum is 2.00.
 *
 * <p>Edge cases, decided and reported in {@link Result#status()}:
 * <ul>
 *   <li>every row correct with a margin (separable): f keeps falling as beta grows, the optimum is
 *       T -&gt; 0; the fit returns the cap {@code minTemperature} ({@link Status#AT_MIN_TEMPERATURE}).
 *   <li>the logits point away from the labels on average (f'(beta) &gt;= 0 already at
 *       1 / maxTemperature): the optimum is T -&gt; infinity (uniform probabilities); the fit returns
 *       {@code maxTemperature} ({@link Status#AT_MAX_TEMPERATURE}).
 *   <li>every row's finite logits are all equal: f does not depend on T; T = 1
 *       ({@link Status#CONSTANT_LOGITS}).
 * </ul>
 * The default caps, T in [0.01, 100], scale logits by at most a factor 100 either way; pass
 * {@link Options} for others.
 *
 * <p>Logits may be -inf (a masked class; it keeps probability 0 at every T) but not NaN or +inf, and
 * the logit of a row's label must be finite for the fit.
 *
 * <pre>{@code
 * TemperatureScaling.Result r = TemperatureScaling.fit(validationLogits, validationLabels);
 * CalibratedModel calibrated = TemperatureScaling.wrap(model, r.temperature());
 * INDArray probs = calibrated.probabilities(testFeatures);
 * }</pre>
 */
public final class TemperatureScaling {

    /** Relative step / bracket width at which the fit stops. */
    static final double RELATIVE_TOLERANCE = 1e-13;

    private TemperatureScaling() {
    }

    /**
     * Limits of the fit.
     *
     * @param minTemperature lower cap on T, finite and &gt; 0 (returned when the optimum is T -&gt; 0)
     * @param maxTemperature upper cap on T, finite and &gt; minTemperature
     * @param maxIterations  at most this many evaluations of the objective, &gt;= 1 (Newton needs 5-10;
     *                       bisection about 50 for the widest bracket)
     */
    public record Options(double minTemperature, double maxTemperature, int maxIterations) {

        /** T in [0.01, 100], 200 iterations. */
        public static final Options DEFAULT = new Options(1e-2, 1e2, 200);

        /** Validates. */
        public Options {
            if (!(minTemperature > 0) || !Double.isFinite(minTemperature)) {
                throw new IllegalArgumentException("TemperatureScaling.Options: minTemperature must be finite and > 0, got "
                        + minTemperature);
            }
            if (!(maxTemperature > minTemperature) || !Double.isFinite(maxTemperature)) {
                throw new IllegalArgumentException("TemperatureScaling.Options: maxTemperature must be finite and > "
                        + "minTemperature (" + minTemperature + "), got " + maxTemperature);
            }
            if (maxIterations < 1) {
                throw new IllegalArgumentException("TemperatureScaling.Options: maxIterations must be >= 1, got "
                        + maxIterations);
            }
        }
    }

    /** How the fit ended. */
    public enum Status {
        /** f'(beta) = 0 inside the caps, to the tolerance. */
        CONVERGED,
        /** The NLL still falls at the lower cap (T -&gt; 0 is optimal, e.g. separable data). */
        AT_MIN_TEMPERATURE,
        /** The NLL still falls at the upper cap (T -&gt; infinity is optimal). */
        AT_MAX_TEMPERATURE,
        /** Every row's logits are equal: the NLL does not depend on T, and T = 1. */
        CONSTANT_LOGITS,
        /** The iteration limit came first (not seen with the default options). */
        MAX_ITERATIONS
    }

    /**
     * The fitted temperature.
     *
     * @param temperature T &gt; 0
     * @param nllBefore   mean NLL at T = 1
     * @param nllAfter    mean NLL at T (never above nllBefore when 1 lies within the caps)
     * @param gradient    dNLL/dbeta at the returned T (about 0 when CONVERGED)
     * @param iterations  evaluations of f, f' and f'' (one pass over the logits each), the first at T = 1
     * @param status      how the fit ended
     */
    public record Result(double temperature, double nllBefore, double nllAfter, double gradient, int iterations,
                         Status status) {
    }

    /** Fits T on validation logits [N, K] and labels with {@link Options#DEFAULT}. */
    public static Result fit(INDArray logits, int[] labels) {
        return fit(logits, labels, Options.DEFAULT);
    }

    /**
     * Fits T on validation logits and labels.
     *
     * @param logits  [N, K], K &gt;= 2, finite or -inf; the label's logit finite
     * @param labels  N labels in [0, K)
     * @param options caps and iteration limit
     */
    public static Result fit(INDArray logits, int[] labels, Options options) {
        String where = "TemperatureScaling.fit";
        if (options == null) {
            throw new IllegalArgumentException(where + ": options must not be null");
        }
        Inputs.Matrix z = Inputs.logits(where, logits, labels, true);
        return fit(z, labels, options);
    }

    static Result fit(Inputs.Matrix z, int[] labels, Options options) {
        Objective f = new Objective(z, labels);
        double capLo = 1.0 / options.maxTemperature();
        double capHi = 1.0 / options.minTemperature();
        double beta = Math.min(Math.max(1.0, capLo), capHi);
        Objective.Point at = f.eval(beta);
        int evaluations = 1;
        double nllBefore = at.value;
        if (beta != 1.0) {
            nllBefore = f.eval(1.0).value;
            evaluations++;
        }
        if (f.constantRows()) {
            return new Result(1.0, nllBefore, nllBefore, 0.0, evaluations, Status.CONSTANT_LOGITS);
        }
        // Bracket [lo, hi] of the root of f' (f' increases: f is convex). The caps are its ends until an
        // evaluation shows f' with the same sign at a cap, which means the optimum lies beyond it.
        double lo = capLo;
        double hi = capHi;
        boolean loSeen = false;
        boolean hiSeen = false;
        double stepBefore = Double.POSITIVE_INFINITY; // |step| of the iteration before the last (rtsafe's dxold)
        double lastStep = Double.POSITIVE_INFINITY;
        while (true) {
            if (beta == capLo) {
                loSeen = true;
                if (at.gradient >= 0) {
                    return new Result(options.maxTemperature(), nllBefore, at.value, at.gradient, evaluations,
                            Status.AT_MAX_TEMPERATURE);
                }
            }
            if (beta == capHi) {
                hiSeen = true;
                if (at.gradient <= 0) {
                    return new Result(options.minTemperature(), nllBefore, at.value, at.gradient, evaluations,
                            Status.AT_MIN_TEMPERATURE);
                }
            }
            if (at.gradient == 0) {
                return new Result(1.0 / beta, nllBefore, at.value, at.gradient, evaluations, Status.CONVERGED);
            }
            if (at.gradient < 0) {
                lo = beta;
            } else {
                hi = beta;
            }
            double newton = beta - at.gradient / at.curvature;
            boolean newtonOk = at.curvature > 0;
            if (newtonOk && Math.abs(newton - beta) <= RELATIVE_TOLERANCE * beta) {
                // the Newton step is below the tolerance: beta is the root to rounding (checked before the
                // bracket test, since a step this small may round onto the bracket end just set to beta)
                return new Result(1.0 / beta, nllBefore, at.value, at.gradient, evaluations, Status.CONVERGED);
            }
            double next;
            boolean progress = Math.abs(newton - beta) <= 0.5 * stepBefore;
            if (newtonOk && newton > lo && newton < hi && progress) {
                next = newton;
            } else if (!hiSeen && hi == capHi && (!newtonOk || newton >= hi || !progress) && at.gradient < 0) {
                next = capHi; // the step leaves the caps upwards, or creeps: is the optimum beyond the upper cap?
            } else if (!loSeen && lo == capLo && (!newtonOk || newton <= lo || !progress) && at.gradient > 0) {
                next = capLo;
            } else {
                next = Math.sqrt(lo * hi); // geometric bisection: the bracket can span four decades
            }
            if (hi - lo <= RELATIVE_TOLERANCE * hi && (loSeen || lo != capLo) && (hiSeen || hi != capHi)) {
                return new Result(1.0 / beta, nllBefore, at.value, at.gradient, evaluations, Status.CONVERGED);
            }
            if (evaluations >= options.maxIterations()) {
                return new Result(1.0 / beta, nllBefore, at.value, at.gradient, evaluations, Status.MAX_ITERATIONS);
            }
            stepBefore = lastStep;
            lastStep = Math.abs(next - beta);
            beta = next;
            at = f.eval(beta);
            evaluations++;
        }
    }

    /**
     * Mean NLL of the labels under softmax(z / T), computed from the logits with log-sum-exp (finite for
     * any finite logits; +inf if a label's logit is -inf).
     */
    public static double nll(INDArray logits, int[] labels, double temperature) {
        String where = "TemperatureScaling.nll";
        checkTemperature(where, temperature);
        Inputs.Matrix z = Inputs.logits(where, logits, labels, false);
        return new Objective(z, labels).eval(1.0 / temperature).value;
    }

    /**
     * softmax(z / T) row by row, in float64, returned in the logits' data type.
     *
     * @param logits      [N, K], K &gt;= 2, finite or -inf, at least one finite entry per row
     * @param temperature T &gt; 0, finite
     */
    public static INDArray probabilities(INDArray logits, double temperature) {
        String where = "TemperatureScaling.probabilities";
        checkTemperature(where, temperature);
        Inputs.Matrix z = Inputs.logits(where, logits);
        double[] p = softmax(z, 1.0 / temperature);
        long[] shape = {z.rows(), z.cols()};
        if (logits.dataType() == DataType.FLOAT) {
            float[] f = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                f[i] = (float) p[i];
            }
            return Nd4j.create(f, shape, 'c');
        }
        INDArray out = Nd4j.create(p, shape, DataType.DOUBLE);
        return logits.dataType() == DataType.DOUBLE ? out : out.castTo(logits.dataType());
    }

    /** Wraps a model so that its probabilities are softmax(z / T); see {@link CalibratedModel}. */
    public static CalibratedModel wrap(LogitModel model, double temperature) {
        return new CalibratedModel(model, temperature);
    }

    static void checkTemperature(String where, double temperature) {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException(where + ": temperature must be finite and > 0, got " + temperature);
        }
    }

    /** softmax(beta z) of every row, row-major. */
    static double[] softmax(Inputs.Matrix z, double beta) {
        int k = z.cols();
        double[] p = new double[z.rows() * k];
        double[] row = new double[k];
        for (int i = 0; i < z.rows(); i++) {
            for (int j = 0; j < k; j++) {
                row[j] = z.get(i, j);
            }
            Losses.softmaxRow(row, 1.0 / beta, row);
            System.arraycopy(row, 0, p, i * k, k);
        }
        return p;
    }

    /** The NLL in beta with its first two derivatives, one pass over the logits per evaluation. */
    static final class Objective {
        private final Inputs.Matrix z;
        private final int[] labels;
        private final double[] rowMax;
        private final double[] weights;

        /** f, f', f'' at one beta. */
        record Point(double value, double gradient, double curvature) {
        }

        Objective(Inputs.Matrix z, int[] labels) {
            this.z = z;
            this.labels = labels;
            this.rowMax = new double[z.rows()];
            for (int i = 0; i < z.rows(); i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < z.cols(); j++) {
                    max = Math.max(max, z.get(i, j));
                }
                rowMax[i] = max;
            }
            this.weights = new double[z.cols()];
        }

        /** Whether every row's finite logits are all equal (f is then constant in beta). */
        boolean constantRows() {
            for (int i = 0; i < z.rows(); i++) {
                for (int j = 0; j < z.cols(); j++) {
                    double v = z.get(i, j);
                    if (v != Double.NEGATIVE_INFINITY && v != rowMax[i]) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** f(beta), f'(beta), f''(beta); beta > 0. A -inf label logit gives f = +inf. */
        Point eval(double beta) {
            int k = z.cols();
            double f = 0;
            double g = 0;
            double h = 0;
            for (int i = 0; i < z.rows(); i++) {
                double max = rowMax[i];
                double sum = 0;
                double mean = 0; // E_p[z - max]
                for (int j = 0; j < k; j++) {
                    double c = z.get(i, j) - max;
                    if (c == Double.NEGATIVE_INFINITY) {
                        weights[j] = 0;
                        continue;
                    }
                    double w = Math.exp(beta * c);
                    weights[j] = w;
                    sum += w;
                    mean += w * c;
                }
                mean /= sum;
                double var = 0;
                for (int j = 0; j < k; j++) {
                    if (weights[j] != 0) {
                        double d = z.get(i, j) - max - mean;
                        var += weights[j] * d * d;
                    }
                }
                var /= sum;
                double cy = z.get(i, labels[i]) - max; // <= 0
                f += Math.log(sum) - beta * cy;
                g += mean - cy;
                h += var;
            }
            int n = z.rows();
            return new Point(f / n, g / n, h / n);
        }
    }
}
