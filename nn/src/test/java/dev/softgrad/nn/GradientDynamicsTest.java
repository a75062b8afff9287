package dev.softgrad.nn;

import dev.softgrad.core.Dense;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Synthetic;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the theory of softmax and cross-entropy predicts, observed on seeded data: saturation and a
 * vanishing gradient under plain cross-entropy on separable data, bounded logits and a living
 * gradient with LogitL2, and vanishing gradients through sigmoid hidden units.
 */
class GradientDynamicsTest {
    static final int STEPS = 1600;

    static final Dataset SEPARABLE = Synthetic.linearlySeparable(200, 5, 0.5, 11, DataType.DOUBLE);

    static GradientDynamics trainSeparable(double lambda) {
        return trainSeparable(lambda, new SoftmaxClassifier(5, 2, Init.zeros(), DataType.DOUBLE));
    }

    /** The norm of d CE / d W alone (no penalty) at the model's current parameters. */
    static double dataTermWeightGradient(SoftmaxClassifier model) {
        model.zeroGrad();
        Losses.crossEntropy(model.forward(Tensor.constant(SEPARABLE.features())), SEPARABLE.labels()).backward();
        return Math.sqrt(Dense.of(model.weight().grad()).squaredNorm());
    }

    static GradientDynamics trainSeparable(double lambda, SoftmaxClassifier model) {
        Dataset data = SEPARABLE;
        GradientDynamics dyn = new GradientDynamics(0.01);
        // full batch: one step per epoch, so the trends are those of gradient descent itself
        new Trainer(Trainer.Config.of(STEPS, 200, 1.0, 3).withLoss(Loss.crossEntropy().withLogitL2(lambda)))
                .addListener(dyn).fit(model, data, null);
        assertEquals(STEPS, dyn.steps().size());
        return dyn;
    }

    @Test
    void plainCrossEntropyOnSeparableDataSaturatesAndItsGradientVanishes() {
        List<GradientDynamics.Step> s = trainSeparable(0).steps();
        // the logit norm grows at every doubling of the step count (like log t: without bound) ...
        int[] at = {50, 100, 200, 400, 800, 1599};
        for (int i = 1; i < at.length; i++) {
            double before = s.get(at[i - 1]).logitNorm();
            double after = s.get(at[i]).logitNorm();
            assertTrue(after > before + 0.3, "logit norm must keep growing: step " + at[i - 1] + " " + before
                    + " -> step " + at[i] + " " + after);
        }
        // ... and the growth per doubling does not die out (log growth has equal increments per doubling)
        double early = s.get(100).logitNorm() - s.get(50).logitNorm();
        double late = s.get(1599).logitNorm() - s.get(800).logitNorm();
        assertTrue(late > 0.5 * early, "growth per doubling: early " + early + ", late " + late);
        // the gradient decays towards zero, roughly as 1/t
        for (int i = 1; i < at.length; i++) {
            double before = s.get(at[i - 1]).gradientNorms().get("weight");
            double after = s.get(at[i]).gradientNorms().get("weight");
            assertTrue(after < 0.75 * before, "weight gradient norm must keep falling: " + before + " -> " + after);
        }
        assertTrue(s.get(1599).gradientNorms().get("weight") < 0.002 * s.get(0).gradientNorms().get("weight"));
        assertTrue(s.get(1599).meanLogitGradientNorm() < 0.005 * s.get(0).meanLogitGradientNorm());
        // saturation: nearly every sample ends above 1 - delta, the entropy collapses, the margin grows
        assertEquals(0.0, s.get(0).saturatedFraction());
        assertTrue(s.get(1599).saturatedFraction() > 0.95, "saturated " + s.get(1599).saturatedFraction());
        assertTrue(s.get(1599).entropy() < 0.01 * s.get(0).entropy());
        assertTrue(s.get(1599).margin() > s.get(100).margin() + 2);
    }

    @Test
    void logitL2KeepsTheLogitsBoundedAndTheDataGradientAlive() {
        SoftmaxClassifier plainModel = new SoftmaxClassifier(5, 2, Init.zeros(), DataType.DOUBLE);
        SoftmaxClassifier l2Model = new SoftmaxClassifier(5, 2, Init.zeros(), DataType.DOUBLE);
        List<GradientDynamics.Step> plain = trainSeparable(0, plainModel).steps();
        List<GradientDynamics.Step> s = trainSeparable(0.05, l2Model).steps();
        // bounded: the logit norm settles (no growth over the second half) well below plain CE's
        double mid = s.get(STEPS / 2).logitNorm();
        double end = s.get(STEPS - 1).logitNorm();
        assertTrue(Math.abs(end - mid) < 1e-6 * mid, "logit norm should have settled: " + mid + " -> " + end);
        assertTrue(end < 0.5 * plain.get(STEPS - 1).logitNorm(), "bounded " + end + " vs plain " + plain.get(STEPS - 1).logitNorm());
        // the stationary point of CE + (lambda/2)||z||^2 has (p - y) = -lambda z per sample: the
        // data term's gradient cannot vanish while the logits are non-zero
        double ceGrad = s.get(STEPS - 1).meanLogitGradientNorm();
        assertTrue(ceGrad > 0.05, "data-term gradient must stay away from zero, got " + ceGrad);
        assertTrue(ceGrad > 50 * plain.get(STEPS - 1).meanLogitGradientNorm());
        assertTrue(ceGrad > 0.5 * s.get(STEPS / 4).meanLogitGradientNorm(), "and it does not decay");
        assertTrue(s.get(STEPS - 1).saturatedFraction() < 0.5);
        // the same at the parameters: the total gradient is ~0 (a stationary point), the data term's is not
        assertTrue(s.get(STEPS - 1).gradientNorms().get("weight") < 1e-12);
        double dataGrad = dataTermWeightGradient(l2Model);
        assertTrue(dataGrad > 0.05, "d CE / d W at the LogitL2 optimum: " + dataGrad);
        assertTrue(dataGrad > 50 * dataTermWeightGradient(plainModel));
    }

    static double firstOverLastGradient(Activation act, Init init, long seed) {
        Dataset data = Synthetic.blobs(256, 4, 16, 3.0, seed, DataType.DOUBLE);
        Mlp model = new Mlp(16, new int[] {32, 32, 32, 32, 32}, 4, act, init, DataType.DOUBLE);
        GradientDynamics dyn = new GradientDynamics(0.01);
        new Trainer(Trainer.Config.of(1, 256, 0.0, seed)).addListener(dyn).fit(model, data, null);
        Map<String, Double> g = dyn.steps().get(0).gradientNorms();
        return g.get("layer0.weight") / g.get("layer5.weight");
    }

    @Test
    void sigmoidHiddenUnitsWithLargeWeightsStarveTheFirstLayer() {
        for (long seed = 1; seed <= 3; seed++) {
            // N(0, 1) weights are ~5.7x Xavier's scale for width 32: hidden pre-activations of std ~4,
            // far into the sigmoid's flat tails; five layers of sigma' <= 1/4 shrink the gradient
            double sigmoid = firstOverLastGradient(Activation.SIGMOID, Init.normal(1.0, seed), seed);
            assertTrue(sigmoid < 0.1, "sigmoid first/last gradient ratio, seed " + seed + ": " + sigmoid);
            // the same depth with tanh (derivative 1 at 0) at Xavier scale, and ReLU at He scale, do not vanish
            double tanh = firstOverLastGradient(Activation.TANH, Init.xavierUniform(seed), seed);
            double relu = firstOverLastGradient(Activation.RELU, Init.heNormal(seed), seed);
            assertTrue(tanh > 0.5, "tanh ratio " + tanh);
            assertTrue(relu > 0.2, "relu ratio " + relu);
            assertTrue(sigmoid < tanh / 5 && sigmoid < relu / 2);
        }
    }

    @Test
    void statisticsOfOneBatchByHand() {
        // logits of two samples, K = 3
        double[] z = {2, 0, -1, 0, 0, 0};
        int[] y = {0, 2};
        GradientDynamics dyn = new GradientDynamics(0.2);
        GradientDynamics.Step st = dyn.measure(7, 1, 0.5, Map.of(), Dense.of(Nd4j.createFromArray(z)), y, 3);
        double e2 = Math.exp(2);
        double e1 = Math.exp(0);
        double em1 = Math.exp(-1);
        double sum = e2 + e1 + em1;
        double[] p0 = {e2 / sum, e1 / sum, em1 / sum};
        double[] p1 = {1.0 / 3, 1.0 / 3, 1.0 / 3};
        assertEquals((Math.sqrt(5) + 0) / 2, st.logitNorm(), 1e-12);
        assertEquals((p0[0] + p1[2]) / 2, st.trueClassProbability(), 1e-12);
        assertEquals(p0[0] > 0.8 ? 0.5 : 0.0, st.saturatedFraction(), 0.0);
        double h0 = 0;
        for (double p : p0) {
            h0 -= p * Math.log(p);
        }
        assertEquals((h0 + Math.log(3)) / 2, st.entropy(), 1e-12);
        assertEquals((2.0 + 0.0) / 2, st.margin(), 1e-12);
        double g0 = Math.sqrt(Math.pow(p0[0] - 1, 2) + p0[1] * p0[1] + p0[2] * p0[2]);
        double g1 = Math.sqrt(p1[0] * p1[0] + p1[1] * p1[1] + Math.pow(p1[2] - 1, 2));
        assertEquals((g0 + g1) / 2, st.meanLogitGradientNorm(), 1e-12);
    }

    @Test
    void writesJsonLinesAndAPlot(@TempDir Path dir) throws Exception {
        Dataset data = Synthetic.linearlySeparable(64, 3, 0.5, 2, DataType.FLOAT);
        SoftmaxClassifier model = new SoftmaxClassifier(3, 2, Init.zeros(), DataType.FLOAT);
        GradientDynamics dyn = new GradientDynamics(0.05, 2);
        new Trainer(Trainer.Config.of(5, 16, 0.5, 1)).addListener(dyn).fit(model, data, null);
        assertEquals(10, dyn.steps().size(), "every 2nd of 20 steps");
        Path jsonl = dir.resolve("dyn.jsonl");
        dyn.writeJsonLines(jsonl);
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(10, lines.size());
        ObjectMapper m = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode n = m.readTree(lines.get(i));
            GradientDynamics.Step s = dyn.steps().get(i);
            assertEquals(2L * i, n.get("step").asLong());
            assertEquals(s.logitNorm(), n.get("logitNorm").asDouble(), 0.0);
            assertEquals(s.gradientNorms().get("weight"), n.get("gradientNorms").get("weight").asDouble(), 0.0);
            assertTrue(n.has("saturatedFraction") && n.has("entropy") && n.has("margin") && n.has("trueClassProbability")
                    && n.has("meanLogitGradientNorm") && n.has("loss"));
        }
        Path png = dir.resolve("dyn.png");
        dyn.plot(png, 400, 300);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(800, img.getWidth());
        assertEquals(600, img.getHeight());
        dyn.plot(png);
        img = ImageIO.read(png.toFile());
        assertEquals(2 * dev.softgrad.nn.plot.Plots.WIDTH, img.getWidth(), "four panels of the house size by default");
        assertEquals(2 * dev.softgrad.nn.plot.Plots.HEIGHT, img.getHeight());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left");
        }
    }

    @Test
    void badSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GradientDynamics(1.0));
        assertTrue(e.getMessage().contains("delta"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GradientDynamics(0.1, 0));
        assertThrows(IllegalStateException.class, () -> new GradientDynamics(0.1).plot(Path.of("x.png"), 10, 10));
    }
}
