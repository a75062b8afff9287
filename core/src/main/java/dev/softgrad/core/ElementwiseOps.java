package dev.softgrad.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Element-wise operations; each backward sits right below its forward. */
final class ElementwiseOps {
    private ElementwiseOps() {
    }

    private static INDArray binaryForward(String op, Tensor a, Tensor b, java.util.function.DoubleBinaryOperator f) {
        Check.sameType(op, a, b);
        long[] shape = Broadcast.resultShape(op, a.shape(), b.shape());
        INDArray out = Dense.alloc(a.dataType(), shape);
        Broadcast.apply(a.value(), b.value(), out, f);
        return out;
    }

    private static INDArray map(INDArray x, java.util.function.DoubleUnaryOperator f) {
        INDArray out = Dense.alloc(x.dataType(), x.shape());
        Kernels.map(x, out, f);
        return out;
    }

    private static INDArray zip(INDArray x, INDArray y, java.util.function.DoubleBinaryOperator f) {
        long[] shape = Broadcast.resultShape("backward", x.shape(), y.shape());
        INDArray out = Dense.alloc(x.dataType(), shape);
        Broadcast.apply(x, y, out, f);
        return out;
    }

    // d(a+b) = g, g (each summed to its operand's shape)
    static Tensor add(Tensor a, Tensor b) {
        INDArray out = binaryForward("add", a, b, Double::sum);
        long[] sa = a.shape();
        long[] sb = b.shape();
        return Tensor.record("add", out, g -> new INDArray[] {
            a.requiresGrad() ? Broadcast.reduceTo(g, sa) : null,
            b.requiresGrad() ? Broadcast.reduceTo(g, sb) : null}, a, b);
    }

    // d(a-b) = g, -g
    static Tensor sub(Tensor a, Tensor b) {
        INDArray out = binaryForward("sub", a, b, (x, y) -> x - y);
        long[] sa = a.shape();
        long[] sb = b.shape();
        return Tensor.record("sub", out, g -> new INDArray[] {
            a.requiresGrad() ? Broadcast.reduceTo(g, sa) : null,
            b.requiresGrad() ? map(Broadcast.reduceTo(g, sb), x -> -x) : null}, a, b);
    }

    // d(a*b) = g*b, g*a
    static Tensor mul(Tensor a, Tensor b) {
        INDArray out = binaryForward("mul", a, b, (x, y) -> x * y);
        INDArray av = a.value();
        INDArray bv = b.value();
        return Tensor.record("mul", out, g -> new INDArray[] {
            a.requiresGrad() ? Broadcast.reduceTo(zip(g, bv, (x, y) -> x * y), a.shape()) : null,
            b.requiresGrad() ? Broadcast.reduceTo(zip(g, av, (x, y) -> x * y), b.shape()) : null}, a, b);
    }

    // d(a/b) = g/b, -g*a/b^2 = -g*out/b
    static Tensor div(Tensor a, Tensor b) {
        INDArray out = binaryForward("div", a, b, (x, y) -> x / y);
        INDArray bv = b.value();
        return Tensor.record("div", out, g -> {
            INDArray gOverB = zip(g, bv, (x, y) -> x / y);
            return new INDArray[] {
                a.requiresGrad() ? Broadcast.reduceTo(gOverB, a.shape()) : null,
                b.requiresGrad() ? Broadcast.reduceTo(zip(gOverB, out, (x, y) -> -x * y), b.shape()) : null};
        }, a, b);
    }

    // d(-a) = -g
    static Tensor neg(Tensor a) {
        INDArray out = map(a.value(), x -> -x);
        return Tensor.record("neg", out, g -> new INDArray[] {map(g, x -> -x)}, a);
    }

    // d(a+c) = g
    static Tensor addScalar(Tensor a, double c) {
        Check.finite("add", "scalar", c);
        INDArray out = map(a.value(), x -> x + c);
        return Tensor.record("addScalar", out, g -> new INDArray[] {g}, a);
    }

    // d(c-a) = -g
    static Tensor rsubScalar(Tensor a, double c) {
        Check.finite("rsub", "scalar", c);
        INDArray out = map(a.value(), x -> c - x);
        return Tensor.record("rsubScalar", out, g -> new INDArray[] {map(g, x -> -x)}, a);
    }

    // d(c*a) = c*g
    static Tensor mulScalar(Tensor a, double c) {
        Check.finite("mul", "scalar", c);
        INDArray out = Dense.alloc(a.dataType(), a.shape());
        Kernels.scale(a.value(), c, out);
        return Tensor.record("mulScalar", out, g -> {
            INDArray ga = Dense.alloc(g.dataType(), g.shape());
            Kernels.scale(g, c, ga);
            return new INDArray[] {ga};
        }, a);
    }

    // d(c/a) = -g*c/a^2 = -g*out/a
    static Tensor rdivScalar(Tensor a, double c) {
        Check.finite("rdiv", "scalar", c);
        INDArray av = a.value();
        INDArray out = map(av, x -> c / x);
        return Tensor.record("rdivScalar", out, g -> {
            INDArray r = zip(g, out, (x, y) -> -x * y);
            return new INDArray[] {zip(r, av, (x, y) -> x / y)};
        }, a);
    }

    // d(e^a) = g*e^a
    static Tensor exp(Tensor a) {
        INDArray out = map(a.value(), Math::exp);
        return Tensor.record("exp", out, g -> new INDArray[] {zip(g, out, (x, y) -> x * y)}, a);
    }

    // d(ln a) = g/a
    static Tensor log(Tensor a) {
        INDArray av = a.value();
        INDArray out = map(av, Math::log);
        return Tensor.record("log", out, g -> new INDArray[] {zip(g, av, (x, y) -> x / y)}, a);
    }

    // d(a^p) = g*p*a^(p-1); for p = 0 the gradient is 0 everywhere, as in PyTorch (not 0 * inf at a = 0)
    static Tensor pow(Tensor a, double p) {
        Check.finite("pow", "exponent", p);
        INDArray av = a.value();
        INDArray out = map(av, x -> Math.pow(x, p));
        return Tensor.record("pow", out, g -> new INDArray[] {
            zip(g, av, (x, y) -> p == 0.0 ? 0.0 : x * p * Math.pow(y, p - 1.0))}, a);
    }

    // d tanh(a) = g * (1 - out^2)
    // (float32: bulk kernels, Activations; float64: Math.tanh)
    static Tensor tanh(Tensor a) {
        return float32(a) ? activation("tanh", Activations.TANH, a)
                : activation("tanh", a, map(a.value(), Math::tanh), (x, y) -> x * (1 - y * y));
    }

    // d sigmoid(a) = g * out * (1 - out); computed without overflow for large |a|
    static Tensor sigmoid(Tensor a) {
        return float32(a) ? activation("sigmoid", Activations.SIGMOID, a)
                : activation("sigmoid", a, map(a.value(), ElementwiseOps::sigmoid), (x, y) -> x * y * (1 - y));
    }

    private static boolean float32(Tensor a) {
        return a.dataType() == DataType.FLOAT && a.value().length() > 0;
    }

    /** A float64 tanh or sigmoid node: out given, its gradient dOut(g, out) element by element. */
    private static Tensor activation(String op, Tensor a, INDArray out, java.util.function.DoubleBinaryOperator dOut) {
        return Tensor.record(op, out, g -> new INDArray[] {zip(g, out, dOut)}, a);
    }

    /** A float32 tanh or sigmoid node through {@link Activations}' bulk kernels. */
    private static Tensor activation(String op, int f, Tensor a) {
        INDArray out = Dense.alloc(a.dataType(), a.shape());
        Activations.forward(f, a.value(), out);
        return Tensor.record(op, out, g -> {
            INDArray gx = Dense.alloc(g.dataType(), g.shape());
            Activations.backward(f, g, out, gx);
            return new INDArray[] {gx};
        }, a);
    }

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    // d relu(a) = g where a > 0, else 0 (0 at a = 0, as PyTorch)
    static Tensor relu(Tensor a) {
        INDArray av = a.value();
        if (float32(a)) {
            INDArray out = Dense.alloc(a.dataType(), a.shape());
            Activations.relu(av, out);
            return Tensor.record("relu", out, g -> {
                INDArray gx = Dense.alloc(g.dataType(), g.shape());
                Activations.reluBackward(g, av, gx);
                return new INDArray[] {gx};
            }, a);
        }
        INDArray out = map(av, x -> x > 0 ? x : 0.0);
        return Tensor.record("relu", out, g -> new INDArray[] {zip(g, av, (x, y) -> y > 0 ? x : 0.0)}, a);
    }
}
