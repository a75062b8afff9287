package dev.softgrad.core;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element-wise loops over dense arrays, in Java over the arrays' memory: on the small arrays of a
 * training step a loop costs far less than one native ND4J call (see BENCHMARKS.md).
 */
final class Kernels {
    private Kernels() {
    }

    /** out = f(x), all of one shape. */
    static void map(INDArray x, INDArray out, DoubleUnaryOperator f) {
        Dense a = Dense.view(x);
        Dense o = Dense.view(out);
        if (a.f != null) {
            for (int i = 0; i < a.n; i++) {
                o.f.put(i, (float) f.applyAsDouble(a.f.get(i)));
            }
        } else {
            for (int i = 0; i < a.n; i++) {
                o.d.put(i, f.applyAsDouble(a.d.get(i)));
            }
        }
    }

    /** out = f(x, y), all of one shape. */
    static void zip(INDArray x, INDArray y, INDArray out, DoubleBinaryOperator f) {
        Dense a = Dense.view(x);
        Dense b = Dense.view(y);
        Dense o = Dense.view(out);
        if (a.f != null) {
            for (int i = 0; i < a.n; i++) {
                o.f.put(i, (float) f.applyAsDouble(a.f.get(i), b.f.get(i)));
            }
        } else {
            for (int i = 0; i < a.n; i++) {
                o.d.put(i, f.applyAsDouble(a.d.get(i), b.d.get(i)));
            }
        }
    }

    /** Elements per chunk of the bulk kernels (fits L1 with three chunks). */
    private static final int CHUNK = 2048;
    /** Elements below which the bulk kernels stay on one thread. */
    private static final int PARALLEL_MIN = 1 << 18;

    private interface ChunkBody {
        void run(int from, int to, float[] fa, float[] fb, double[] da, double[] db);
    }

    /** Runs body over [0, n) in chunks of at most CHUNK; large n is split over the workers (see {@link Parallel}). */
    private static void chunks(int n, ChunkBody body) {
        if (n < PARALLEL_MIN) {
            runChunks(0, n, body);
            return;
        }
        Parallel.forChunks(n, PARALLEL_MIN / 4, (from, to) -> runChunks(from, to, body));
    }

    /** Per-thread chunk buffers: the bulk kernels allocate nothing in a training loop. */
    private static final ThreadLocal<Object[]> BUFFERS = ThreadLocal.withInitial(() -> new Object[] {
        new float[CHUNK], new float[CHUNK], new double[CHUNK], new double[CHUNK]});

    private static void runChunks(int from, int to, ChunkBody body) {
        Object[] b = BUFFERS.get();
        float[] fa = (float[]) b[0];
        float[] fb = (float[]) b[1];
        double[] da = (double[]) b[2];
        double[] db = (double[]) b[3];
        for (int c = from; c < to; c += CHUNK) {
            body.run(c, Math.min(to, c + CHUNK), fa, fb, da, db);
        }
    }

    /** out = x + y, same shape (out may be x). */
    static void add(INDArray x, INDArray y, INDArray out) {
        axpby(1.0, x, 1.0, y, out);
    }

    /** acc += x, same shape. */
    static void addInPlace(INDArray acc, INDArray x) {
        axpby(1.0, acc, 1.0, x, acc);
    }

    /** out = a x + b y, same shape (out may be x or y); a = 1 and b = 1 add exactly. */
    static void axpby(double a, INDArray x, double b, INDArray y, INDArray out) {
        Dense dx = Dense.view(x);
        Dense dy = Dense.view(y);
        Dense o = Dense.view(out);
        boolean plain = a == 1.0 && b == 1.0;
        chunks(dx.n, (from, to, fa, fb, da, db) -> {
            int len = to - from;
            if (dx.f != null) {
                dx.f.get(from, fa, 0, len);
                dy.f.get(from, fb, 0, len);
                if (plain) {
                    for (int i = 0; i < len; i++) {
                        fa[i] += fb[i];
                    }
                } else {
                    float af = (float) a;
                    float bf = (float) b;
                    for (int i = 0; i < len; i++) {
                        fa[i] = af * fa[i] + bf * fb[i];
                    }
                }
                o.f.put(from, fa, 0, len);
            } else {
                dx.d.get(from, da, 0, len);
                dy.d.get(from, db, 0, len);
                for (int i = 0; i < len; i++) {
                    da[i] = plain ? da[i] + db[i] : a * da[i] + b * db[i];
                }
                o.d.put(from, da, 0, len);
            }
        });
    }

    /** out = x (a bulk copy). */
    static void copy(INDArray x, INDArray out) {
        Dense dx = Dense.view(x);
        Dense o = Dense.view(out);
        chunks(dx.n, (from, to, fa, fb, da, db) -> {
            int len = to - from;
            if (dx.f != null) {
                dx.f.get(from, fa, 0, len);
                o.f.put(from, fa, 0, len);
            } else {
                dx.d.get(from, da, 0, len);
                o.d.put(from, da, 0, len);
            }
        });
    }

    /** out = c * x. */
    static void scale(INDArray x, double c, INDArray out) {
        Dense dx = Dense.view(x);
        Dense o = Dense.view(out);
        chunks(dx.n, (from, to, fa, fb, da, db) -> {
            int len = to - from;
            if (dx.f != null) {
                float cf = (float) c;
                dx.f.get(from, fa, 0, len);
                for (int i = 0; i < len; i++) {
                    fa[i] *= cf;
                }
                o.f.put(from, fa, 0, len);
            } else {
                dx.d.get(from, da, 0, len);
                for (int i = 0; i < len; i++) {
                    da[i] *= c;
                }
                o.d.put(from, da, 0, len);
            }
        });
    }

    /** Every element of out set to v. */
    static void fill(INDArray out, double v) {
        Dense o = Dense.view(out);
        if (o.n < CHUNK) {
            for (int i = 0; i < o.n; i++) {
                o.set(i, v);
            }
            return;
        }
        chunks(o.n, (from, to, fa, fb, da, db) -> {
            int len = to - from;
            if (o.f != null) {
                java.util.Arrays.fill(fa, 0, len, (float) v);
                o.f.put(from, fa, 0, len);
            } else {
                java.util.Arrays.fill(da, 0, len, v);
                o.d.put(from, da, 0, len);
            }
        });
    }
}
