package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every differentiable operation, checked against float64 central differences: one line per
 * operation and shape in {@link #cases()}.
 */
class OpsGradCheckTest {

    /** An operation applied to inputs of the given shapes, drawn from [lo, hi). */
    record Case(String name, Function<Tensor[], Tensor> f, double lo, double hi, long[]... shapes) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(name);
            for (long[] s : shapes) {
                b.append(' ').append(java.util.Arrays.toString(s));
            }
            return b.toString();
        }
    }

    static long[] s(long... dims) {
        return dims;
    }

    static final long[][] UNARY_SHAPES = {s(1, 1), s(3, 4), s(5, 2), s(7), s()};
    static final long[][][] BINARY_SHAPES = {
        {s(1, 1), s(1, 1)}, {s(3, 4), s(3, 4)}, {s(5, 2), s(5, 2)},
        {s(3, 4), s(1, 4)}, {s(3, 4), s(3, 1)}, {s(3, 4), s(4)}, {s(1, 1), s(2, 3)},
        {s(2, 1), s(1, 3)}, {s(3, 4), s()}, {s(2, 3, 4), s(3, 1)}};

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        for (long[][] p : BINARY_SHAPES) {
            c.add(new Case("add", t -> t[0].add(t[1]), -2, 2, p));
            c.add(new Case("sub", t -> t[0].sub(t[1]), -2, 2, p));
            c.add(new Case("mul", t -> t[0].mul(t[1]), -2, 2, p));
            c.add(new Case("div", t -> t[0].div(t[1]), 0.5, 2, p));
        }
        for (long[] u : UNARY_SHAPES) {
            c.add(new Case("neg", t -> t[0].neg(), -2, 2, u));
            c.add(new Case("add(c)", t -> t[0].add(1.5), -2, 2, u));
            c.add(new Case("sub(c)", t -> t[0].sub(0.25), -2, 2, u));
            c.add(new Case("rsub(c)", t -> t[0].rsub(3.0), -2, 2, u));
            c.add(new Case("mul(c)", t -> t[0].mul(-2.5), -2, 2, u));
            c.add(new Case("div(c)", t -> t[0].div(4.0), -2, 2, u));
            c.add(new Case("rdiv(c)", t -> t[0].rdiv(2.0), 0.5, 2, u));
            c.add(new Case("exp", t -> t[0].exp(), -2, 2, u));
            c.add(new Case("log", t -> t[0].log(), 0.2, 3, u));
            c.add(new Case("pow(3)", t -> t[0].pow(3), -2, 2, u));
            c.add(new Case("pow(-0.5)", t -> t[0].pow(-0.5), 0.3, 3, u));
            c.add(new Case("tanh", t -> t[0].tanh(), -2, 2, u));
            c.add(new Case("sigmoid", t -> t[0].sigmoid(), -4, 4, u));
            c.add(new Case("relu", t -> t[0].relu(), -2, 2, u));
            c.add(new Case("sum", t -> t[0].sum(), -2, 2, u));
            c.add(new Case("mean", t -> t[0].mean(), -2, 2, u));
            c.add(new Case("reshape(-1)", t -> t[0].reshape(-1), -2, 2, u));
            c.add(new Case("transpose", t -> t[0].transpose(), -2, 2, u));
        }
        for (long[] u : new long[][] {s(1, 1), s(3, 4), s(5, 2), s(2, 3, 4)}) {
            for (int axis : new int[] {0, -1}) {
                for (boolean keep : new boolean[] {true, false}) {
                    c.add(new Case("sum(" + axis + "," + keep + ")", t -> t[0].sum(axis, keep), -2, 2, u));
                    c.add(new Case("mean(" + axis + "," + keep + ")", t -> t[0].mean(axis, keep), -2, 2, u));
                    c.add(new Case("max(" + axis + "," + keep + ")", t -> t[0].max(axis, keep), -2, 2, u));
                }
            }
        }
        c.add(new Case("reshape([2,-1,2])", t -> t[0].reshape(2, -1, 2), -2, 2, s(4, 3)));
        for (long[][] p : new long[][][] {{s(1, 1), s(1, 1)}, {s(3, 4), s(4, 2)}, {s(1, 5), s(5, 1)}, {s(5, 1), s(1, 5)}}) {
            c.add(new Case("matmul", t -> t[0].matmul(t[1]), -2, 2, p));
        }
        for (long[][] p : new long[][][] {{s(1, 1), s(1, 1), s(1)}, {s(4, 3), s(3, 5), s(5)}, {s(2, 6), s(6, 3), s(1, 3)}}) {
            c.add(new Case("linear", t -> Functional.linear(t[0], t[1], t[2]), -2, 2, p));
        }
        c.add(new Case("linear(no bias)", t -> Functional.linear(t[0], t[1], null), -2, 2, s(4, 3), s(3, 2)));
        c.add(new Case("softmaxCrossEntropy", t -> Functional.softmaxCrossEntropy(t[0], new int[] {0}), -3, 3, s(1, 2)));
        c.add(new Case("softmaxCrossEntropy", t -> Functional.softmaxCrossEntropy(t[0], new int[] {2, 0, 1, 2}), -3, 3, s(4, 3)));
        c.add(new Case("softmaxCrossEntropy", t -> Functional.softmaxCrossEntropy(t[0], new int[] {9, 0}), -30, 30, s(2, 10)));
        // compositions: fan-out and chains go through the engine's accumulation
        c.add(new Case("x*x+x", t -> t[0].mul(t[0]).add(t[0]), -2, 2, s(3, 2)));
        c.add(new Case("log-sum-exp by hand", t -> t[0].sub(t[0].max(1, true)).exp().sum(1, true).log()
                .add(t[0].max(1, true)), -5, 5, s(4, 6)));
        c.add(new Case("mlp", t -> t[0].matmul(t[1]).exp().add(1).log().matmul(t[2]).pow(2).mean(), -1, 1,
                s(4, 3), s(3, 5), s(5, 2)));
        return c.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(Case c) {
        INDArray[] xs = new INDArray[c.shapes().length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = TestArrays.uniform(31 * i + c.name().hashCode(), c.lo(), c.hi(), c.shapes()[i]);
        }
        GradCheck.Report r = GradCheck.check(c.f(), xs);
        assertTrue(r.checked() > 0, "nothing was checked");
        assertTrue(r.passed(), () -> c + ": " + r);
    }
}
