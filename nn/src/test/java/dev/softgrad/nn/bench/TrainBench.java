package dev.softgrad.nn.bench;

import dev.softgrad.core.Arena;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Datasets;
import dev.softgrad.datasets.MiniBatch;
import dev.softgrad.datasets.MiniBatchIterator;
import dev.softgrad.datasets.Standardizer;
import dev.softgrad.datasets.Synthetic;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.Sgd;
import dev.softgrad.nn.SoftmaxClassifier;
import dev.softgrad.nn.Trainer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training speed of a softmax classifier, float32, weights and biases starting at zero, plain SGD
 * at rate 0.1:
 * <ol>
 *   <li>one epoch of shuffled minibatches of 128 over a seeded synthetic data set of 60000 x 784,
 *       10 classes ({@code Synthetic.blobs(60000, 10, 784, 2.0, 2026)}), through {@link Trainer#fit};</li>
 *   <li>200 full-batch steps on the 8x8 digits (1797 x 64, standardised), through {@link Trainer#fit}
 *       (one batch per epoch) and through a bare loop (Arena + Sgd, as in the README).</li>
 * </ol>
 * It writes the data exactly as trained (rows in the epoch's shuffled order) to {@code outDir} for
 * {@code bench/pytorch/bench_train.py}, and the times (median of {@code reps} runs after
 * {@code warmup}) and final losses (mean cross-entropy over the whole data set, computed in double) to
 * {@code outDir/softgrad-results.json}.
 *
 * <p>Run: {@code java -cp ... dev.softgrad.nn.bench.TrainBench [sharedDatasetsDir] [outDir] [warmup] [reps]}.
 */
public final class TrainBench {
    private TrainBench() {
    }

    /** Entry point. */
    public static void main(String[] args) throws IOException {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared/datasets");
        Path out = Path.of(args.length > 1 ? args[1] : "nn/target/bench");
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        Files.createDirectories(out);
        long seed = 2026;
        double lr = 0.1;

        Dataset big = Synthetic.blobs(60000, 10, 784, 2.0, seed);
        export(big, new MiniBatchIterator(big, 128, true, false, seed), out.resolve("blobs60k"));
        double[] bigTimes = new double[reps];
        double bigLoss = 0;
        for (int r = -warmup; r < reps; r++) {
            SoftmaxClassifier m = new SoftmaxClassifier(784, 10, Init.zeros(), DataType.FLOAT);
            long t0 = System.nanoTime();
            new Trainer(Trainer.Config.of(1, 128, lr, seed)).fit(m, big, null);
            double s = (System.nanoTime() - t0) / 1e9;
            if (r >= 0) {
                bigTimes[r] = s;
            }
            bigLoss = m.evaluate(big).loss();
        }

        Dataset raw = Datasets.digits(shared);
        Dataset digits = Standardizer.fit(raw).transform(raw);
        export(digits, new MiniBatchIterator(digits, digits.size(), false, false, 0), out.resolve("digits"));
        double[] digitTimes = new double[reps];
        double[] digitLoopTimes = new double[reps];
        double digitLoss = 0;
        double digitLoopLoss = 0;
        for (int r = -warmup; r < reps; r++) {
            SoftmaxClassifier m = new SoftmaxClassifier(64, 10, Init.zeros(), DataType.FLOAT);
            long t0 = System.nanoTime();
            new Trainer(Trainer.Config.of(200, digits.size(), lr, seed)).fit(m, digits, null);
            double s = (System.nanoTime() - t0) / 1e9;
            digitLoss = m.evaluate(digits).loss();

            SoftmaxClassifier m2 = new SoftmaxClassifier(64, 10, Init.zeros(), DataType.FLOAT);
            long t1 = System.nanoTime();
            bareLoop(m2, digits, 200, lr);
            double s2 = (System.nanoTime() - t1) / 1e9;
            digitLoopLoss = m2.evaluate(digits).loss();
            if (r >= 0) {
                digitTimes[r] = s;
                digitLoopTimes[r] = s2;
            }
        }
        String json = String.format(Locale.ROOT, "{\n  \"threads\": %s,\n"
                        + "  \"blobs60k_epoch\": {\"median_s\": %.5f, \"min_s\": %.5f, \"max_s\": %.5f, \"final_loss\": %.8f},\n"
                        + "  \"digits_200_trainer\": {\"median_s\": %.5f, \"min_s\": %.5f, \"max_s\": %.5f, \"final_loss\": %.8f},\n"
                        + "  \"digits_200_loop\": {\"median_s\": %.5f, \"min_s\": %.5f, \"max_s\": %.5f, \"final_loss\": %.8f}\n}\n",
                System.getenv().getOrDefault("OMP_NUM_THREADS", "\"default\""),
                median(bigTimes), min(bigTimes), max(bigTimes), bigLoss,
                median(digitTimes), min(digitTimes), max(digitTimes), digitLoss,
                median(digitLoopTimes), min(digitLoopTimes), max(digitLoopTimes), digitLoopLoss);
        Files.writeString(out.resolve("softgrad-results.json"), json);
        System.out.print(json);
    }

    /** Full-batch gradient descent without the Trainer: the README's loop. */
    static void bareLoop(SoftmaxClassifier m, Dataset data, int steps, double lr) {
        Tensor x = Tensor.constant(data.features());
        int[] y = data.labels();
        Sgd sgd = new Sgd(m.parameters(), Sgd.Config.plain(lr));
        Arena arena = new Arena();
        for (int i = 0; i < steps; i++) {
            try (Arena.Scope s = arena.open()) {
                Tensor loss = Losses.crossEntropy(m.forward(x), y);
                sgd.zeroGrad();
                loss.backward();
                sgd.step();
            }
        }
    }

    /** Writes the rows in the iterator's first-epoch order: name.f32 (little-endian [N, D]), name.i32 (labels). */
    static void export(Dataset data, MiniBatchIterator it, Path base) throws IOException {
        int d = data.numFeatures();
        try (OutputStream fx = Files.newOutputStream(Path.of(base + ".f32"));
                OutputStream fy = Files.newOutputStream(Path.of(base + ".i32"))) {
            while (it.hasNext()) {
                MiniBatch b = it.next();
                INDArray f = b.features();
                ByteBuffer bx = ByteBuffer.allocate(4 * b.size() * d).order(ByteOrder.LITTLE_ENDIAN);
                bx.asFloatBuffer().put(f.data().asNioFloat());
                fx.write(bx.array());
                ByteBuffer by = ByteBuffer.allocate(4 * b.size()).order(ByteOrder.LITTLE_ENDIAN);
                for (int v : b.labels()) {
                    by.putInt(v);
                }
                fy.write(by.array());
            }
        }
        Files.writeString(Path.of(base + ".txt"), data.size() + " " + d + " " + data.numClasses() + "\n");
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
