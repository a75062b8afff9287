package dev.softgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Learning-rate schedules and gradient clipping, against values computed by hand (PyTorch's formulas). */
class ScheduleAndClipTest {

    @Test
    void schedulesByHand() {
        LearningRateSchedule c = LearningRateSchedule.constant();
        assertEquals(0.3, c.rate(0.3, 17), 0.0);
        LearningRateSchedule s = LearningRateSchedule.step(3, 0.1);
        double[] expected = {1, 1, 1, 0.1, 0.1, 0.1, 0.01};
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e], s.rate(1.0, e), 1e-15, "StepLR epoch " + e);
        }
        LearningRateSchedule cos = LearningRateSchedule.cosine(4, 0.1);
        // eta_min + (base - eta_min) (1 + cos(pi e / T)) / 2 with base 1.1, eta_min 0.1, T 4
        assertEquals(1.1, cos.rate(1.1, 0), 1e-15);
        assertEquals(0.1 + 0.5 * (1 + Math.sqrt(0.5)), cos.rate(1.1, 1), 1e-15);
        assertEquals(0.6, cos.rate(1.1, 2), 1e-15);
        assertEquals(0.1 + 0.5 * (1 - Math.sqrt(0.5)), cos.rate(1.1, 3), 1e-15);
        assertEquals(0.1, cos.rate(1.1, 4), 0.0);
        assertEquals(0.1, cos.rate(1.1, 9), 0.0, "stays at the minimum after T");
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.step(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> c.rate(1, -1));
    }

    @Test
    void clipGradNormLikePyTorch() {
        Tensor a = Tensor.parameter(Nd4j.createFromArray(1.0, 2.0));
        Tensor b = Tensor.parameter(Nd4j.createFromArray(3.0f).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
        Sgd sgd = new Sgd(List.of(a, b), Sgd.Config.plain(1.0));
        // gradients: a -> (3, 4), b -> (12): joint norm 13
        a.mul(Tensor.constant(Nd4j.createFromArray(3.0, 4.0))).sum().add(b.mul(12.0).sum()).backward();
        double total = sgd.clipGradNorm(6.5);
        assertEquals(13.0, total, 1e-15);
        double c = 6.5 / (13.0 + 1e-6);
        assertEquals(3 * c, a.grad().getDouble(0), 1e-15);
        assertEquals(4 * c, a.grad().getDouble(1), 1e-15);
        assertEquals(12 * c, b.grad().getDouble(0), 1e-15);
        // below the limit: untouched
        double again = sgd.clipGradNorm(100);
        assertEquals(6.5 * 13 / (13 + 1e-6), again, 1e-12);
        assertEquals(12 * c, b.grad().getDouble(0), 0.0);
        sgd.step();
        assertEquals(3.0 - 12 * c, b.value().getDouble(0), 1e-15, "the step uses the clipped gradient");
        assertThrows(IllegalArgumentException.class, () -> sgd.clipGradNorm(0));
    }

    @Test
    void learningRateCanChangeBetweenSteps() {
        Tensor p = Tensor.parameter(Nd4j.createFromArray(1.0));
        Sgd sgd = new Sgd(List.of(p), new Sgd.Config(0.5, 0.9, 0, 0, false));
        assertEquals(0.5, sgd.learningRate(), 0.0);
        p.mul(2.0).sum().backward();
        sgd.step();                      // buf = 2, p = 1 - 0.5 * 2 = 0
        sgd.setLearningRate(0.25);
        sgd.step();                      // buf = 0.9 * 2 + 2 = 3.8, p = 0 - 0.25 * 3.8
        assertEquals(-0.95, p.value().getDouble(0), 1e-15);
        assertEquals(0.5, sgd.config().lr(), 0.0, "the configuration keeps the base rate");
        assertThrows(IllegalArgumentException.class, () -> sgd.setLearningRate(Double.NaN));
        assertTrue(sgd.learningRate() == 0.25);
    }
}
