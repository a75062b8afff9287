package dev.softgrad.core;

import java.util.ArrayList;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward engine and the switch for graph recording.
 *
 * <p>{@link #noGrad()} opens a scope in which operations record nothing (evaluation, optimiser
 * updates); scopes nest and are per thread.
 *
 * <pre>{@code
 * try (Autograd.Scope s = Autograd.noGrad()) {
 *     Tensor logits = x.matmul(w);   // a constant: no graph is kept
 * }
 * }</pre>
 *
 * <p>The backward pass sorts the graph topologically with an explicit stack (no recursion, so a
 * chain of a million operations works), calls each node's backward function once, in reverse
 * topological order, and adds up the gradients of a tensor used more than once. That sum is the
 * only place where gradients are added: a backward function never writes another node's gradient.
 */
public final class Autograd {
    private Autograd() {
    }

    private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static int markCounter;

    /** A scope opened by {@link #noGrad()}; closing it restores recording. */
    public static final class Scope implements AutoCloseable {
        private boolean closed;

        private Scope() {
            NO_GRAD_DEPTH.get()[0]++;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                NO_GRAD_DEPTH.get()[0]--;
            }
        }
    }

    /** Opens a scope in which no graph is recorded. */
    public static Scope noGrad() {
        return new Scope();
    }

    /** Whether operations on this thread record the graph now. */
    public static boolean isGradEnabled() {
        return NO_GRAD_DEPTH.get()[0] == 0;
    }

    static synchronized int nextMark() {
        return ++markCounter;
    }

    static void backward(Tensor root, INDArray seed, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalArgumentException("backward: " + root
                    + " does not require grad (it depends on no parameter, or was made under noGrad)");
        }
        if (root.isFreed()) {
            throw new GraphFreedException("backward: the graph of " + root
                    + " was freed by an earlier backward; pass retainGraph = true to the first call to keep it");
        }
        root.value(); // throws when its arena scope has closed
        INDArray s;
        if (seed == null) {
            if (root.value().length() != 1) {
                throw new IllegalArgumentException("backward: a seed is needed for a non-scalar output of shape "
                        + Check.shape(root.shape()) + "; call backward(seed) with d loss / d output");
            }
            s = Dense.alloc(root.dataType(), root.shape());
            Kernels.fill(s, 1.0);
        } else {
            Check.floating("backward", "seed", seed);
            Check.sameShape("backward (seed vs output)", seed.shape(), root.shape());
            if (seed.dataType() != root.dataType()) {
                throw new DataTypeMismatchException("backward: seed is " + Check.dtype(seed.dataType())
                        + " but the output is " + Check.dtype(root.dataType()));
            }
            s = Dense.densify(seed);
        }

        ArrayList<Tensor> order = topologicalOrder(root);
        root.pending = s;
        root.pendingOwned = false;
        try {
            for (int k = order.size() - 1; k >= 0; k--) {
                Tensor node = order.get(k);
                INDArray g = node.pending;
                node.pending = null;
                if (g == null) {
                    continue;
                }
                if (node.retainsGrad()) {
                    accumulateInto(node, g, retainGraph);
                }
                Tensor.Backward fn = node.backwardFn();
                if (fn == null) {
                    continue; // a parameter
                }
                Tensor[] inputs = node.inputs();
                INDArray[] grads = fn.apply(g);
                if (grads == null || grads.length != inputs.length) {
                    throw new IllegalStateException("backward of " + node.op() + " returned "
                            + (grads == null ? "null" : grads.length + " gradients") + " for " + inputs.length
                            + " inputs");
                }
                for (int i = 0; i < inputs.length; i++) {
                    Tensor in = inputs[i];
                    INDArray gi = grads[i];
                    if (gi == null || !in.requiresGrad()) {
                        continue;
                    }
                    if (!Arrays.equals(gi.shape(), in.value().shape()) || gi.dataType() != in.dataType()) {
                        throw new IllegalStateException("backward of " + node.op() + " returned a gradient "
                                + Check.dtype(gi.dataType()) + Check.shape(gi.shape()) + " for input " + i + " of "
                                + Check.dtype(in.dataType()) + Check.shape(in.shape()));
                    }
                    addPending(in, Dense.densify(gi));
                }
            }
        } finally {
            for (Tensor t : order) {
                t.pending = null;
                if (!retainGraph && t.backwardFn() != null) {
                    t.free();
                }
            }
        }
    }

    /** Reverse-postorder DFS with an explicit stack over tensors that require grad. */
    private static ArrayList<Tensor> topologicalOrder(Tensor root) {
        int mark = nextMark();
        ArrayList<Tensor> order = new ArrayList<>();
        ArrayList<Tensor> stack = new ArrayList<>();
        ArrayList<Integer> next = new ArrayList<>();
        root.visitMark = mark;
        stack.add(root);
        next.add(0);
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Tensor t = stack.get(top);
            Tensor[] ins = t.inputs();
            int i = next.get(top);
            if (ins != null && i < ins.length) {
                next.set(top, i + 1);
                Tensor c = ins[i];
                if (c.requiresGrad() && c.visitMark != mark) {
                    if (c.isFreed()) {
                        throw new GraphFreedException("backward: the graph through " + c
                                + " was freed by an earlier backward; pass retainGraph = true to keep it");
                    }
                    c.visitMark = mark;
                    stack.add(c);
                    next.add(0);
                }
            } else {
                order.add(t);
                stack.remove(top);
                next.remove(top);
            }
        }
        return order; // postorder: inputs before users
    }

    private static void addPending(Tensor t, INDArray g) {
        if (t.pending == null) {
            t.pending = g; // borrowed: never written
            t.pendingOwned = false;
        } else if (t.pendingOwned) {
            Kernels.addInPlace(t.pending, g);
        } else {
            INDArray sum = Dense.alloc(g.dataType(), g.shape());
            Kernels.add(t.pending, g, sum);
            t.pending = sum;
            t.pendingOwned = true;
        }
    }

    /**
     * grad += g, where a zeroed gradient is overwritten (one read of g instead of two reads and a
     * write). Inside an Arena scope, a parameter whose gradient is zeroed takes g itself when g is one
     * of the scope's arrays: the arena gets the parameter's old gradient buffer in exchange, so nothing
     * is copied and nothing is allocated after the first steps (the gradient array alternates between
     * two buffers; read {@link Tensor#grad()} again after each backward).
     */
    private static void accumulateInto(Tensor t, INDArray g, boolean retainGraph) {
        Arena arena = Arena.currentArena();
        if (arena != null && !retainGraph && t.isLeaf() && (t.grad == null || t.gradZeroed)
                && arena.exchange(g, t.grad)) {
            t.grad = g;
            t.gradZeroed = false;
            t.gradStale = false;
            return;
        }
        if (t.grad == null) {
            t.grad = Nd4j.createUninitialized(g.dataType(), g.shape(), 'c'); // never from an arena: it outlives the step
            Kernels.copy(g, t.grad);
        } else if (t.gradZeroed) {
            Kernels.copy(g, t.grad);
        } else {
            Kernels.addInPlace(t.grad, g);
        }
        t.gradZeroed = false;
        t.gradStale = false;
    }
}
