package dev.softgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** PyTorch's SGD rule, step by step against values computed by hand. */
class SgdTest {

    /** loss = sum(c * p) has the constant gradient c. */
    static void gradStep(Tensor p, double c) {
        p.mul(c).sum().backward();
    }

    @Test
    void plainStep() {
        Tensor p = Tensor.parameter(Nd4j.createFromArray(1.0, -2.0));
        Sgd opt = new Sgd(List.of(p), Sgd.Config.plain(0.1));
        gradStep(p, 3.0);
        opt.step();
        assertEquals(1.0 - 0.3, p.value().getDouble(0), 1e-15);
        assertEquals(-2.0 - 0.3, p.value().getDouble(1), 1e-15);
        assertEquals(3.0, p.grad().getDouble(0), 0.0, "step leaves the gradient alone");
    }

    @Test
    void momentumDampeningWeightDecayByHand() {
        // p0 = 1, g = 2 each step, lr = 0.5, momentum 0.9, dampening 0.1, wd 0.01
        Tensor p = Tensor.parameter(Nd4j.createFromArray(1.0));
        Sgd opt = new Sgd(List.of(p), new Sgd.Config(0.5, 0.9, 0.1, 0.01, false));
        double w = 1.0;
        double buf = 0;
        for (int step = 0; step < 3; step++) {
            opt.zeroGrad();
            gradStep(p, 2.0);
            opt.step();
            double d = 2.0 + 0.01 * w;
            buf = step == 0 ? d : 0.9 * buf + 0.9 * d;
            w -= 0.5 * buf;
            assertEquals(w, p.value().getDouble(0), 1e-14, "step " + step);
            assertEquals(2.0, p.grad().getDouble(0), 0.0, "weight decay must not change p.grad");
        }
    }

    @Test
    void nesterovByHand() {
        Tensor p = Tensor.parameter(Nd4j.createFromArray(0.0));
        Sgd opt = new Sgd(List.of(p), new Sgd.Config(0.1, 0.5, 0.0, 0.0, true));
        double w = 0;
        double buf = 0;
        for (int step = 0; step < 3; step++) {
            opt.zeroGrad();
            gradStep(p, 1.0);
            opt.step();
            buf = step == 0 ? 1.0 : 0.5 * buf + 1.0;
            w -= 0.1 * (1.0 + 0.5 * buf);
            assertEquals(w, p.value().getDouble(0), 1e-15, "step " + step);
        }
    }

    @Test
    void badHyperParametersAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sgd.Config.plain(-1));
        assertTrue(e.getMessage().contains("lr") && e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sgd.Config(0.1, 0.0, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new Sgd.Config(0.1, -0.5, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(Tensor.constant(Nd4j.ones(1))), Sgd.Config.plain(1)));
    }
}
