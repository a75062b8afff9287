package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Arrays are recycled across scopes, results are unchanged, and stale tensors are refused. */
class ArenaTest {

    static double step(Tensor w, Tensor x, int[] y) {
        Tensor loss = Functional.softmaxCrossEntropy(Functional.linear(x, w, null), y);
        loss.backward();
        return loss.item();
    }

    @Test
    void repeatedStepStopsAllocatingAndGivesTheSameNumbers() {
        INDArray x0 = TestArrays.uniform(1, -1, 1, DataType.FLOAT, 8, 4);
        INDArray w0 = TestArrays.uniform(2, -1, 1, DataType.FLOAT, 4, 3);
        int[] y = {0, 1, 2, 0, 1, 2, 0, 1};
        Tensor x = Tensor.constant(x0);
        Tensor wPlain = Tensor.parameter(w0.dup());
        Tensor wArena = Tensor.parameter(w0.dup());
        Arena arena = new Arena();
        long afterFirst = -1;
        java.util.Set<INDArray> gradBuffers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < 6; i++) {
            double plain = step(wPlain, x, y);
            double pooled;
            try (Arena.Scope s = arena.open()) {
                pooled = step(wArena, x, y);
            }
            if (i == 1) { // the parameter takes the first step's gradient array; the second step replaces it once
                afterFirst = arena.allocations();
            }
            assertEquals(plain, pooled, 0.0, "step " + i);
            assertEquals(wPlain.grad(), wArena.grad(), "step " + i);
            wPlain.zeroGrad();
            wArena.zeroGrad();
            gradBuffers.add(wArena.grad());
        }
        assertTrue(afterFirst > 0);
        assertEquals(afterFirst, arena.allocations(), "no allocation after the second step");
        assertTrue(gradBuffers.size() <= 3, "the gradient alternates between a few buffers, not a new one each step: "
                + gradBuffers.size());
    }

    @Test
    void tensorsFromAClosedScopeAreRefused() {
        Arena arena = new Arena();
        Tensor w = Tensor.parameter(Nd4j.ones(DataType.DOUBLE, 2));
        Tensor kept;
        try (Arena.Scope s = arena.open()) {
            kept = w.mul(2.0);
            assertEquals(4.0, kept.sum().item(), 0.0);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, kept::value);
        assertTrue(e.getMessage().contains("Arena scope that has closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> kept.sum());
        assertThrows(IllegalStateException.class, kept::backward);
    }

    @Test
    void everyReaderOfAClosedScopesArraysThrows() {
        Arena arena = new Arena();
        Tensor w = Tensor.parameter(Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}}));
        Tensor kept;
        Tensor retained;
        try (Arena.Scope s = arena.open()) {
            kept = w.mul(2.0);
            retained = w.mul(3.0).retainGrad();
            retained.sum().backward();
        }
        // The next scope recycles the arrays with other data.
        try (Arena.Scope s = arena.open()) {
            w.mul(-7.0);
            w.mul(-9.0).sum();
        }
        for (org.junit.jupiter.api.function.Executable read : List.<org.junit.jupiter.api.function.Executable>of(
                () -> kept.cast(DataType.FLOAT), kept::item, kept::shape, kept::detach, retained::grad)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, read);
            assertTrue(e.getMessage().contains("Arena scope that has closed"), e.getMessage());
        }
        // Outside any scope nothing changes: a parameter's value, gradient and cast are readable.
        assertEquals(2.0, w.cast(DataType.FLOAT).value().getDouble(1), 0.0);
        assertEquals(3.0, w.grad().getDouble(0), 0.0);
    }

    @Test
    void scopesCannotOverlapOrCloseOutOfOrder() {
        Arena a = new Arena();
        Arena b = new Arena();
        Arena.Scope sa = a.open();
        assertThrows(IllegalStateException.class, a::open);
        Arena.Scope sb = b.open();
        assertThrows(IllegalStateException.class, sa::close);
        sb.close();
        sa.close();
        assertTrue(sa.isClosed() && sb.isClosed());
    }

    @Test
    void differentShapesGetDifferentArrays() {
        Arena arena = new Arena();
        INDArray first;
        try (Arena.Scope s = arena.open()) {
            first = Arena.take(DataType.FLOAT, new long[] {2, 3});
            INDArray other = Arena.take(DataType.FLOAT, new long[] {3, 2});
            assertTrue(first != other);
        }
        try (Arena.Scope s = arena.open()) {
            assertSame(first, Arena.take(DataType.FLOAT, new long[] {2, 3}));
            assertTrue(first != Arena.take(DataType.DOUBLE, new long[] {2, 3}), "data types are not mixed");
        }
    }
}
