package dev.softgrad.core;

import java.util.ArrayList;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Recycles the arrays of a repeated computation, such as a training step, so that the loop stops
 * allocating native memory after its first pass.
 *
 * <p>While a scope of an arena is open on a thread, every array that softgrad's operations and the
 * backward engine create on that thread (values of results, intermediate gradients) comes from the
 * arena. When the scope closes, those arrays become free for the next scope. A training loop makes
 * the same arrays in the same order each step, so the arena hands each one back in order, without
 * a search and without a native call:
 *
 * <pre>{@code
 * Arena arena = new Arena();
 * for (int step = 0; step < steps; step++) {
 *     try (Arena.Scope s = arena.open()) {
 *         Tensor loss = Functional.softmaxCrossEntropy(Functional.linear(x, w, b), labels);
 *         loss.backward();
 *         lossSum += loss.item();     // read what you need inside the scope
 *         sgd.step();
 *     }
 * }
 * }</pre>
 *
 * <p>Parameters and optimiser state never come from an arena. A parameter's gradient does not either
 * for long: when backward brings a parameter whose gradient was zeroed one of the scope's arrays,
 * the parameter takes that array as its gradient and the arena takes the parameter's old gradient
 * buffer in exchange, so no copy is made; the gradient array then alternates between two buffers,
 * so read {@link Tensor#grad()} again after each backward instead of keeping the array. A tensor made inside
 * a scope must not be used after the scope closes: its array is reused by the next scope, and
 * {@link Tensor#value()} then throws {@link IllegalStateException}. Copy what must outlive the scope
 * ({@code value().dup()}). Scopes of different arenas may nest; one arena's scopes may not.
 *
 * <p>This is softgrad's answer to ND4J's per-allocation cost and to its deallocator falling behind a
 * loop that allocates: see BENCHMARKS.md for the effect on a training step.
 */
public final class Arena {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private static final class Slot {
        final INDArray array;
        final DataType type;
        final long[] shape;

        Slot(INDArray array, DataType type, long[] shape) {
            this.array = array;
            this.type = type;
            this.shape = shape;
        }
    }

    private final ArrayList<Slot> slots = new ArrayList<>();
    private int cursor;
    private Scope open;
    private long allocations;

    /** An empty arena; it grows to the working set of the computation run in its scopes. */
    public Arena() {
    }

    /** A scope of an arena; closing it makes the arrays handed out in it free for reuse. */
    public static final class Scope implements AutoCloseable {
        private final Arena arena;
        private final Scope previous;
        private boolean closed;

        private Scope(Arena arena, Scope previous) {
            this.arena = arena;
            this.previous = previous;
        }

        /** Whether this scope has been closed (its tensors are then invalid). */
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (CURRENT.get() != this) {
                throw new IllegalStateException("Arena.Scope.close: scopes must close in the reverse order of opening");
            }
            closed = true;
            arena.cursor = 0;
            arena.open = null;
            CURRENT.set(previous);
        }
    }

    /** Opens a scope on this thread. */
    public Scope open() {
        if (open != null) {
            throw new IllegalStateException("Arena.open: this arena already has an open scope; close it first");
        }
        Scope s = new Scope(this, CURRENT.get());
        open = s;
        cursor = 0;
        CURRENT.set(s);
        return s;
    }

    /** The number of arrays this arena has allocated so far (stops growing once the loop is warm). */
    public long allocations() {
        return allocations;
    }

    /** The number of arrays the arena holds. */
    public int size() {
        return slots.size();
    }

    /** The scope open on this thread, or null. */
    static Scope current() {
        return CURRENT.get();
    }

    /** An uninitialised dense array: from the open scope's arena when there is one, otherwise new. */
    static INDArray take(DataType type, long[] shape) {
        Scope s = CURRENT.get();
        if (s == null) {
            return Nd4j.createUninitialized(type, shape, 'c');
        }
        return s.arena.next(type, shape);
    }

    private INDArray next(DataType type, long[] shape) {
        int n = slots.size();
        for (int i = cursor; i < n; i++) {
            Slot slot = slots.get(i);
            if (slot.type == type && Arrays.equals(slot.shape, shape)) {
                if (i != cursor) {
                    slots.set(i, slots.get(cursor));
                    slots.set(cursor, slot);
                }
                cursor++;
                return slot.array;
            }
        }
        long[] copy = shape.clone();
        Slot slot = new Slot(Nd4j.createUninitialized(type, copy, 'c'), type, copy);
        allocations++;
        slots.add(cursor, slot);
        cursor++;
        return slot.array;
    }

    /**
     * Takes {@code array}, handed out by this arena in its open scope, out of the arena for good, and
     * puts {@code replacement} (same type and shape; may be null) in its place for the next scopes.
     * The backward engine uses it to give a parameter the gradient array itself instead of a copy.
     *
     * @return false (and nothing changed) when {@code array} is not one of this scope's arrays
     */
    boolean exchange(INDArray array, INDArray replacement) {
        for (int i = 0; i < cursor; i++) {
            Slot slot = slots.get(i);
            if (slot.array == array) {
                if (replacement == null) {
                    slots.remove(i);
                    cursor--;
                } else {
                    slots.set(i, new Slot(replacement, slot.type, slot.shape));
                }
                return true;
            }
        }
        return false;
    }

    /** The arena of the scope open on this thread, or null. */
    static Arena currentArena() {
        Scope s = CURRENT.get();
        return s == null ? null : s.arena;
    }
}
