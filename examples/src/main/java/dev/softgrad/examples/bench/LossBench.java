package dev.softgrad.examples.bench;

import dev.softgrad.core.Arena;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import java.nio.FloatBuffer;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward + backward of mean softmax cross-entropy (labels) on float32 logits [8192, 1000] and
 * [32, 10], inside an Arena, against a plain copy of the same bytes (the memory-bandwidth floor).
 * Effective bandwidth counts reading the logits once and writing the gradient once.
 *
 * <p>Run: {@code mvn -q -Pbench package -DskipTests -Dbench.main=dev.softgrad.examples.bench.LossBench}.
 */
public final class LossBench {
    private LossBench() {
    }

    static INDArray logits(int n, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble(-5, 5);
        }
        return Nd4j.create(a, new long[] {n, k}, DataType.FLOAT);
    }

    /** Times copying float32 src [n, k] into dst row by row through the direct buffers, one thread. */
    static double[] copyRows(INDArray src, INDArray dst, double sec, int inner) {
        int n = (int) src.size(0);
        int k = (int) src.size(1);
        FloatBuffer fs = src.data().asNioFloat();
        FloatBuffer fd = dst.data().asNioFloat();
        float[] row = new float[k];
        return StepBench.measure(() -> {
            for (int i = 0; i < n; i++) {
                fs.get(i * k, row, 0, k);
                fd.put(i * k, row, 0, k);
            }
        }, sec, inner);
    }

    /** Prints one Markdown row per case. Argument: seconds per case (default 3). */
    public static void main(String[] args) {
        double sec = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        System.out.println("| case (float32) | median us | p10 | p90 | GB/s (read z + write grad) |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (int[] nk : new int[][] {{32, 10}, {8192, 1000}}) {
            int n = nk[0];
            int k = nk[1];
            Tensor z = Tensor.parameter(logits(n, k, 1));
            int[] y = new int[n];
            SplittableRandom r = new SplittableRandom(2);
            for (int i = 0; i < n; i++) {
                y[i] = r.nextInt(k);
            }
            Arena arena = new Arena();
            double[] sink = new double[1];
            int inner = n * k < 10_000 ? 64 : 1;
            double[] t = StepBench.measure(() -> {
                try (Arena.Scope s = arena.open()) {
                    z.zeroGrad();
                    Tensor loss = Losses.crossEntropy(z, y);
                    loss.backward();
                    sink[0] += loss.item();
                }
            }, sec, inner);
            double bytes = 2.0 * 4 * n * k;
            System.out.printf(Locale.ROOT, "| softgrad CE forward+backward into z.grad [%d, %d] | %.1f | %.1f | %.1f | %.1f |%n",
                    n, k, t[1], t[0], t[2], bytes / (t[1] * 1e3));
            double[] f = StepBench.measure(() -> {
                try (Arena.Scope s = arena.open()) {
                    sink[0] += Losses.crossEntropy(z, y).item();
                }
            }, sec, inner);
            System.out.printf(Locale.ROOT, "| softgrad CE fused kernel alone (loss and dz) [%d, %d] | %.1f | %.1f | %.1f | %.1f |%n",
                    n, k, f[1], f[0], f[2], bytes / (f[1] * 1e3));
            // the same bytes copied (Java loop over the direct buffers, like the kernel's memory access)
            INDArray src = z.value();
            INDArray dst = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, k}, 'c');
            double[] c = copyRows(src, dst, sec, inner);
            System.out.printf(Locale.ROOT, "| copy of the same bytes, one thread [%d, %d] | %.1f | %.1f | %.1f | %.1f |%n", n, k,
                    c[1], c[0], c[2], bytes / (c[1] * 1e3));
            double[] nd = StepBench.measure(() -> dst.assign(src), sec, inner);
            System.out.printf(Locale.ROOT, "| ND4J assign (native copy) [%d, %d] | %.1f | %.1f | %.1f | %.1f |%n", n, k, nd[1],
                    nd[0], nd[2], bytes / (nd[1] * 1e3));
            if (!Double.isFinite(sink[0])) {
                throw new IllegalStateException("non-finite loss");
            }
        }
    }
}
