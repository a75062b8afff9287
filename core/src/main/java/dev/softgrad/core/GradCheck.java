package dev.softgrad.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Compares analytic gradients with central finite differences, in float64.
 *
 * <p>For a function f of some tensors, with a fixed random projection r when f's output is not a
 * scalar, the check computes L = sum(f(x) * r), its gradient by {@link Tensor#backward}, and for
 * every element of every input (L(x + h e) - L(x - h e)) / 2h. An element passes when
 * {@code |analytic - numeric| <= atol + rtol * |numeric|}; the report gives the worst absolute error,
 * the worst relative error {@code |a - n| / max(|a|, |n|)} over elements where either exceeds
 * {@code atol}, and where it occurred.
 *
 * <pre>{@code
 * GradCheck.Report r = GradCheck.check(in -> in[0].exp().sum(), Nd4j.rand(DataType.DOUBLE, 3, 4));
 * assert r.passed();
 * }</pre>
 */
public final class GradCheck {
    private GradCheck() {
    }

    /**
     * The outcome of a check.
     *
     * @param maxAbsError worst |analytic - numeric| over all checked elements
     * @param maxRelError worst |a - n| / max(|a|, |n|) over elements with max(|a|, |n|) > atol
     * @param where       which input and element gave the worst violation, for messages
     * @param passed      whether every element met {@code |a - n| <= atol + rtol |n|}
     * @param checked     number of elements compared
     */
    public record Report(double maxAbsError, double maxRelError, String where, boolean passed, int checked) {
    }

    /** Default step, and tolerances suited to float64 central differences. */
    public static final double STEP = 1e-6;
    /** Default absolute tolerance. */
    public static final double ATOL = 1e-6;
    /** Default relative tolerance. */
    public static final double RTOL = 1e-5;

    /** {@link #check(Function, double, double, double, INDArray...)} with the defaults. */
    public static Report check(Function<Tensor[], Tensor> f, INDArray... inputs) {
        return check(f, STEP, ATOL, RTOL, inputs);
    }

    /**
     * Checks every input (converted to float64 parameters) of {@code f}.
     *
     * @param f      builds the output from parameter tensors, in the order of {@code inputs}
     * @param inputs the point at which to check
     */
    public static Report check(Function<Tensor[], Tensor> f, double step, double atol, double rtol, INDArray... inputs) {
        if (!(step > 0) || !(atol >= 0) || !(rtol >= 0)) {
            throw new IllegalArgumentException("GradCheck: step must be > 0 and tolerances >= 0, got step=" + step
                    + ", atol=" + atol + ", rtol=" + rtol);
        }
        List<INDArray> xs = new ArrayList<>();
        for (INDArray in : inputs) {
            Check.floating("GradCheck", "input", in);
            xs.add(in.castTo(DataType.DOUBLE).dup('c'));
        }
        Tensor[] params = new Tensor[xs.size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = Tensor.parameter(xs.get(i));
        }
        Tensor out = f.apply(params);
        if (out.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("GradCheck: f must return float64 for float64 inputs, got "
                    + Check.dtype(out.dataType()));
        }
        INDArray proj = projection(out.shape());
        out.backward(proj);
        double worstAbs = 0.0;
        double worstRel = 0.0;
        double worstViolation = -1.0;
        String where = "none";
        boolean passed = true;
        int checked = 0;
        for (int t = 0; t < params.length; t++) {
            INDArray x = xs.get(t);
            Dense dx = Dense.view(x);
            INDArray analytic = params[t].grad();
            Dense da = analytic == null ? null : Dense.view(analytic);
            for (int i = 0; i < dx.n; i++) {
                double orig = dx.get(i);
                double h = step * Math.max(1.0, Math.abs(orig));
                dx.set(i, orig + h);
                double up = evaluate(f, xs, proj);
                dx.set(i, orig - h);
                double down = evaluate(f, xs, proj);
                dx.set(i, orig);
                double numeric = (up - down) / (2 * h);
                double a = da == null ? 0.0 : da.get(i);
                double abs = Math.abs(a - numeric);
                if (Double.isNaN(abs)) {
                    abs = Double.POSITIVE_INFINITY;
                }
                double scale = Math.max(Math.abs(a), Math.abs(numeric));
                worstAbs = Math.max(worstAbs, abs);
                if (scale > atol) {
                    worstRel = Math.max(worstRel, abs / scale);
                }
                double violation = abs - (atol + rtol * Math.abs(numeric));
                if (violation > worstViolation) {
                    worstViolation = violation;
                    where = "input " + t + " element " + i + ": analytic " + a + ", numeric " + numeric;
                }
                if (violation > 0) {
                    passed = false;
                }
                checked++;
            }
        }
        return new Report(worstAbs, worstRel, where, passed, checked);
    }

    private static double evaluate(Function<Tensor[], Tensor> f, List<INDArray> xs, INDArray proj) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            Tensor[] cs = new Tensor[xs.size()];
            for (int i = 0; i < cs.length; i++) {
                cs[i] = Tensor.constant(xs.get(i));
            }
            Dense o = f.apply(cs).dense();
            Dense p = Dense.view(proj);
            double s2 = 0.0;
            for (int i = 0; i < o.n; i++) {
                s2 += o.get(i) * p.get(i);
            }
            return s2;
        }
    }

    private static INDArray projection(long[] shape) {
        INDArray r = Dense.alloc(DataType.DOUBLE, shape);
        Dense d = Dense.view(r);
        if (d.n == 1) {
            d.set(0, 1.0);
            return r;
        }
        SplittableRandom rnd = new SplittableRandom(12345);
        for (int i = 0; i < d.n; i++) {
            d.set(i, rnd.nextDouble(0.5, 1.5) * (rnd.nextBoolean() ? 1 : -1));
        }
        return r;
    }
}
