package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Forward values against ND4J's own operations and closed forms. */
class OpsValuesTest {
    final INDArray a = TestArrays.uniform(11, 0.5, 2, 3, 4);
    final INDArray b = TestArrays.uniform(12, 0.5, 2, 3, 4);
    final Tensor ta = Tensor.constant(a);
    final Tensor tb = Tensor.constant(b);

    static void assertClose(INDArray expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        assertTrue(expected.equalsWithEps(actual.value(), 1e-12), () -> expected + " vs " + actual.value());
    }

    @Test
    void elementwiseMatchesNd4j() {
        assertClose(a.add(b), ta.add(tb));
        assertClose(a.sub(b), ta.sub(tb));
        assertClose(a.mul(b), ta.mul(tb));
        assertClose(a.div(b), ta.div(tb));
        assertClose(a.neg(), ta.neg());
        assertClose(Transforms.exp(a, true), ta.exp());
        assertClose(Transforms.log(a, true), ta.log());
        assertClose(Transforms.pow(a, 2.5, true), ta.pow(2.5));
        assertClose(a.rsub(3.0), ta.rsub(3.0));
        assertClose(a.rdiv(3.0), ta.rdiv(3.0));
        INDArray c = TestArrays.uniform(17, -3, 3, 3, 4);
        Tensor tc = Tensor.constant(c);
        assertClose(Transforms.tanh(c, true), tc.tanh());
        assertClose(Transforms.sigmoid(c, true), tc.sigmoid());
        assertClose(Transforms.relu(c, true), tc.relu());
    }

    @Test
    void sigmoidAndTanhSaturateWithoutOverflow() {
        Tensor x = Tensor.parameter(Nd4j.createFromArray(-1000.0, 1000.0, 0.0));
        Tensor s = x.sigmoid();
        assertEquals(0.0, s.value().getDouble(0), 0.0);
        assertEquals(1.0, s.value().getDouble(1), 0.0);
        assertEquals(0.5, s.value().getDouble(2), 0.0);
        s.sum().backward();
        assertEquals(0.0, x.grad().getDouble(0), 0.0, "a saturated sigmoid passes no gradient");
        assertEquals(0.25, x.grad().getDouble(2), 0.0);
        Tensor y = Tensor.parameter(Nd4j.createFromArray(0.0, 2.0));
        y.relu().sum().backward();
        assertEquals(0.0, y.grad().getDouble(0), 0.0, "relu'(0) = 0 as in PyTorch");
        assertEquals(1.0, y.grad().getDouble(1), 0.0);
    }

    @Test
    void broadcastingMatchesNd4j() {
        INDArray row = TestArrays.uniform(13, -1, 1, 1, 4);
        INDArray col = TestArrays.uniform(14, -1, 1, 3, 1);
        assertClose(a.addRowVector(row), ta.add(Tensor.constant(row)));
        assertClose(a.mulColumnVector(col), ta.mul(Tensor.constant(col)));
        assertClose(a.addRowVector(row.reshape(4)), ta.add(Tensor.constant(row.reshape(4))));
        Tensor outer = Tensor.constant(col).mul(Tensor.constant(row));
        assertClose(col.mmul(row), outer);
    }

    @Test
    void reductionsMatchNd4j() {
        assertEquals(a.sumNumber().doubleValue(), ta.sum().item(), 1e-12);
        assertEquals(a.meanNumber().doubleValue(), ta.mean().item(), 1e-12);
        assertEquals(0, ta.sum().rank(), "a full reduction is rank 0, as in PyTorch");
        assertClose(a.sum(0), ta.sum(0, false));
        assertClose(a.sum(true, 1), ta.sum(1, true));
        assertClose(a.mean(1), ta.mean(-1, false));
        assertClose(a.max(1), ta.max(1, false));
        assertClose(a.max(true, 0), ta.max(0, true));
    }

    @Test
    void maxSendsTheGradientToTheFirstMaximum() {
        Tensor x = Tensor.parameter(Nd4j.createFromArray(new double[][] {{1, 3, 3}, {2, 2, 0}}));
        x.max(1, false).sum().backward();
        assertEquals(Nd4j.createFromArray(new double[][] {{0, 1, 0}, {1, 0, 0}}), x.grad());
    }

    @Test
    void directBlasIsBoundAndAgreesWithNd4jForEveryTransposition() {
        assertTrue(MatMulOps.DIRECT, "OpenBLAS's cblas_?gemm should bind here; without it every product pays ND4J's overhead");
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray x = TestArrays.uniform(21, -1, 1, t, 5, 3);
            INDArray y = TestArrays.uniform(22, -1, 1, t, 5, 4);
            INDArray out = Nd4j.createUninitialized(t, new long[] {3, 4}, 'c');
            MatMulOps.gemm(x, true, y, false, out, 0.0);
            assertTrue(x.transpose().mmul(y).equalsWithEps(out, 1e-5), "x^T y in " + t);
            INDArray z = TestArrays.uniform(23, -1, 1, t, 4, 3);
            INDArray out2 = Nd4j.createUninitialized(t, new long[] {5, 4}, 'c');
            MatMulOps.gemm(TestArrays.uniform(24, -1, 1, t, 5, 3), false, z, true, out2, 0.0);
            assertTrue(TestArrays.uniform(24, -1, 1, t, 5, 3).mmul(z.transpose()).equalsWithEps(out2, 1e-5), "x z^T in " + t);
        }
    }

    @Test
    void matmulTransposeReshapeMatchNd4j() {
        INDArray w = TestArrays.uniform(15, -1, 1, 4, 2);
        assertClose(a.mmul(w), ta.matmul(Tensor.constant(w)));
        assertClose(a.transpose(), ta.transpose());
        assertClose(a.reshape(2, 6), ta.reshape(2, -1));
        INDArray bias = TestArrays.uniform(16, -1, 1, 2);
        assertClose(a.mmul(w).addRowVector(bias), Functional.linear(ta, Tensor.constant(w), Tensor.constant(bias)));
    }

    @Test
    void softmaxCrossEntropyClosedForms() {
        // equal logits: loss ln K; gradient (1/K - onehot) / N
        Tensor z = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, 2, 4));
        Tensor loss = Functional.softmaxCrossEntropy(z, new int[] {1, 3});
        assertEquals(Math.log(4), loss.item(), 1e-15);
        loss.backward();
        assertEquals((0.25 - 1) / 2, z.grad().getDouble(0, 1), 1e-15);
        assertEquals(0.25 / 2, z.grad().getDouble(0, 0), 1e-15);
        // margin form: z_c = 0, z_j = -m: loss ln(1 + (K-1) e^-m)
        double m = 3.0;
        Tensor zm = Tensor.constant(Nd4j.createFromArray(new double[][] {{0, -m, -m}}));
        assertEquals(Math.log1p(2 * Math.exp(-m)), Functional.softmaxCrossEntropy(zm, new int[] {0}).item(), 1e-15);
        // extreme float32 logits stay finite
        Tensor big = Tensor.constant(Nd4j.createFromArray(new float[][] {{3e38f, -3e38f, 88.8f}}));
        double l = Functional.softmaxCrossEntropy(big, new int[] {2}).item();
        assertEquals(3e38, l, 1e32);
    }
}
