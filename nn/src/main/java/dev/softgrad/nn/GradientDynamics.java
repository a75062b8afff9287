package dev.softgrad.nn;

import dev.softgrad.core.Dense;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softgrad.core.Tensor;
import dev.softgrad.nn.io.AtomicFiles;
import dev.softgrad.nn.plot.Plots;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * A {@link TrainingListener} that records, at every step (or every {@code every}-th), what the
 * theory of softmax and cross-entropy says to watch:
 *
 * <ul>
 *   <li>{@code loss}: the batch's objective;</li>
 *   <li>{@code gradientNorms}: the L2 norm of each parameter's gradient, by parameter name;</li>
 *   <li>{@code logitNorm}: mean over the batch of ||z_i||;</li>
 *   <li>{@code trueClassProbability}: mean of p_i[y_i], p = softmax(z);</li>
 *   <li>{@code saturatedFraction}: fraction of samples with p_i[y_i] > 1 - delta;</li>
 *   <li>{@code entropy}: mean of -sum_j p_ij ln p_ij (nats);</li>
 *   <li>{@code margin}: mean of z_i[y_i] - max_{j != y_i} z_ij;</li>
 *   <li>{@code meanLogitGradientNorm}: mean over the batch of ||p_i - onehot(y_i)||, the norm of
 *       each sample's cross-entropy gradient with respect to its own logits z_i (not the norm of
 *       dCE/dW, which {@code gradientNorms} holds and which also involves the inputs). This is the
 *       gradient of the data term alone, whatever penalty the loss adds: on separable data under
 *       plain cross-entropy it goes to zero as p_i[y_i] goes to 1 (the vanishing gradient of a
 *       saturated softmax).</li>
 * </ul>
 *
 * <p>All statistics are computed in double, from logits with the row maximum subtracted. Records
 * stay in memory ({@link #steps()}) and can be written as JSON Lines ({@link #writeJsonLines}) and
 * drawn as a PNG ({@link #plot}).
 */
public final class GradientDynamics implements TrainingListener {

    /**
     * One recorded step; see the class comment for the meaning of each field.
     *
     * @param step  0-based step over the run
     * @param epoch 0-based epoch
     */
    public record Step(long step, int epoch, double loss, Map<String, Double> gradientNorms, double logitNorm,
            double trueClassProbability, double saturatedFraction, double entropy, double margin,
            double meanLogitGradientNorm) {
    }

    private final double delta;
    private final int every;
    private final List<Step> steps = new ArrayList<>();
    private double[] row = new double[0];

    /** Records every step; a sample is saturated when its true-class probability exceeds 1 - delta. */
    public GradientDynamics(double delta) {
        this(delta, 1);
    }

    /**
     * @param delta saturation threshold, in (0, 1)
     * @param every record one step in {@code every} (>= 1), counting from step 0
     */
    public GradientDynamics(double delta, int every) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("GradientDynamics: delta must be in (0, 1), got " + delta);
        }
        if (every < 1) {
            throw new IllegalArgumentException("GradientDynamics: every must be >= 1, got " + every);
        }
        this.delta = delta;
        this.every = every;
    }

    /** The saturation threshold delta. */
    public double delta() {
        return delta;
    }

    /** The records so far (unmodifiable view). */
    public List<Step> steps() {
        return Collections.unmodifiableList(steps);
    }

    @Override
    public void onStep(StepEvent e) {
        if (e.step() % every != 0) {
            return;
        }
        Map<String, Double> norms = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> p : e.model().namedParameters().entrySet()) {
            norms.put(p.getKey(), p.getValue().grad() == null ? 0.0 : Math.sqrt(Dense.of(p.getValue().grad()).squaredNorm()));
        }
        steps.add(measure(e.step(), e.epoch(), e.loss(), norms, Dense.of(e.logits().value()), e.labels(),
                (int) e.logits().size(1)));
    }

    /** The statistics of one batch of logits. */
    Step measure(long step, int epoch, double loss, Map<String, Double> norms, Dense z, int[] labels, int k) {
        if (row.length != k) {
            row = new double[k];
        }
        int n = labels.length;
        double logitNorm = 0;
        double pTrue = 0;
        double saturated = 0;
        double entropy = 0;
        double margin = 0;
        double ceGrad = 0;
        for (int i = 0; i < n; i++) {
            int from = i * k;
            int y = labels[i];
            double lse = Classifier.softmaxRow(z, from, k, 1.0, row);
            double sq = 0;
            double h = 0;
            double g = 0;
            double other = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double v = z.get(from + j);
                sq += v * v;
                double p = row[j];
                if (p > 0) {
                    h -= p * (v - lse);
                }
                double d = j == y ? p - 1 : p;
                g += d * d;
                if (j != y && v > other) {
                    other = v;
                }
            }
            logitNorm += Math.sqrt(sq);
            pTrue += row[y];
            if (row[y] > 1 - delta) {
                saturated++;
            }
            entropy += h;
            margin += z.get(from + y) - other;
            ceGrad += Math.sqrt(g);
        }
        return new Step(step, epoch, loss, norms, logitNorm / n, pTrue / n, saturated / n, entropy / n, margin / n, ceGrad / n);
    }

    /** Writes the records as JSON Lines (one object per step), atomically. */
    public void writeJsonLines(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        AtomicFiles.write(file, (OutputStream out) -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            for (Step s : steps) {
                w.write(mapper.writeValueAsString(s));
                w.write('\n');
            }
            w.flush();
        });
    }

    /** {@link #plot(Path, int, int)} with panels of the house size, {@link Plots#WIDTH} x {@link Plots#HEIGHT}. */
    public void plot(Path png) throws IOException {
        plot(png, Plots.WIDTH, Plots.HEIGHT);
    }

    /**
     * Draws four panels into one PNG, each with one unit on its y axis: the loss and the entropy
     * (nats); each parameter's gradient norm (log scale) with the cross-entropy gradient norm; the
     * mean logit norm and margin (logit units); the true-class probability and the saturated
     * fraction. The file is written atomically.
     *
     * @param width  of each panel in pixels, at least {@link Plots#MIN_SIZE}
     * @param height of each panel in pixels, at least {@link Plots#MIN_SIZE}
     */
    public void plot(Path png, int width, int height) throws IOException {
        if (steps.isEmpty()) {
            throw new IllegalStateException("plot: nothing recorded yet");
        }
        int n = steps.size();
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = steps.get(i).step();
        }
        XYChart loss = Plots.chart("Loss and entropy per step", "step", "nats per sample", false, false, width, height);
        add(loss, "batch loss", x, i -> steps.get(i).loss());
        add(loss, "mean entropy of p", x, i -> steps.get(i).entropy());
        XYChart grads = Plots.chart("Gradient norms", "step", "L2 norm (log scale)", false, true, width, height);
        for (String name : steps.get(0).gradientNorms().keySet()) {
            add(grads, "dL/d " + name, x, i -> positive(steps.get(i).gradientNorms().getOrDefault(name, 0.0)));
        }
        add(grads, "mean ||dCE/dz_i||", x, i -> positive(steps.get(i).meanLogitGradientNorm()));
        XYChart logits = Plots.chart("Logits", "step", "logit units", false, false, width, height);
        add(logits, "mean ||z||", x, i -> steps.get(i).logitNorm());
        add(logits, "mean margin", x, i -> steps.get(i).margin());
        XYChart sat = Plots.chart("Saturation", "step", "probability, fraction of samples", false, false, width, height);
        add(sat, "mean p(true class)", x, i -> steps.get(i).trueClassProbability());
        add(sat, "fraction p > 1 - " + delta, x, i -> steps.get(i).saturatedFraction());
        Plots.writePng(png, List.of(loss, grads, logits, sat), 2, 2);
    }

    private static double positive(double v) {
        return v > 0 ? v : Double.MIN_NORMAL;
    }

    private static void add(XYChart c, String name, double[] x, java.util.function.IntToDoubleFunction f) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = f.applyAsDouble(i);
        }
        Plots.line(c, name, x, y);
    }
}
