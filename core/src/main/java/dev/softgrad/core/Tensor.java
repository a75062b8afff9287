package dev.softgrad.core;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A node of softgrad's reverse-mode autodiff graph: an {@link INDArray} value (float32 or float64,
 * dense, C-ordered), the inputs it was computed from and a hand-written backward function that
 * turns the gradient of the output into one gradient per input.
 *
 * <p>Three kinds of tensors exist:
 * <ul>
 *   <li><b>parameters</b> ({@link #parameter}): leaves that require gradients; {@link #backward()}
 *       accumulates into their {@link #grad()} until {@link #zeroGrad()};</li>
 *   <li><b>constants</b> ({@link #constant}): leaves that never receive a gradient (inputs, labels,
 *       a teacher's logits);</li>
 *   <li><b>results</b> of operations, which record their inputs and backward function when at
 *       least one input requires gradients and recording is enabled (see {@link Autograd#noGrad()}).</li>
 * </ul>
 *
 * <pre>{@code
 * Tensor w = Tensor.parameter(Nd4j.rand(DataType.DOUBLE, 3, 2));
 * Tensor x = Tensor.constant(Nd4j.rand(DataType.DOUBLE, 4, 3));
 * Tensor loss = x.matmul(w).exp().mean();
 * loss.backward();            // w.grad() now holds d loss / d w
 * }</pre>
 *
 * <p>Operations never mix data types (a {@link DataTypeMismatchException} names both) and never
 * modify their inputs. Broadcasting follows NumPy's and PyTorch's rules; the gradient of a
 * broadcast operand is summed back to the operand's shape. A custom fused operation is one call to
 * {@link #record}: compute the value, give the backward function, list the inputs.
 *
 * <p>Not thread-safe: one graph belongs to one thread.
 */
public final class Tensor {

    /**
     * The backward function of one operation: from the gradient of the loss with respect to the
     * operation's output ({@code upstream}, same shape as the output; read it, never modify it),
     * return the gradient with respect to each input, in the order of the inputs, of the same shape
     * and data type as that input, or {@code null} for an input that gets none (a constant). It may
     * return {@code upstream} itself. The engine adds up the gradients of inputs used more than once.
     */
    @FunctionalInterface
    public interface Backward {
        /**
         * @param upstream d loss / d output
         * @return d loss / d input, one entry per input (null where none)
         */
        INDArray[] apply(INDArray upstream);
    }

    private final INDArray value;
    private final boolean requiresGrad;
    private final String op;
    private Tensor[] inputs;
    private Backward backward;
    private boolean freed;
    private boolean retainGrad;
    INDArray grad;
    /** True after {@link #zeroGrad()}: the next accumulation copies instead of adding. */
    boolean gradZeroed;
    /** True while the zeroed buffer has not been filled with zeros yet (filled only if read first). */
    boolean gradStale;
    /** Set by the engine during one backward pass only. */
    INDArray pending;
    boolean pendingOwned;
    int visitMark;
    private Dense view;
    /** The arena scope whose array holds the value, or null. */
    private final Arena.Scope scope;

    private Tensor(INDArray value, boolean requiresGrad, String op, Tensor[] inputs, Backward backward) {
        this(value, requiresGrad, op, inputs, backward, null);
    }

    private Tensor(INDArray value, boolean requiresGrad, String op, Tensor[] inputs, Backward backward,
            Arena.Scope scope) {
        this.scope = scope;
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    // ------------------------------------------------------------------ creation

    /** A leaf that requires gradients (a parameter). The array is used as it is when dense, so in-place updates by an optimiser are seen. */
    public static Tensor parameter(INDArray value) {
        Check.floating("parameter", "value", value);
        return new Tensor(Dense.densify(value), true, "parameter", null, null);
    }

    /** A leaf that never receives a gradient. */
    public static Tensor constant(INDArray value) {
        Check.floating("constant", "value", value);
        return new Tensor(Dense.densify(value), false, "constant", null, null);
    }

    /** A constant rank-0 tensor. */
    public static Tensor scalar(double v, DataType type) {
        INDArray a = Dense.alloc(type, new long[0]);
        Check.floating("scalar", "type", a);
        Dense.view(a).set(0, v);
        return new Tensor(a, false, "constant", null, null, Arena.current());
    }

    /** A constant [rows, cols] tensor with the given entries. */
    public static Tensor fromRows(double[][] rows, DataType type) {
        Objects.requireNonNull(rows, "rows");
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        INDArray a = Dense.alloc(type, new long[] {r, c});
        Check.floating("fromRows", "type", a);
        Dense d = Dense.view(a);
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new ShapeMismatchException("fromRows: ragged rows: row 0 has " + c + " entries, row " + i
                        + " has " + rows[i].length);
            }
            for (int j = 0; j < c; j++) {
                d.set(i * c + j, rows[i][j]);
            }
        }
        return new Tensor(a, false, "constant", null, null, Arena.current());
    }

    /**
     * Records the result of an operation. This is how every operation, built-in or user-written,
     * enters the graph: compute {@code value} (a fresh array, or a view that is never written), give
     * the {@code backward} function and the {@code inputs} in the order backward returns their
     * gradients. When gradient recording is off, or no input requires a gradient, the result is a
     * constant and {@code backward} is dropped.
     *
     * @param op a short name used in error messages ("matmul", "softmaxCrossEntropy", ...)
     */
    public static Tensor record(String op, INDArray value, Backward backward, Tensor... inputs) {
        Objects.requireNonNull(op, "op");
        Check.floating(op, "value", value);
        boolean needs = false;
        if (Autograd.isGradEnabled()) {
            for (Tensor t : inputs) {
                if (t.requiresGrad) {
                    needs = true;
                    break;
                }
            }
        }
        INDArray v = Dense.densify(value);
        Arena.Scope scope = Arena.current();
        return needs ? new Tensor(v, true, op, inputs.clone(), Objects.requireNonNull(backward, "backward"), scope)
                : new Tensor(v, false, op, null, null, scope);
    }

    // ------------------------------------------------------------------ state

    /** The value. Treat it as read-only unless this is a parameter updated outside recording. */
    public INDArray value() {
        checkScope();
        return value;
    }

    private void checkScope() {
        if (scope != null && scope.isClosed()) {
            throw new IllegalStateException(this + " was made inside an Arena scope that has closed: its array has been"
                    + " reused; copy what must outlive the scope (value().dup()) before closing it");
        }
    }

    /**
     * The accumulated gradient of a parameter (or of a result after {@link #retainGrad()}), or null
     * before any backward. Inside {@link Arena} scopes the array may be a different one after each
     * backward (buffers are exchanged instead of copied): call this again rather than keeping it.
     * The gradient retained by a result made inside a scope lives in the scope's arrays, so it can
     * no longer be read once the scope has closed ({@link IllegalStateException}, as {@link #value()}).
     */
    public INDArray grad() {
        checkScope();
        if (gradStale) {
            Kernels.fill(grad, 0.0);
            gradStale = false;
        }
        return grad;
    }

    /** Whether gradients flow to or through this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** True for parameters and constants, false for results of operations that were recorded. */
    public boolean isLeaf() {
        return backward == null && !freed;
    }

    /** The name of the operation that made this tensor ("parameter", "constant", "matmul", ...). */
    public String op() {
        return op;
    }

    /** The shape (a copy). */
    public long[] shape() {
        return value().shape();
    }

    /** Size along one axis (negative counts from the end). */
    public long size(int axis) {
        return value.size(Check.axis("size", axis, value.rank()));
    }

    /** The number of axes. */
    public int rank() {
        return value.rank();
    }

    /** float32 or float64. */
    public DataType dataType() {
        return value.dataType();
    }

    /** The single value of a one-element tensor. */
    public double item() {
        checkScope();
        if (value.length() != 1) {
            throw new IllegalArgumentException("item: tensor must have exactly one element, has shape "
                    + Check.shape(value.shape()));
        }
        return dense().get(0);
    }

    /** Keep this result's gradient in {@link #grad()} during backward (results do not keep it by default, as in PyTorch). */
    public Tensor retainGrad() {
        retainGrad = true;
        return this;
    }

    boolean retainsGrad() {
        return retainGrad || (isLeaf() && requiresGrad);
    }

    /**
     * Sets the accumulated gradient to zero, keeping its buffer (no allocation in training loops).
     * The buffer is not written until needed: the next backward overwrites it, or {@link #grad()}
     * fills it with zeros if it is read first.
     */
    public void zeroGrad() {
        if (grad != null) {
            gradZeroed = true;
            gradStale = true;
        }
    }

    /** A constant sharing this tensor's value: gradients do not flow through it. */
    public Tensor detach() {
        checkScope();
        return new Tensor(value, false, "detach", null, null, scope);
    }

    /** A copy converted to another data type; differentiable (the gradient is converted back). */
    public Tensor cast(DataType type) {
        INDArray v = value(); // refuses a value whose Arena scope has closed
        if (type == v.dataType()) {
            return this;
        }
        INDArray out = v.castTo(type);
        DataType from = dataType();
        return record("cast", out, g -> new INDArray[] {g.castTo(from)}, this);
    }

    Tensor[] inputs() {
        return inputs;
    }

    Backward backwardFn() {
        return backward;
    }

    boolean isFreed() {
        return freed;
    }

    void free() {
        backward = null;
        inputs = null;
        freed = true;
    }

    Dense dense() {
        checkScope();
        Dense d = view;
        if (d == null) {
            d = Dense.view(value);
            view = d;
        }
        return d;
    }

    // ------------------------------------------------------------------ backward

    /** Back-propagates from this one-element tensor (seed 1), then frees the graph. */
    public void backward() {
        Autograd.backward(this, null, false);
    }

    /** Back-propagates the given seed (d loss / d this; same shape and type), then frees the graph. */
    public void backward(INDArray seed) {
        Autograd.backward(this, seed, false);
    }

    /** Back-propagates; with {@code retainGraph} the graph is kept for another backward. */
    public void backward(INDArray seed, boolean retainGraph) {
        Autograd.backward(this, seed, retainGraph);
    }

    // ------------------------------------------------------------------ operations

    /** this + other, broadcasting. */
    public Tensor add(Tensor other) {
        return ElementwiseOps.add(this, other);
    }

    /** this - other, broadcasting. */
    public Tensor sub(Tensor other) {
        return ElementwiseOps.sub(this, other);
    }

    /** this * other (element-wise), broadcasting. */
    public Tensor mul(Tensor other) {
        return ElementwiseOps.mul(this, other);
    }

    /** this / other (element-wise), broadcasting. */
    public Tensor div(Tensor other) {
        return ElementwiseOps.div(this, other);
    }

    /** -this. */
    public Tensor neg() {
        return ElementwiseOps.neg(this);
    }

    /** this + c. */
    public Tensor add(double c) {
        return ElementwiseOps.addScalar(this, c);
    }

    /** this - c. */
    public Tensor sub(double c) {
        return ElementwiseOps.addScalar(this, -c);
    }

    /** c - this. */
    public Tensor rsub(double c) {
        return ElementwiseOps.rsubScalar(this, c);
    }

    /** this * c. */
    public Tensor mul(double c) {
        return ElementwiseOps.mulScalar(this, c);
    }

    /** this / c. */
    public Tensor div(double c) {
        if (c == 0.0) {
            throw new IllegalArgumentException("div: scalar divisor must be non-zero, got 0");
        }
        return ElementwiseOps.mulScalar(this, 1.0 / c);
    }

    /** c / this. */
    public Tensor rdiv(double c) {
        return ElementwiseOps.rdivScalar(this, c);
    }

    /** e^this. */
    public Tensor exp() {
        return ElementwiseOps.exp(this);
    }

    /** ln(this). */
    public Tensor log() {
        return ElementwiseOps.log(this);
    }

    /** this^p for a constant exponent p. */
    public Tensor pow(double p) {
        return ElementwiseOps.pow(this, p);
    }

    /** tanh(this). */
    public Tensor tanh() {
        return ElementwiseOps.tanh(this);
    }

    /** The logistic sigmoid 1 / (1 + e^-this), computed without overflow. */
    public Tensor sigmoid() {
        return ElementwiseOps.sigmoid(this);
    }

    /** max(this, 0); the gradient at 0 is 0, as in PyTorch. */
    public Tensor relu() {
        return ElementwiseOps.relu(this);
    }

    /** Matrix product of two rank-2 tensors. */
    public Tensor matmul(Tensor other) {
        return MatMulOps.matmul(this, other);
    }

    /** The sum of all elements, a rank-0 tensor. */
    public Tensor sum() {
        return ReduceOps.sumAll(this, false);
    }

    /** The mean of all elements, a rank-0 tensor. */
    public Tensor mean() {
        return ReduceOps.sumAll(this, true);
    }

    /** The sum along one axis (negative counts from the end), keeping it as size 1 when {@code keepDims}. */
    public Tensor sum(int axis, boolean keepDims) {
        return ReduceOps.sumAxis(this, axis, keepDims, false);
    }

    /** The mean along one axis. */
    public Tensor mean(int axis, boolean keepDims) {
        return ReduceOps.sumAxis(this, axis, keepDims, true);
    }

    /**
     * The maximum along one axis. The gradient goes to the first maximal element of each slice,
     * as for PyTorch's {@code max(dim)} (whose returned index it follows), not spread over ties as
     * PyTorch's {@code amax} does.
     */
    public Tensor max(int axis, boolean keepDims) {
        return ReduceOps.maxAxis(this, axis, keepDims);
    }

    /** The same elements in a new shape (one entry may be -1: inferred). */
    public Tensor reshape(long... shape) {
        return ShapeOps.reshape(this, shape);
    }

    /** The transpose of a rank-2 tensor (a rank-1 or rank-0 tensor is returned as it is). */
    public Tensor transpose() {
        return ShapeOps.transpose(this);
    }

    @Override
    public String toString() {
        return "Tensor(" + op + ", " + Check.dtype(value.dataType()) + Arrays.toString(value.shape())
                + (requiresGrad ? ", requiresGrad" : "") + ")";
    }
}
