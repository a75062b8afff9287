package dev.softgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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

    @Test
    void sizeOneModelsAndParametersTrain() {
        // ND4J gives [1, 1] arrays non-default strides: they used to be refused as not dense.
        Linear one = new Linear(1, 1, Init.xavierUniform(1), DataType.FLOAT);
        assertArrayEquals(new long[] {1, 1}, one.parameters().get(0).shape());
        Mlp thin = new Mlp(5, new int[] {1, 1}, 2, Activation.TANH, Init.xavierUniform(2), DataType.DOUBLE);
        int[] predicted = thin.predict(Nd4j.rand(DataType.DOUBLE, 3, 5));
        assertEquals(3, predicted.length);
        assertTrue(predicted[0] >= 0 && predicted[0] < 2);
        Tensor w = Tensor.parameter(Nd4j.createFromArray(new double[][] {{2.0}}));
        Sgd sgd = new Sgd(List.of(w), new Sgd.Config(0.5, 0.9, 0, 0.1, true));
        w.mul(3.0).sum().backward();      // g = 3, d = g + 0.1 * 2 = 3.2, buf = 3.2, nesterov d = 3.2 + 0.9 * 3.2
        sgd.step();
        assertEquals(2.0 - 0.5 * 3.2 * 1.9, w.value().getDouble(0), 1e-12);
    }

    @Test
    void emptyBatchPredictsNothing() {
        Mlp m = new Mlp(3, new int[] {4}, 2, Activation.RELU, Init.xavierUniform(3), DataType.FLOAT);
        assertEquals(0, m.predict(Nd4j.create(DataType.FLOAT, 0, 3)).length);
        assertArrayEquals(new long[] {0, 2}, m.logits(Nd4j.create(DataType.FLOAT, 0, 3)).shape());
    }

    @Test
    void momentumBuffersCanBeReadButNotChanged() {
        Tensor p = Tensor.parameter(Nd4j.createFromArray(1.0, -2.0));
        Tensor q = Tensor.parameter(Nd4j.createFromArray(5.0));
        Sgd sgd = new Sgd(List.of(p, q), new Sgd.Config(0.1, 0.9, 0, 0, false));
        assertNull(sgd.momentumBuffer(p), "no buffer before the first step");
        p.mul(Tensor.constant(Nd4j.createFromArray(3.0, 4.0))).sum().backward();
        sgd.step();
        INDArray buf = sgd.momentumBuffer(p);
        assertEquals(3.0, buf.getDouble(0), 0.0);
        assertEquals(4.0, buf.getDouble(1), 0.0);
        assertNull(sgd.momentumBuffer(q), "q had no gradient: no buffer");
        buf.assign(100.0);
        assertEquals(3.0, sgd.momentumBuffer(p).getDouble(0), 0.0, "the copy must not write through");
        sgd.step();                       // buf = 0.9 * (3, 4) + (3, 4)
        assertEquals(1.9 * 4.0, sgd.momentumBuffer(p).getDouble(1), 1e-12);
        Tensor stranger = Tensor.parameter(Nd4j.createFromArray(0.0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> sgd.momentumBuffer(stranger)).getMessage()
                .contains("param"));
    }

    @Test
    void clipGradNormDoesNotOverflowAndMatchesPyTorchBelowThat() {
        // torch.nn.utils.clip_grad_norm_([a, b], 1.5) with a.grad = 1.1 * (0.3, -1.7, 2.9), b.grad =
        // [[1e-3, 4], [-5.5, 0.25]] (torch 2.13, float64): total 7.752057855821253, and these gradients.
        Tensor a = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, 3));
        Tensor b = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, 2, 2));
        Sgd sgd = new Sgd(List.of(a, b), Sgd.Config.plain(1.0));
        a.mul(Tensor.constant(Nd4j.createFromArray(0.3 * 1.1, -1.7 * 1.1, 2.9 * 1.1))).sum()
                .add(b.mul(Tensor.constant(Nd4j.createFromArray(new double[][] {{1e-3, 4.0}, {-5.5, 0.25}}))).sum())
                .backward();
        assertEquals(7.752057855821253, sgd.clipGradNorm(1.5), 1e-14);
        assertEquals(0.06385400436276226, a.grad().getDouble(0), 1e-15);
        assertEquals(-0.36183935805565276, a.grad().getDouble(1), 1e-15);
        assertEquals(0.6172553755067017, a.grad().getDouble(2), 1e-15);
        assertEquals(0.00019349698291746138, b.grad().getDouble(0, 0), 1e-17);
        assertEquals(-1.0642334060460374, b.grad().getDouble(1, 0), 1e-15);
        // At 1e160 the sum of squares overflows (PyTorch returns inf and zeroes the gradients); the
        // norm scaled by the largest magnitude is finite: sqrt(1 + 9 + 4) * 1e160.
        Tensor big = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, 3));
        Sgd bigSgd = new Sgd(List.of(big), Sgd.Config.plain(1.0));
        big.mul(Tensor.constant(Nd4j.createFromArray(1e160, -3e160, 2e160))).sum().backward();
        double total = bigSgd.clipGradNorm(1.0);
        assertEquals(Math.sqrt(14) * 1e160, total, 1e146);
        assertEquals(-3 / Math.sqrt(14), big.grad().getDouble(1), 1e-12, "clipped to norm 1");
        // Non-finite gradients are reported and left alone.
        big.grad().putScalar(0, Double.NaN);
        assertTrue(Double.isNaN(bigSgd.clipGradNorm(1.0)));
        big.grad().putScalar(0, Double.POSITIVE_INFINITY);
        assertEquals(Double.POSITIVE_INFINITY, bigSgd.clipGradNorm(1.0));
        assertEquals(-3 / Math.sqrt(14), big.grad().getDouble(1), 1e-12);
    }
}
