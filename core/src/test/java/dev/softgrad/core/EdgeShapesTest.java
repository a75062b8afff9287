package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The edges of the shape space: arrays with size-1 dimensions (which ND4J gives non-default
 * strides) and empty tensors (N = 0), with PyTorch's answers where PyTorch has one.
 */
class EdgeShapesTest {

    @Test
    void anyCContiguousArrayIsDenseWhateverNd4jSaysOfItsStrides() {
        for (long[] shape : new long[][] {{1, 1}, {1, 5}, {5, 1}, {1, 1, 1}, {3, 1, 2}, {1}}) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                INDArray a = Nd4j.rand(type, shape);
                assertTrue(Dense.isDense(a), () -> "shape " + java.util.Arrays.toString(shape) + " strides "
                        + java.util.Arrays.toString(a.stride()));
                assertSame(a, Dense.densify(a), "a dense array must not be copied");
                assertEquals(a.length(), Dense.of(a).length());
            }
        }
        // [1, 1] views with the strides ND4J gives them (e.g. a row of a column, a transposed [1, 1]).
        INDArray one = Nd4j.createFromArray(new double[][] {{2.5}});
        INDArray t = one.transpose();
        assertTrue(Dense.isDense(t), () -> "strides " + java.util.Arrays.toString(t.stride()));
        // A real non-contiguous view is still refused (a column of a [2, 3] matrix).
        INDArray m = Nd4j.rand(DataType.DOUBLE, 2, 3);
        assertTrue(!Dense.isDense(m.getColumn(1)));
        assertTrue(!Dense.isDense(m.transpose()));
        // InPlace on [1, 1] arrays.
        INDArray x = Nd4j.createFromArray(new double[][] {{3.0}});
        INDArray y = Nd4j.createFromArray(new double[][] {{1.0}}).transpose();
        InPlace.axpy(2.0, x, y);
        assertEquals(7.0, y.getDouble(0), 0.0);
        Tensor p = Tensor.parameter(y);
        assertSame(y, p.value(), "a [1, 1] parameter must be used as it is, so in-place updates are seen");
    }

    @Test
    void sizeOneDimensionsTrainThroughLinear() {
        Tensor w = Tensor.parameter(Nd4j.createFromArray(new double[][] {{0.5}}));
        Tensor b = Tensor.parameter(Nd4j.createFromArray(new double[] {0.25}));
        Tensor x = Tensor.constant(Nd4j.createFromArray(new double[][] {{2.0}}));
        Tensor y = Functional.linear(x, w, b);
        assertEquals(1.25, y.item(), 0.0);
        y.sum().backward();
        assertEquals(2.0, w.grad().getDouble(0), 0.0);
        assertEquals(1.0, b.grad().getDouble(0), 0.0);
    }

    private static Tensor empty(DataType type, long... shape) {
        return Tensor.constant(Nd4j.create(type, shape));
    }

    @Test
    void reductionsOfNothingAreThoseOfPyTorch() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Tensor x = Tensor.parameter(Nd4j.create(type, 0, 3));
            Tensor s = x.sum();
            assertEquals(0.0, s.item(), 0.0, "torch.zeros(0, 3).sum() is 0");
            assertTrue(Double.isNaN(x.mean().item()), "torch.zeros(0, 3).mean() is nan");
            s.backward();
            assertArrayEquals(new long[] {0, 3}, x.grad().shape());
            Tensor s0 = x.sum(0, false);
            assertArrayEquals(new long[] {3}, s0.shape());
            assertEquals(0.0, Dense.of(s0.value()).squaredNorm(), 0.0);
            Tensor m0 = x.mean(0, false);
            assertTrue(Double.isNaN(m0.value().getDouble(1)), "torch.zeros(0, 3).mean(0) is [nan, nan, nan]");
            assertArrayEquals(new long[] {0}, x.sum(1, false).shape());
            assertArrayEquals(new long[] {0}, x.max(1, false).shape());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.max(0, false));
            assertTrue(e.getMessage().startsWith("max"), e.getMessage());
        }
    }

    @Test
    void elementwiseAndSoftmaxOfEmptyAreEmpty() {
        Tensor x = empty(DataType.FLOAT, 0, 4);
        assertArrayEquals(new long[] {0, 4}, x.exp().shape());
        assertArrayEquals(new long[] {0, 4}, x.add(x).shape());
        assertArrayEquals(new long[] {0, 4}, x.add(Tensor.constant(Nd4j.ones(DataType.FLOAT, 4))).shape());
        assertArrayEquals(new long[] {0, 4}, x.mul(2.0).shape());
        assertArrayEquals(new long[] {0, 4}, Losses.softmax(x, 1.0).shape());
        assertArrayEquals(new long[] {0, 4}, Losses.logSoftmax(x, 1.0).shape());
        Tensor w = Tensor.parameter(Nd4j.rand(DataType.FLOAT, 4, 3));
        Tensor b = Tensor.parameter(Nd4j.rand(DataType.FLOAT, 3));
        Tensor y = Functional.linear(x, w, b);
        assertArrayEquals(new long[] {0, 3}, y.shape());
        y.sum().backward();
        assertEquals(0.0, Dense.of(w.grad()).squaredNorm(), 0.0, "no rows, no gradient");
        assertEquals(0.0, Dense.of(b.grad()).squaredNorm(), 0.0);
        assertArrayEquals(new long[] {0, 3}, x.matmul(Tensor.constant(Nd4j.rand(DataType.FLOAT, 4, 3))).shape());
        // An empty inner dimension: torch.zeros(2, 0) @ torch.zeros(0, 3) is a [2, 3] matrix of zeros.
        Tensor p = empty(DataType.DOUBLE, 2, 0).matmul(empty(DataType.DOUBLE, 0, 3));
        assertArrayEquals(new long[] {2, 3}, p.shape());
        assertEquals(0.0, Dense.of(p.value()).squaredNorm(), 0.0);
        assertEquals(0.0, p.sum().item(), 0.0);
        // No classes, as PyTorch: softmax and log_softmax of [2, 0] are [2, 0]; logsumexp is [-inf, -inf]
        Tensor none = Tensor.parameter(Nd4j.create(DataType.FLOAT, 2, 0));
        assertArrayEquals(new long[] {2, 0}, Losses.softmax(none, 1.0).shape());
        Tensor logP = Losses.logSoftmax(none, 1.0);
        assertArrayEquals(new long[] {2, 0}, logP.shape());
        logP.sum().backward();
        assertArrayEquals(new long[] {2, 0}, none.grad().shape(), "an empty gradient of the input's shape");
        Tensor lse = Losses.logSumExp(none, 1.0);
        assertArrayEquals(new long[] {2}, lse.shape());
        assertEquals(Double.NEGATIVE_INFINITY, lse.value().getDouble(0), 0.0, "torch.logsumexp(zeros(2, 0), 1) is -inf");
        assertEquals(Double.NEGATIVE_INFINITY, lse.value().getDouble(1), 0.0);
    }

    @Test
    void lossesOfNoRowsAreThoseOfPyTorch() {
        // F.cross_entropy(zeros(0, 3), y) is nan (a mean over nothing); reduction='sum' is 0, 'none' is [0]
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Tensor z = Tensor.parameter(Nd4j.create(type, 0, 3));
            Tensor mean = Losses.crossEntropy(z, new int[0]);
            assertTrue(Double.isNaN(mean.item()), "mean over no rows: " + mean.item());
            mean.backward();
            assertArrayEquals(new long[] {0, 3}, z.grad().shape());
            SoftmaxCrossEntropy.Options o = SoftmaxCrossEntropy.Options.DEFAULT;
            assertEquals(0.0, Losses.crossEntropy(z, new int[0], o.withReduction(SoftmaxCrossEntropy.Reduction.SUM)).item(),
                    0.0, "sum over no rows");
            assertArrayEquals(new long[] {0},
                    Losses.crossEntropy(z, new int[0], o.withReduction(SoftmaxCrossEntropy.Reduction.NONE)).shape());
            assertTrue(Double.isNaN(Losses.labelSmoothing(z, new int[0], 0.1).item()), "smoothing: mean over no rows");
            assertTrue(Double.isNaN(Losses.crossEntropy(z, Nd4j.create(type, 0, 3), o).item()), "probability targets");
            assertTrue(Double.isNaN(Losses.distill(z, Nd4j.create(type, 0, 3), 2.0, new int[0], 0.5).item()), "distill");
            assertTrue(Double.isNaN(Losses.zLoss(z, 0.1).item()), "zLoss: mean over no rows");
        }
        // no classes stays an error: a loss over no classes has no value (PyTorch fails as well)
        Tensor k0 = Tensor.parameter(Nd4j.create(DataType.DOUBLE, 2, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(k0, new int[] {0, 0}));
        assertTrue(e.getMessage().contains("at least one class") && e.getMessage().contains("[2, 0]"), e.getMessage());
    }

    @Test
    void everyOpOfAnEmptyTensorIsEmptyAndBacksPropagates() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            java.util.List<java.util.function.UnaryOperator<Tensor>> ops = java.util.List.of(Tensor::exp, Tensor::log,
                    Tensor::tanh, Tensor::sigmoid, Tensor::relu, Tensor::neg, t -> t.pow(2.0), t -> t.div(3.0),
                    t -> t.rsub(1.0), t -> t.mul(t), t -> t.sub(t), t -> t.div(t.add(1.0)), t -> t.transpose().transpose(),
                    t -> t.reshape(3, 0).reshape(0, 3), t -> t.cast(type == DataType.FLOAT ? DataType.DOUBLE : DataType.FLOAT));
            for (int o = 0; o < ops.size(); o++) {
                Tensor x = Tensor.parameter(Nd4j.create(type, 0, 3));
                Tensor y = ops.get(o).apply(x);
                assertEquals(0, y.value().length(), "op " + o);
                assertEquals(0.0, y.sum().item(), 0.0, "op " + o);
                y.sum().backward();
                assertArrayEquals(new long[] {0, 3}, x.grad().shape(), "op " + o);
            }
        }
    }
}
