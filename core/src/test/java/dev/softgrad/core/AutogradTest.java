package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The engine: ordering, accumulation, freeing, scopes and the errors it raises. */
class AutogradTest {

    static Tensor param(double... v) {
        return Tensor.parameter(Nd4j.createFromArray(v));
    }

    @Test
    void fanOutAccumulatesGradients() {
        Tensor x = param(-1.5, 0.0, 2.0);
        x.mul(x).add(x).sum().backward(); // d/dx (x^2 + x) = 2x + 1
        assertEquals(-2.0, x.grad().getDouble(0), 0.0);
        assertEquals(1.0, x.grad().getDouble(1), 0.0);
        assertEquals(5.0, x.grad().getDouble(2), 0.0);
    }

    @Test
    void diamondVisitsSharedNodeOnce() {
        Tensor x = param(0.5, 1.0);
        Tensor e = x.exp(); // used by two branches
        e.mul(2.0).add(e.mul(3.0)).sum().backward(); // 5 e^x
        for (int i = 0; i < 2; i++) {
            assertEquals(5 * Math.exp(x.value().getDouble(i)), x.grad().getDouble(i), 1e-12);
        }
    }

    @Test
    void longChainNeedsNoRecursion() {
        Tensor x = param(1.0);
        Tensor y = x;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            y = y.add(1.0);
        }
        y.sum().backward();
        assertEquals(1.0, x.grad().getDouble(0), 0.0);
        assertEquals(n + 1.0, y.value().getDouble(0), 0.0);
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        Tensor x = param(1.0, 2.0);
        x.mul(3.0).sum().backward();
        x.mul(3.0).sum().backward();
        assertEquals(6.0, x.grad().getDouble(1), 0.0);
        INDArray buffer = x.grad();
        x.zeroGrad();
        assertEquals(0.0, x.grad().getDouble(1), 0.0);
        x.mul(3.0).sum().backward();
        assertEquals(3.0, x.grad().getDouble(0), 0.0);
        assertTrue(buffer == x.grad(), "zeroGrad keeps the gradient buffer");
    }

    @Test
    void secondBackwardThroughFreedGraphFailsUnlessRetained() {
        Tensor x = param(1.0, 2.0);
        Tensor loss = x.exp().sum();
        loss.backward();
        GraphFreedException e = assertThrows(GraphFreedException.class, loss::backward);
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());

        Tensor y = param(1.0);
        Tensor l2 = y.exp().sum();
        l2.backward(Nd4j.scalar(1.0), true);
        l2.backward(Nd4j.scalar(1.0), true);
        assertEquals(2 * Math.E, y.grad().getDouble(0), 1e-12);
    }

    @Test
    void nonScalarNeedsSeed() {
        Tensor x = Tensor.parameter(Nd4j.ones(DataType.DOUBLE, 2, 3));
        Tensor y = x.mul(2.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        y.backward(Nd4j.ones(DataType.DOUBLE, 2, 3).mul(0.5));
        assertEquals(1.0, x.grad().getDouble(1, 2), 0.0);
    }

    @Test
    void seedMustMatchShapeAndType() {
        Tensor x = Tensor.parameter(Nd4j.ones(DataType.DOUBLE, 2, 3));
        Tensor y = x.mul(2.0);
        ShapeMismatchException s = assertThrows(ShapeMismatchException.class,
                () -> y.backward(Nd4j.ones(DataType.DOUBLE, 3, 2)));
        assertTrue(s.getMessage().contains("[3, 2]") && s.getMessage().contains("[2, 3]"), s.getMessage());
        assertThrows(DataTypeMismatchException.class, () -> y.backward(Nd4j.ones(DataType.FLOAT, 2, 3)));
    }

    @Test
    void backwardOnConstantIsAnError() {
        Tensor c = Tensor.constant(Nd4j.ones(DataType.DOUBLE, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.sum().backward());
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void constantsAndDetachedTensorsGetNoGradient() {
        Tensor x = param(2.0);
        Tensor c = Tensor.constant(Nd4j.createFromArray(3.0));
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        x.mul(c).add(d.mul(x)).sum().backward(); // d/dx = c + d (d treated as constant) = 5
        assertEquals(5.0, x.grad().getDouble(0), 0.0);
        assertNull(c.grad());
        assertNull(d.grad());
    }

    @Test
    void noGradScopeRecordsNothingAndNests() {
        Tensor x = param(1.0);
        try (Autograd.Scope outer = Autograd.noGrad()) {
            try (Autograd.Scope inner = Autograd.noGrad()) {
                assertFalse(x.exp().requiresGrad());
            }
            assertFalse(Autograd.isGradEnabled());
            assertFalse(x.mul(2.0).requiresGrad());
        }
        assertTrue(Autograd.isGradEnabled());
        assertTrue(x.exp().requiresGrad());
    }

    @Test
    void intermediateGradientsOnlyWhenRetained() {
        Tensor x = param(1.0, 2.0);
        Tensor h = x.mul(2.0).retainGrad();
        Tensor k = x.mul(3.0);
        h.mul(k).sum().backward();
        assertEquals(3.0, h.grad().getDouble(0), 0.0); // d/dh (h k) = k = 3x
        assertNull(k.grad());
    }

    @Test
    void mixedDataTypesAreRejectedWithBothNamed() {
        Tensor a = Tensor.parameter(Nd4j.ones(DataType.FLOAT, 2, 2));
        Tensor b = Tensor.parameter(Nd4j.ones(DataType.DOUBLE, 2, 2));
        DataTypeMismatchException e = assertThrows(DataTypeMismatchException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("float32")
                && e.getMessage().contains("float64"), e.getMessage());
        assertThrows(DataTypeMismatchException.class, () -> a.matmul(b));
        assertThrows(DataTypeMismatchException.class, () -> Functional.linear(a, b, null));
    }

    @Test
    void shapeErrorsNameOperationAndBothShapes() {
        Tensor a = Tensor.parameter(Nd4j.ones(DataType.DOUBLE, 2, 3));
        Tensor b = Tensor.parameter(Nd4j.ones(DataType.DOUBLE, 4, 3));
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> a.mul(b));
        assertTrue(e.getMessage().startsWith("mul") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[4, 3]"), e.getMessage());
        ShapeMismatchException m = assertThrows(ShapeMismatchException.class, () -> a.matmul(b));
        assertTrue(m.getMessage().contains("[2, 3] @ [4, 3]"), m.getMessage());
        assertThrows(ShapeMismatchException.class, () -> a.reshape(4, 2));
        IllegalArgumentException ax = assertThrows(IllegalArgumentException.class, () -> a.sum(2, false));
        assertTrue(ax.getMessage().contains("axis 2"), ax.getMessage());
    }

    @Test
    void nonFloatingInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.parameter(Nd4j.ones(DataType.INT, 2)));
        assertTrue(e.getMessage().contains("float32 or float64") && e.getMessage().contains("INT"), e.getMessage());
    }

    @Test
    void viewsAndFortranOrderInputsAreCopiedToDenseArrays() {
        INDArray base = Nd4j.arange(12).castTo(DataType.DOUBLE).reshape(3, 4);
        INDArray col = base.getColumn(1); // a strided view
        Tensor t = Tensor.parameter(col);
        assertEquals(1.0 + 5.0 + 9.0, t.sum().item(), 0.0);
        INDArray f = base.dup('f');
        assertEquals(66.0, Tensor.constant(f).sum().item(), 0.0);
        assertEquals(base.getDouble(2, 1), Tensor.constant(f).value().getDouble(2, 1), 0.0);
    }

    @Test
    void castIsDifferentiableAndExplicit() {
        Tensor x = Tensor.parameter(Nd4j.createFromArray(1.25, -2.5));
        Tensor y = x.cast(DataType.FLOAT).mul(4.0).sum();
        assertEquals(DataType.FLOAT, y.dataType());
        y.backward();
        assertEquals(DataType.DOUBLE, x.grad().dataType());
        assertEquals(4.0, x.grad().getDouble(0), 0.0);
    }

    @Test
    void denseViewsRefuseWhatTheyCannotReadDirectly() {
        INDArray base = Nd4j.arange(12).castTo(DataType.DOUBLE).reshape(3, 4);
        Dense d = Dense.of(base);
        assertEquals(12, d.length());
        assertEquals(11.0, d.get(11), 0.0);
        assertEquals(506.0, d.squaredNorm(), 0.0); // 0^2 + ... + 11^2
        IllegalArgumentException view = assertThrows(IllegalArgumentException.class, () -> Dense.of(base.getColumn(1)));
        assertTrue(view.getMessage().contains("dense C-ordered"), view.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dense.of(base.dup('f')));
        assertThrows(IllegalArgumentException.class, () -> Dense.of(Nd4j.ones(DataType.INT, 3)));
    }

    @Test
    void inPlaceUpdatesOverwriteWhateverTheTargetHeld() {
        INDArray y = Nd4j.createFromArray(Float.NaN, Float.POSITIVE_INFINITY, 3f);
        INDArray x = Nd4j.createFromArray(1f, 2f, 4f);
        InPlace.copy(x, y);
        assertEquals(x, y, "copy replaces NaN and inf, it does not compute 0 * y + x");
        InPlace.axpy(0.5, x, y);
        assertEquals(Nd4j.createFromArray(1.5f, 3f, 6f), y);
        InPlace.scaleAdd(2.0, y, -1.0, x);
        assertEquals(Nd4j.createFromArray(2f, 4f, 8f), y);
        assertThrows(ShapeMismatchException.class, () -> InPlace.copy(x, Nd4j.ones(DataType.FLOAT, 2)));
    }
}
