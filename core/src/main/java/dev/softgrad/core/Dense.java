package dev.softgrad.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to a dense, C-ordered, offset-free float32 or float64 {@link INDArray} through a
 * direct NIO view of its memory: no native call per element and none per operation beyond the
 * view itself. Every array that softgrad creates is dense (tensor values, gradients); arrays that
 * come from users are made dense once, at the boundary. This is the tool for a custom fused node
 * ({@link Tensor#record}) or a metric that loops over an array.
 *
 * <pre>{@code
 * Dense g = Dense.of(param.grad());
 * double sq = g.squaredNorm();
 * for (int i = 0; i < g.length(); i++) { double v = g.get(i); ... }
 * }</pre>
 *
 * <p>Reads and writes go through {@link #get(int)} and {@link #set(int, double)} in double: for the
 * float32 results of +, -, *, / that is still correctly rounded, and for exp, log and pow it is at
 * least as accurate as float arithmetic.
 */
public final class Dense {
    final FloatBuffer f;
    final DoubleBuffer d;
    final int n;
    /**
     * The ND4J buffer whose memory f or d views. The NIO view does not keep that memory alive (JavaCPP
     * makes it with JNI's NewDirectByteBuffer, which references nothing): ND4J frees the memory once
     * its DataBuffer is garbage, and a view outliving it then reads whatever was allocated there next.
     * Holding the buffer here makes "the view is reachable" imply "the memory is alive", so a backward
     * closure that keeps only a view (e.g. of logSoftmax's probabilities) reads its own data.
     */
    private final DataBuffer owner;
    /** The same memory as bytes in native order, for the Vector API's loads and stores; made on first use ({@link #bytes}). */
    private volatile ByteBuffer bytes;

    private Dense(INDArray a) {
        long len = a.length();
        if (len > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("array too large for softgrad's kernels: " + len + " elements");
        }
        this.n = (int) len;
        this.owner = len == 0 ? null : a.data();
        if (len == 0) { // an empty ND4J array has no buffer; there is nothing to read or write
            this.f = null;
            this.d = null;
        } else if (a.dataType() == DataType.FLOAT) {
            this.f = a.data().asNioFloat();
            this.d = null;
        } else {
            this.f = null;
            this.d = a.data().asNioDouble();
        }
    }

    /** A view of {@code a}, which must be a dense C-ordered float32 or float64 array (IllegalArgumentException otherwise). */
    public static Dense of(INDArray a) {
        Check.floating("Dense.of", "array", a);
        if (!isDense(a)) {
            throw new IllegalArgumentException("Dense.of: expected a dense C-ordered array, got ordering " + a.ordering()
                    + ", strides " + java.util.Arrays.toString(a.stride()) + ", offset " + a.offset() + ", buffer "
                    + a.data().length() + " for " + a.length() + " elements"
                    + " (use Tensor values and gradients, or dup('c'))");
        }
        return new Dense(a);
    }

    /** An unchecked view for softgrad's own kernels, whose arrays are dense by construction. */
    static Dense view(INDArray a) {
        long len = a.length();
        if (len == 0) {
            return new Dense(a);
        }
        DataBuffer buffer = a.data();
        Dense[] recent = RECENT.get();
        for (Dense v : recent) {
            if (v != null && v.owner == buffer && v.n == len) {
                return v;
            }
        }
        Dense v = new Dense(a);
        System.arraycopy(recent, 0, recent, 1, recent.length - 1);
        recent[0] = v;
        return v;
    }

    /**
     * The array's memory as a direct ByteBuffer in native byte order (the view {@code FloatVector.fromByteBuffer}
     * and {@code intoByteBuffer} read and write), or null where there is none that a byte offset of
     * type int can address: no elements, or more than 2 GB. Made on first use, then kept.
     */
    ByteBuffer bytes() {
        ByteBuffer b = bytes;
        if (b == null && owner != null && owner.offset() == 0 && (long) n * (f != null ? 4 : 8) <= Integer.MAX_VALUE) {
            b = owner.asNio().order(ByteOrder.nativeOrder());
            bytes = b;
        }
        return b;
    }

    /**
     * This thread's most recent views, by buffer: a view is a JNI call (~0.2 us), and a training step
     * views the same few buffers (x, W, b, the logits, their gradients) several times each. A view
     * only reads and writes at absolute indices, so sharing one is safe; holding it keeps at most
     * these few buffers alive a little longer.
     */
    private static final ThreadLocal<Dense[]> RECENT = ThreadLocal.withInitial(() -> new Dense[8]);

    /** The number of elements. */
    public int length() {
        return n;
    }

    /** Element i (row-major), as a double. */
    public double get(int i) {
        return f != null ? f.get(i) : d.get(i);
    }

    /** Sets element i (rounded to float32 for a float32 array). */
    public void set(int i, double v) {
        if (f != null) {
            f.put(i, (float) v);
        } else {
            d.put(i, v);
        }
    }

    /** The sum of squares, accumulated in double. */
    public double squaredNorm() {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double v = get(i);
            s += v * v;
        }
        return s;
    }

    /** Multiplies every element by c in place. */
    public void scale(double c) {
        for (int i = 0; i < n; i++) {
            set(i, get(i) * c);
        }
    }

    void add(int i, double v) {
        if (f != null) {
            f.put(i, f.get(i) + (float) v);
        } else {
            d.put(i, d.get(i) + v);
        }
    }

    /**
     * True when {@code a}'s elements lie in row-major order at the start of a buffer of exactly its
     * length: empty, or no offset, a buffer of {@code length()} elements and C-contiguous strides. A
     * dimension of size 1 is never stepped over, so its stride does not matter: ND4J gives [1, 1]
     * and other size-1 shapes strides that are not its "default" ones (and may call them 'f'
     * ordered), yet their memory is laid out exactly as a C-ordered array's.
     */
    static boolean isDense(INDArray a) {
        if (a.isEmpty() || a.length() == 0) {
            return true;
        }
        if (a.offset() != 0 || a.data().length() != a.length()) {
            return false;
        }
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** {@code a} itself when dense, otherwise a dense copy. */
    static INDArray densify(INDArray a) {
        return isDense(a) ? a : a.dup('c');
    }

    /** An uninitialised dense array, from the open {@link Arena} scope if there is one. */
    static INDArray alloc(DataType type, long[] shape) {
        return Arena.take(type, shape);
    }

    /** A dense array of zeros, from the open {@link Arena} scope if there is one. */
    static INDArray zeros(DataType type, long[] shape) {
        INDArray a = Arena.take(type, shape);
        Kernels.fill(a, 0.0);
        return a;
    }
}
