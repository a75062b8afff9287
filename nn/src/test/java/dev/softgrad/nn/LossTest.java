package dev.softgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Datasets;
import dev.softgrad.datasets.Split;
import dev.softgrad.datasets.Synthetic;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The loss choice: values by hand, and what each choice does to training. */
class LossTest {
    static final double[][] Z = {{2, 0, -1}, {0.5, 0.5, 3}};
    static final int[] Y = {0, 1};

    static double ce(double[] z, int y) {
        double s = 0;
        for (double v : z) {
            s += Math.exp(v);
        }
        return Math.log(s) - z[y];
    }

    @Test
    void valuesByHand() {
        double ce = (ce(Z[0], 0) + ce(Z[1], 1)) / 2;
        assertEquals(ce, Loss.crossEntropy().apply(Tensor.fromRows(Z, DataType.DOUBLE), Y, null).item(), 1e-14);
        double sq = 4 + 0 + 1 + 0.25 + 0.25 + 9;
        assertEquals(ce + 0.1 / 2 * sq / 2,
                Loss.crossEntropy().withLogitL2(0.1).apply(Tensor.fromRows(Z, DataType.DOUBLE), Y, null).item(), 1e-14);
        double eps = 0.3;
        double ls = 0;
        for (int i = 0; i < 2; i++) {
            double uniform = 0;
            for (int j = 0; j < 3; j++) {
                uniform += ce(Z[i], j);
            }
            ls += (1 - eps) * ce(Z[i], Y[i]) + eps / 3 * uniform;
        }
        assertEquals(ls / 2, Loss.labelSmoothing(eps).apply(Tensor.fromRows(Z, DataType.DOUBLE), Y, null).item(), 1e-14);
        assertEquals(ce, Loss.labelSmoothing(0).apply(Tensor.fromRows(Z, DataType.DOUBLE), Y, null).item(), 1e-15);
    }

    @Test
    void distillationReadsTheTeachersLogitsOfTheSameBatch() {
        // teacher: W = I (2 features -> 2 classes); x = rows of Z's first two columns
        SoftmaxClassifier teacher = new SoftmaxClassifier(2, 2, Init.zeros(), DataType.DOUBLE);
        teacher.weight().value().assign(Nd4j.eye(2).castTo(DataType.DOUBLE));
        double[][] x = {{1, -1}, {0, 2}};
        double[][] s = {{0, 0}, {1, 0}};
        double t = 2.0;
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            double[] q = softmax(x[i], t);
            double[] p = softmax(s[i], t);
            for (int j = 0; j < 2; j++) {
                expected += t * t * q[j] * Math.log(q[j] / p[j]);
            }
        }
        double got = Loss.distillation(teacher, t, 1.0).apply(Tensor.fromRows(s, DataType.DOUBLE), new int[] {0, 1},
                Nd4j.createFromArray(x)).item();
        assertEquals(expected / 2, got, 1e-14);
        assertThrows(IllegalArgumentException.class, () -> Loss.distillation(teacher, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Loss.distillation(teacher, 1, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Loss.labelSmoothing(1.0));
        assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy().withLogitL2(-1));
    }

    static double[] softmax(double[] z, double t) {
        double s = 0;
        double[] p = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            p[j] = Math.exp(z[j] / t);
            s += p[j];
        }
        for (int j = 0; j < z.length; j++) {
            p[j] /= s;
        }
        return p;
    }

    @Test
    void aStudentDistilledWithoutLabelsAgreesWithItsTeacher() {
        Split split = Split.stratified(Datasets.embeddedDefault(), 0.25, 42);
        Mlp teacher = new Mlp(10, new int[] {32}, 5, Activation.RELU, Init.heNormal(1), DataType.FLOAT);
        new Trainer(Trainer.Config.of(15, 32, 0.05, 1)).fit(teacher, split.train(), null);
        // labels scrambled: only the teacher can teach the student anything
        int[] scrambled = split.train().labels();
        for (int i = 0; i < scrambled.length; i++) {
            scrambled[i] = (scrambled[i] + i) % 5;
        }
        Dataset noise = new Dataset("scrambled", split.train().features(), scrambled, split.train().classNames());
        SoftmaxClassifier student = new SoftmaxClassifier(10, 5, Init.zeros(), DataType.FLOAT);
        new Trainer(Trainer.Config.of(15, 32, 0.1, 2).withLoss(Loss.distillation(teacher, 2.0, 1.0))).fit(student, noise, null);
        int[] a = teacher.predict(split.test().features());
        int[] b = student.predict(split.test().features());
        int agree = 0;
        for (int i = 0; i < a.length; i++) {
            agree += a[i] == b[i] ? 1 : 0;
        }
        assertTrue(agree > 0.9 * a.length, "student agrees with teacher on " + agree + " of " + a.length);
        assertTrue(student.evaluate(split.test()).accuracy() > 0.8);
    }

    @Test
    void labelSmoothingAlsoKeepsTheLogitsBounded() {
        // on separable data the smoothed target (1 - eps + eps/K on the true class) is reachable with finite logits
        Dataset data = Synthetic.linearlySeparable(200, 5, 0.5, 11, DataType.DOUBLE);
        SoftmaxClassifier model = new SoftmaxClassifier(5, 2, Init.zeros(), DataType.DOUBLE);
        GradientDynamics dyn = new GradientDynamics(0.01);
        new Trainer(Trainer.Config.of(800, 200, 1.0, 3).withLoss(Loss.labelSmoothing(0.2))).addListener(dyn)
                .fit(model, data, null);
        List<GradientDynamics.Step> s = dyn.steps();
        double mid = s.get(400).logitNorm();
        double end = s.get(799).logitNorm();
        assertTrue(Math.abs(end - mid) < 0.01 * mid, "settled: " + mid + " -> " + end);
        assertTrue(s.get(799).saturatedFraction() < 0.1, "few samples above 1 - 0.01 (plain CE: nearly all): "
                + s.get(799).saturatedFraction());
        assertTrue(s.get(799).trueClassProbability() < 0.95 && s.get(799).trueClassProbability() > 0.8,
                "p(true) near the target 0.9: " + s.get(799).trueClassProbability());
    }
}
