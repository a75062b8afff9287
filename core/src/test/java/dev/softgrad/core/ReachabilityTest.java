package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A backward function reads what its forward saved even when the garbage collector ran in between
 * and ND4J's deallocator freed every unreachable array. Before {@link Dense} held its DataBuffer,
 * logSoftmax and logSumExp kept their probabilities only through an NIO view, which does not keep
 * the native memory alive: after a collection the backward read whatever was allocated there next
 * (here the 123s below), and the bandit notebook's score-function claims failed now and then in a
 * full test run.
 */
class ReachabilityTest {
    private static final List<Function<Tensor, Tensor>> OPS = List.of(
            z -> Losses.logSoftmax(z, 0.7).mul(Tensor.constant(weights())).sum(),
            z -> Losses.logSumExp(z, 0.7).sum(),
            z -> Losses.softmax(z, 0.7).mul(Tensor.constant(weights())).sum(),
            z -> Losses.maskedSoftmax(z, new boolean[][] {{true, false, true, true, true}}, 1.0)
                    .mul(Tensor.constant(weights())).sum());

    private static INDArray weights() {
        return Nd4j.createFromArray(new double[][] {{0.5, 1, -2, 0.25, 3}});
    }

    @Test
    void backwardReadsItsSavedArraysAfterTheDeallocatorRan() throws InterruptedException {
        double[][] h0 = {{0.3, -1.2, 0.8, 2.0, -0.4}};
        for (Function<Tensor, Tensor> op : OPS) {
            Tensor calm = Tensor.parameter(Nd4j.createFromArray(h0));
            op.apply(calm).backward();
            double[] expected = calm.grad().toDoubleVector();

            Tensor h = Tensor.parameter(Nd4j.createFromArray(h0));
            Tensor loss = op.apply(h);
            for (int i = 0; i < 2; i++) {
                System.gc();
                Thread.sleep(20); // the deallocator frees unreachable buffers on its own thread
            }
            for (int i = 0; i < 2000; i++) { // reuse the freed memory
                Nd4j.createUninitialized(DataType.DOUBLE, 1, 5).assign(123.0);
            }
            loss.backward();
            assertArrayEquals(expected, h.grad().toDoubleVector(), 0.0, "gradient after a collection");
        }
    }
}
