package dev.softgrad.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class MiniBatchIteratorTest {

    /** 10 rows, 3 features: row r holds (r, 100 + r, -r), label r % 4. */
    private static Dataset rows(DataType type) {
        int n = 10;
        double[] x = new double[3 * n];
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            x[3 * r] = r;
            x[3 * r + 1] = 100 + r;
            x[3 * r + 2] = -r;
            y[r] = r % 4;
        }
        return Dataset.of("rows", x, 3, y, List.of("a", "b", "c", "d"), type);
    }

    private static void assertBatchHoldsItsRows(MiniBatch b) {
        INDArray f = b.features();
        INDArray h = b.oneHot();
        for (int i = 0; i < b.size(); i++) {
            int r = b.rows()[i];
            assertEquals(r, f.getDouble(i, 0));
            assertEquals(100 + r, f.getDouble(i, 1));
            assertEquals(-r, f.getDouble(i, 2));
            assertEquals(r % 4, b.labels()[i]);
            for (int c = 0; c < 4; c++) {
                assertEquals(c == r % 4 ? 1.0 : 0.0, h.getDouble(i, c), "one-hot row " + i + " column " + c);
            }
        }
    }

    @Test
    void inOrderCoversEveryRowOnceWithASmallerLastBatch() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            MiniBatchIterator it = MiniBatchIterator.inOrder(rows(type), 4);
            assertEquals(3, it.batchesPerEpoch());
            List<Integer> sizes = new ArrayList<>();
            List<Integer> seen = new ArrayList<>();
            while (it.hasNext()) {
                MiniBatch b = it.next();
                assertEquals(type, b.features().dataType());
                assertBatchHoldsItsRows(b);
                sizes.add(b.size());
                for (int r : b.rows()) {
                    seen.add(r);
                }
            }
            assertEquals(List.of(4, 4, 2), sizes);
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), seen);
            assertThrows(NoSuchElementException.class, it::next);
        }
    }

    @Test
    void shuffledEpochsArePermutationsThatDifferAndRepeatForTheSeed() {
        MiniBatchIterator a = MiniBatchIterator.shuffled(rows(DataType.FLOAT), 3, 42);
        MiniBatchIterator b = MiniBatchIterator.shuffled(rows(DataType.FLOAT), 3, 42);
        int[] epoch0 = drain(a);
        assertArrayEquals(epoch0, drain(b));
        int[] sorted = epoch0.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        a.reset();
        assertEquals(1, a.epoch());
        int[] epoch1 = drain(a);
        assertFalse(Arrays.equals(epoch0, epoch1), "epochs should use different permutations");
        int[] sorted1 = epoch1.clone();
        Arrays.sort(sorted1);
        assertArrayEquals(sorted, sorted1);
    }

    private static int[] drain(MiniBatchIterator it) {
        List<Integer> out = new ArrayList<>();
        while (it.hasNext()) {
            MiniBatch b = it.next();
            assertBatchHoldsItsRows(b);
            for (int r : b.rows()) {
                out.add(r);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void buffersAreReusedAcrossBatchesAndEpochs() {
        MiniBatchIterator it = new MiniBatchIterator(rows(DataType.FLOAT), 4, true, false, 1);
        MiniBatch first = it.next();
        INDArray features = first.features();
        INDArray oneHot = first.oneHot();
        MiniBatch second = it.next();
        assertSame(first, second);
        assertSame(features, second.features());
        assertSame(oneHot, second.oneHot());
        MiniBatch tail = it.next();
        assertEquals(2, tail.size());
        it.reset();
        it.next();
        it.next();
        assertSame(tail, it.next());
    }

    @Test
    void dropLastSkipsTheIncompleteBatch() {
        MiniBatchIterator it = new MiniBatchIterator(rows(DataType.FLOAT), 4, true, true, 3);
        assertEquals(2, it.batchesPerEpoch());
        int count = 0;
        while (it.hasNext()) {
            assertEquals(4, it.next().size());
            count++;
        }
        assertEquals(2, count);
        DatasetTest.assertMessage(() -> new MiniBatchIterator(rows(DataType.FLOAT), 11, true, true, 3), "batchSize");
        DatasetTest.assertMessage(() -> MiniBatchIterator.inOrder(rows(DataType.FLOAT), 0), "batchSize: expected >= 1, got 0");
    }

    @Test
    void batchLargerThanTheDataGivesOneBatchOfAllRows() {
        MiniBatchIterator it = MiniBatchIterator.inOrder(rows(DataType.DOUBLE), 64);
        MiniBatch b = it.next();
        assertEquals(10, b.size());
        assertTrue(!it.hasNext());
    }
}
