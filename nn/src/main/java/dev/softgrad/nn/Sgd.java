package dev.softgrad.nn;

import dev.softgrad.core.Dense;
import dev.softgrad.core.Autograd;
import dev.softgrad.core.InPlace;
import dev.softgrad.core.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stochastic gradient descent with PyTorch's update rule ({@code torch.optim.SGD}), in place and
 * without allocation after the first step. For each parameter p with gradient g:
 * <pre>
 *   g = g + weightDecay * p
 *   if momentum != 0:
 *       buf = g                                   (first step)
 *       buf = momentum * buf + (1 - dampening) * g (later steps)
 *       g   = nesterov ? g + momentum * buf : buf
 *   p = p - lr * g
 * </pre>
 * Parameters without a gradient yet are skipped, as in PyTorch.
 *
 * <p>The learning rate starts at {@code config.lr()} and can be changed between steps
 * ({@link #setLearningRate}), which is how a {@link LearningRateSchedule} is applied.
 * {@link #clipGradNorm(double)} rescales the gradients as {@code torch.nn.utils.clip_grad_norm_}.
 */
public final class Sgd {

    /**
     * Hyper-parameters, validated as PyTorch does.
     *
     * @param lr          learning rate, >= 0
     * @param momentum    >= 0
     * @param dampening   dampening of the momentum term
     * @param weightDecay L2 penalty coefficient, >= 0
     * @param nesterov    Nesterov momentum (needs momentum > 0 and dampening = 0)
     */
    public record Config(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        /** Validates. */
        public Config {
            if (!(lr >= 0) || !Double.isFinite(lr)) {
                throw new IllegalArgumentException("Sgd: lr must be a finite number >= 0, got " + lr);
            }
            if (!(momentum >= 0) || !Double.isFinite(momentum)) {
                throw new IllegalArgumentException("Sgd: momentum must be a finite number >= 0, got " + momentum);
            }
            if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
                throw new IllegalArgumentException("Sgd: weightDecay must be a finite number >= 0, got " + weightDecay);
            }
            if (!Double.isFinite(dampening)) {
                throw new IllegalArgumentException("Sgd: dampening must be finite, got " + dampening);
            }
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("Sgd: nesterov needs momentum > 0 and dampening = 0, got momentum="
                        + momentum + ", dampening=" + dampening);
            }
        }

        /** Plain SGD with the given learning rate. */
        public static Config plain(double lr) {
            return new Config(lr, 0, 0, 0, false);
        }
    }

    private final List<Tensor> params;
    private final Config config;
    private final INDArray[] momentumBuffers;
    private final INDArray[] scratchBuffers;
    private double lr;

    /** An optimiser for the given parameters. */
    public Sgd(List<Tensor> params, Config config) {
        this.params = List.copyOf(params);
        this.config = config;
        for (Tensor p : this.params) {
            if (!p.requiresGrad() || !p.isLeaf()) {
                throw new IllegalArgumentException("Sgd: every parameter must be a leaf that requires grad, got " + p);
            }
        }
        this.momentumBuffers = new INDArray[this.params.size()];
        this.scratchBuffers = new INDArray[this.params.size()];
        this.lr = config.lr();
    }

    /** The learning rate the next {@link #step()} uses. */
    public double learningRate() {
        return lr;
    }

    /** Sets the learning rate of the following steps (a finite number >= 0). */
    public void setLearningRate(double rate) {
        if (!(rate >= 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException("Sgd.setLearningRate: rate must be a finite number >= 0, got " + rate);
        }
        this.lr = rate;
    }

    /**
     * Rescales all gradients together so that their joint L2 norm is at most {@code maxNorm}, as
     * PyTorch's {@code clip_grad_norm_}: with {@code total = sqrt(sum of squared gradient entries)}
     * and {@code c = maxNorm / (total + 1e-6)}, every gradient is multiplied by c when c &lt; 1.
     *
     * <p>The norm is computed as {@code m * sqrt(sum (g / m)^2)} with {@code m} the largest
     * magnitude, so it does not overflow while the gradients are finite (a float64 gradient of 1e160
     * has a finite norm though its square overflows; PyTorch's {@code clip_grad_norm_} returns inf
     * there and multiplies the gradients by 0). Below that range the two agree to rounding.
     *
     * @param maxNorm a finite number > 0
     * @return the joint norm before clipping (may be infinite or NaN: then the gradients are left as
     *         they are and the caller should not step)
     */
    public double clipGradNorm(double maxNorm) {
        if (!(maxNorm > 0) || !Double.isFinite(maxNorm)) {
            throw new IllegalArgumentException("Sgd.clipGradNorm: maxNorm must be a finite number > 0, got " + maxNorm);
        }
        double total = jointNorm();
        double c = maxNorm / (total + 1e-6);
        if (c < 1 && Double.isFinite(total)) {
            for (Tensor p : params) {
                if (p.grad() != null) {
                    Dense.of(p.grad()).scale(c);
                }
            }
        }
        return total;
    }

    /** The L2 norm of all gradients together, scaled by the largest magnitude so that it does not overflow. */
    private double jointNorm() {
        double max = 0;
        for (Tensor p : params) {
            if (p.grad() != null) {
                Dense g = Dense.of(p.grad());
                for (int i = 0; i < g.length(); i++) {
                    double a = Math.abs(g.get(i));
                    if (Double.isNaN(a)) {
                        return a;
                    }
                    max = Math.max(max, a);
                }
            }
        }
        if (max == 0 || !Double.isFinite(max)) {
            return max;
        }
        double sq = 0;
        for (Tensor p : params) {
            if (p.grad() != null) {
                Dense g = Dense.of(p.grad());
                for (int i = 0; i < g.length(); i++) {
                    double v = g.get(i) / max;
                    sq += v * v;
                }
            }
        }
        return max * Math.sqrt(sq);
    }

    /**
     * A copy of the momentum buffer of {@code param} as the next {@link #step()} will use it, or
     * null when there is none (no momentum, or no step with a gradient yet). A copy, because ND4J
     * arrays cannot be made read-only: changing it does not change the optimiser.
     *
     * @param param one of the parameters this optimiser was made with
     */
    public INDArray momentumBuffer(Tensor param) {
        int i = params.indexOf(param);
        if (i < 0) {
            throw new IllegalArgumentException("Sgd.momentumBuffer: param is not one of this optimiser's " + params.size()
                    + " parameters, got " + param);
        }
        INDArray buf = momentumBuffers[i];
        return buf == null ? null : buf.dup('c');
    }

    /** The hyper-parameters. */
    public Config config() {
        return config;
    }

    /** Applies one update to every parameter that has a gradient. */
    public void step() {
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                INDArray g = p.grad();
                if (g == null) {
                    continue;
                }
                INDArray w = p.value();
                INDArray d = g;
                if (config.weightDecay() != 0 || config.nesterov()) {
                    INDArray scratch = scratchBuffers[i];
                    if (scratch == null) {
                        scratch = g.dup('c');
                        scratchBuffers[i] = scratch;
                    } else {
                        InPlace.copy(g, scratch);
                    }
                    if (config.weightDecay() != 0) {
                        InPlace.axpy(config.weightDecay(), w, scratch); // d = g + wd * p; p.grad stays as backward left it
                    }
                    d = scratch;
                }
                if (config.momentum() != 0) {
                    INDArray buf = momentumBuffers[i];
                    if (buf == null) {
                        buf = d.dup('c');
                        momentumBuffers[i] = buf;
                    } else {
                        InPlace.scaleAdd(config.momentum(), buf, 1 - config.dampening(), d);
                    }
                    if (config.nesterov()) {
                        InPlace.axpy(config.momentum(), buf, d); // d is the scratch buffer here
                    } else {
                        d = buf;
                    }
                }
                InPlace.axpy(-lr, d, w);
            }
        }
    }

    /** Zeroes every parameter's gradient, keeping the buffers. */
    public void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }
}
