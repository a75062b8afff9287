package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The checker itself: it must catch a wrong backward, and pass a right one. */
class GradCheckTest {

    /** x^2 with a backward that forgets the factor 2 (or not). */
    static Tensor square(Tensor x, double factor) {
        INDArray xv = x.value();
        return Tensor.record("square", xv.mul(xv), g -> new INDArray[] {g.mul(xv).muli(factor)}, x);
    }

    @Test
    void detectsAWrongGradientAndSaysWhere() {
        INDArray x = TestArrays.uniform(5, 0.5, 2, 3, 2);
        GradCheck.Report bad = GradCheck.check(t -> square(t[0], 1.0).sum(), x);
        assertFalse(bad.passed());
        assertEquals(0.5, bad.maxRelError(), 1e-6, "analytic x vs numeric 2x: relative error 1/2");
        assertTrue(bad.where().startsWith("input 0"), bad.where());
        GradCheck.Report good = GradCheck.check(t -> square(t[0], 2.0).sum(), x);
        assertTrue(good.passed(), good.toString());
        assertTrue(good.maxRelError() < 1e-7, good.toString());
        assertEquals(6, good.checked());
    }

    @Test
    void detectsAMissingGradient() {
        INDArray x = TestArrays.uniform(6, 0.5, 2, 2);
        INDArray y = TestArrays.uniform(7, 0.5, 2, 2);
        // a backward that returns no gradient for its second input
        GradCheck.Report r = GradCheck.check(t -> Tensor.record("half-mul", t[0].value().mul(t[1].value()),
                g -> new INDArray[] {g.mul(t[1].value()), null}, t[0], t[1]).sum(), x, y);
        assertFalse(r.passed());
        assertTrue(r.where().startsWith("input 1"), r.where());
    }

    @Test
    void nonScalarOutputsAreProjected() {
        INDArray x = TestArrays.uniform(8, -1, 1, 3, 3);
        assertTrue(GradCheck.check(t -> t[0].exp(), x).passed());
        assertFalse(GradCheck.check(t -> Tensor.record("bad-identity", t[0].value().dup(), g -> new INDArray[] {g.mul(2.0)},
                t[0]).exp(), x).passed());
    }

    @Test
    void rejectsBadSettings() {
        INDArray x = Nd4j.ones(DataType.DOUBLE, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(t -> t[0].sum(), 0.0, 1e-6, 1e-5, x));
        assertTrue(e.getMessage().contains("step"), e.getMessage());
    }
}
