package dev.softgrad.nn.bench;

import dev.softgrad.core.*;
import dev.softgrad.datasets.*;
import dev.softgrad.nn.*;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;

public class Prof3 {
    public static void main(String[] a) throws Exception {
        Dataset raw = Datasets.digits(Path.of("/work/shared/datasets"));
        Dataset digits = Standardizer.fit(raw).transform(raw);
        Dataset big = Synthetic.blobs(60000, 10, 784, 2.0, 2026);
        for (int rep = 0; rep < 8; rep++) {
            prof("digits", digits, digits.size(), 200, false);
            prof("blobs", big, 128, 469, true);
        }
    }

    static void prof(String name, Dataset d, int bs, int steps, boolean shuffle) {
        SoftmaxClassifier m = new SoftmaxClassifier(d.numFeatures(), 10, Init.zeros(), DataType.FLOAT);
        Sgd sgd = new Sgd(m.parameters(), Sgd.Config.plain(0.1));
        Arena arena = new Arena();
        MiniBatchIterator it = new MiniBatchIterator(d, bs, shuffle, false, 2026);
        long fw = 0, ls = 0, bw = 0, st = 0, nx = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            long q = System.nanoTime();
            if (!it.hasNext()) it.reset();
            MiniBatch b = it.next();
            try (Arena.Scope s = arena.open()) {
                long q0 = System.nanoTime();
                Tensor z = m.forward(Tensor.constant(b.features()));
                long q1 = System.nanoTime();
                Tensor loss = Losses.crossEntropy(z, b.labels());
                loss.item();
                long q2 = System.nanoTime();
                sgd.zeroGrad();
                loss.backward();
                long q3 = System.nanoTime();
                sgd.step();
                long q4 = System.nanoTime();
                nx += q0 - q; fw += q1 - q0; ls += q2 - q1; bw += q3 - q2; st += q4 - q3;
            }
        }
        long t1 = System.nanoTime();
        System.out.printf("%s: total %.1f ms (batch %.1f fw %.1f loss %.1f bw %.1f step %.1f)%n", name, (t1 - t0) / 1e6, nx / 1e6,
                fw / 1e6, ls / 1e6, bw / 1e6, st / 1e6);
    }
}
