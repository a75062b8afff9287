package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Dense#view}'s per-thread reuse of views: one view per buffer, each reading and writing its own array. */
class DenseViewTest {
    @Test
    void viewsAreReusedPerBufferAndNeverMixedUp() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 3, 4);
        assertSame(Dense.view(a), Dense.view(a), "the same buffer viewed twice: one view");
        // more arrays than the thread keeps views of, of the same shape and of both types, twice round
        INDArray[] arrays = new INDArray[20];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = Nd4j.zeros(i % 2 == 0 ? DataType.FLOAT : DataType.DOUBLE, 3, 4);
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < arrays.length; i++) {
                Dense v = Dense.view(arrays[i]);
                assertEquals(12, v.length());
                v.set(5, v.get(5) + i + 1);
            }
        }
        for (int i = 0; i < arrays.length; i++) {
            assertEquals(2.0 * (i + 1), arrays[i].getDouble(5), "array " + i + " got its own two writes");
            assertEquals(0.0, arrays[i].getDouble(4));
        }
    }
}
