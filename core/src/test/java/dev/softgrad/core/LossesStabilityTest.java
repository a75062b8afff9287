package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.SoftmaxCrossEntropy.Options;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Extreme logits stay finite in float32 and float64; bad input is refused with a message that names it. */
class LossesStabilityTest {

    enum Type {
        FLOAT(DataType.FLOAT), DOUBLE(DataType.DOUBLE);

        final DataType t;

        Type(DataType t) {
            this.t = t;
        }
    }

    /** Rows whose true loss is representable in float32 (no gap of 6e38 on a class that carries target mass). */
    static final double[][] EXTREME = {
        {88.7, 88.8, 0.0},
        {89.0, -89.0, 100.0},
        {1e4, 0.0, -1e4},
        {1e30, 1e30, 0.0},
        {-1e30, -1e30, -1e30},
        {3e38, 3.1e38, 3.2e38},
        {-3e38, -3.1e38, -3.2e38},
        {3e38, 0.0, 1.0},
        {-3e38, 0.0, 1.0},
        {0.0, 1e-30, -1e-30},
    };
    static final int[] LABELS = {0, 1, 2, 0, 1, 2, 0, 0, 2, 1};

    static void assertFinite(INDArray a, String what) {
        INDArray d = a.castTo(DataType.DOUBLE);
        for (long i = 0; i < d.length(); i++) {
            assertTrue(Double.isFinite(d.getDouble(i)), what + ": element " + i + " = " + d.getDouble(i));
        }
    }

    static void assertFiniteThrough(Type type, String name, Function<Tensor, Tensor> f, double[][] rows) {
        Tensor z = Tensor.parameter(Tensor.fromRows(rows, type.t).value());
        Tensor out = f.apply(z);
        assertFinite(out.value(), name + " value");
        out.backward(Nd4j.ones(type.t, out.shape()));
        assertFinite(z.grad(), name + " gradient");
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void everyNodeIsFiniteOnExtremeLogits(Type type) {
        INDArray teacher = Tensor.fromRows(EXTREME, type.t).value().dup();
        for (double tau : new double[] {0.01, 1.0, 100.0}) {
            Options o = Options.DEFAULT.withTemperature(tau);
            assertFiniteThrough(type, "CE tau=" + tau, t -> Losses.crossEntropy(t, LABELS, o), EXTREME);
            assertFiniteThrough(type, "CE none tau=" + tau, t -> Losses.crossEntropy(t, LABELS,
                    o.withReduction(SoftmaxCrossEntropy.Reduction.NONE)), EXTREME);
            assertFiniteThrough(type, "softmax tau=" + tau, t -> Losses.softmax(t, tau), EXTREME);
            if (tau >= 1) { // lse(z / tau) of 3e38 / 0.01 is itself beyond float32
                assertFiniteThrough(type, "logSumExp tau=" + tau, t -> Losses.logSumExp(t, tau), new double[][] {{3e38, 3e38, -3e38}});
            }
            assertFiniteThrough(type, "KD (teacher = the same extreme rows) T=" + tau, t -> Losses.distill(t, teacher, tau, LABELS, 0.5),
                    EXTREME);
        }
        // label smoothing puts mass on every class: keep each row's spread representable
        double[][] moderate = {{88.7, 88.8, 0.0}, {1e4, 0.0, -1e4}, {1e30, 1e30, 0.9e30}, {3e38, 3.1e38, 3.2e38}};
        assertFiniteThrough(type, "LS", t -> Losses.labelSmoothing(t, new int[] {0, 1, 2, 0}, 0.1), moderate);
        assertFiniteThrough(type, "LS KL", t -> Losses.labelSmoothing(t, new int[] {0, 1, 2, 0}, 0.1, LabelSmoothing.Mode.KL_UNIFORM,
                Options.DEFAULT), moderate);
        assertFiniteThrough(type, "zLoss", t -> Losses.zLoss(t, 1e-3), new double[][] {{88.7, 1e4, 0}, {-1e4, 0, 1}});
        assertFiniteThrough(type, "logSoftmax", t -> Losses.logSoftmax(t, 1.0), new double[][] {{3e38, 1e38, 0}});
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void crossEntropyValuesOnExtremeRowsAreExact(Type type) {
        // loss = logsumexp(z) - z_y, computed in double: for (1e4, 0, -1e4) with y = 2 it is 2e4
        Tensor z = Tensor.fromRows(new double[][] {{1e4, 0.0, -1e4}}, type.t);
        assertEquals(2e4, Losses.crossEntropy(z, new int[] {2}).item(), 0.0);
        Tensor big = Tensor.fromRows(new double[][] {{3e38, 0.0}}, type.t);
        assertEquals(type == Type.FLOAT ? (double) 3e38f : 3e38, Losses.crossEntropy(big, new int[] {1}).item(), 0.0);
        if (type == Type.FLOAT) {
            // a gap of 6e38 exceeds float32: the loss is +inf (the true value is not representable), the gradient finite
            Tensor gap = Tensor.parameter(Tensor.fromRows(new double[][] {{3e38, -3e38}}, type.t).value());
            Tensor l = Losses.crossEntropy(gap, new int[] {1});
            assertEquals(Double.POSITIVE_INFINITY, l.item());
            l.backward();
            assertFinite(gap.grad(), "gradient at a 6e38 gap");
        }
    }

    @Test
    void theNaiveFormulaOverflowsWhereTheStableOneDoesNot() {
        Tensor z = Tensor.fromRows(new double[][] {{88.8, 1.0, 0.0}}, DataType.FLOAT);
        double naive = z.exp().sum(1, false).log().sub(88.8).sum().item(); // log(sum(exp(z))) - z_0
        double stable = Losses.crossEntropy(z, new int[] {0}).item();
        assertFalse(Double.isFinite(naive), "exp(88.8) overflows float32, so the naive loss is " + naive);
        assertTrue(Double.isFinite(stable) && stable > 0 && stable < 1e-30, "stable: " + stable);
        Tensor low = Tensor.fromRows(new double[][] {{-1e3, -1e3 - 1}}, DataType.DOUBLE);
        double naiveLow = low.exp().sum(1, false).log().sum().item(); // log(0) = -inf
        assertEquals(Double.NEGATIVE_INFINITY, naiveLow);
        assertEquals(-1e3 + Math.log1p(Math.exp(-1)), Losses.logSumExp(low, 1.0).item(), 1e-12);
    }

    static void refuses(String fragment, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(fragment), "message should name '" + fragment + "': " + ex.getMessage());
    }

    @Test
    void badInputIsRefusedByName() {
        Tensor z = Tensor.parameter(TestArrays.uniform(1, -1, 1, 2, 3));
        INDArray teacher = TestArrays.uniform(2, -1, 1, 2, 3);
        refuses("labels[1] = 3", () -> Losses.crossEntropy(z, new int[] {0, 3}));
        refuses("labels[0] = -1", () -> Losses.crossEntropy(z, new int[] {-1, 0}));
        refuses("labels must have length N = 2", () -> Losses.crossEntropy(z, new int[] {0}));
        refuses("row 0 sums to", () -> Losses.crossEntropy(z, Nd4j.ones(DataType.DOUBLE, 2, 3), Options.DEFAULT));
        refuses("targets[0, 1] = -0.5", () -> Losses.crossEntropy(z,
                Nd4j.createFromArray(new double[][] {{1, -0.5, 0.5}, {0, 0, 1}}), Options.DEFAULT));
        refuses("[2, 2]", () -> Losses.crossEntropy(z, Nd4j.ones(DataType.DOUBLE, 2, 2).div(2), Options.DEFAULT));
        refuses("float32", () -> Losses.crossEntropy(z, Nd4j.ones(DataType.FLOAT, 2, 3).div(3), Options.DEFAULT));
        refuses("eps must be in [0, 1)", () -> Losses.labelSmoothing(z, new int[] {0, 1}, 1.0));
        refuses("eps must be in [0, 1)", () -> Losses.labelSmoothing(z, new int[] {0, 1}, -0.1));
        refuses("temperature", () -> Losses.distill(z, teacher, 0.0));
        refuses("temperature", () -> Options.DEFAULT.withTemperature(-1));
        refuses("tau", () -> Losses.softmax(z, Double.NaN));
        refuses("lambda", () -> Losses.logitL2(z, -1e-3));
        refuses("lambda", () -> Losses.zLoss(z, Double.POSITIVE_INFINITY));
        refuses("alpha must be in [0, 1]", () -> Losses.distill(z, teacher, 2.0, new int[] {0, 1}, 1.5));
        refuses("labels are null", () -> Losses.distill(z, teacher, 2.0, null, 0.5));
        refuses("classWeights must have length K = 3", () -> Losses.crossEntropy(z, new int[] {0, 1},
                Options.DEFAULT.withClassWeights(1, 2)));
        refuses("classWeights[1]", () -> Options.DEFAULT.withClassWeights(1, -2, 1));
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            Tensor zb = Tensor.constant(Nd4j.createFromArray(new double[][] {{0, bad, 1}}));
            refuses("logits[0, 1] = " + bad, () -> Losses.crossEntropy(zb, new int[] {0}));
            refuses("[0, 1] = " + bad, () -> Losses.softmax(zb, 1.0));
            refuses("student[0, 1] = " + bad, () -> Losses.distill(zb, Nd4j.zeros(DataType.DOUBLE, 1, 3), 1.0));
            refuses("logits[0, 1] = " + bad, () -> Losses.logitL2(zb, 1.0));
        }
        Tensor masked = Tensor.constant(Nd4j.createFromArray(new double[][] {{0, Double.NEGATIVE_INFINITY, 1}}));
        refuses("is the target class", () -> Losses.crossEntropy(masked, new int[] {1}));
        assertTrue(Double.isFinite(Losses.crossEntropy(masked, new int[] {0}).item()), "-inf elsewhere is a masked class");
        refuses("mass", () -> Losses.labelSmoothing(masked, new int[] {0}, 0.1));
        refuses("logits must be [N, K]", () -> Losses.crossEntropy(Tensor.constant(Nd4j.ones(DataType.DOUBLE, 3)),
                new int[] {0, 0, 0}));
        refuses("mask must be", () -> Losses.maskedSoftmax(z, new boolean[1][3], 1.0));
        List<Executable> none = List.of();
        assertTrue(none.isEmpty());
    }
}
