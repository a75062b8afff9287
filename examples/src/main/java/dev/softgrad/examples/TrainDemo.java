package dev.softgrad.examples;

import dev.softgrad.core.Arena;
import dev.softgrad.core.Autograd;
import dev.softgrad.core.Functional;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Datasets;
import dev.softgrad.datasets.Split;
import dev.softgrad.nn.Sgd;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The README's main job: trains a linear softmax classifier by full-batch gradient descent on the
 * embedded synthetic data set (no download) and prints the loss falling, with train and held-out
 * accuracy, as a table.
 *
 * <p>Run: {@code mvn -q -Pdemo package -DskipTests} from the project root.
 */
public final class TrainDemo {
    private TrainDemo() {
    }

    /**
     * What a run measured.
     *
     * @param losses        training loss after each reported epoch (the first is before any step)
     * @param trainAccuracy final accuracy on the training part
     * @param testAccuracy  final accuracy on the held-out part
     * @param arenaArrays   arrays the step's arena allocated over the whole run
     */
    public record Result(List<Double> losses, double trainAccuracy, double testAccuracy, long arenaArrays) {
    }

    /** Trains for {@code epochs} full-batch steps with learning rate {@code lr}, reporting every {@code every} epochs. */
    public static Result run(int epochs, double lr, int every, PrintStream out) {
        Dataset data = Datasets.embeddedDefault();
        Split split = Split.stratified(data, 0.25, 42);
        Dataset train = split.train();
        Dataset test = split.test();
        int d = train.numFeatures();
        int k = train.numClasses();
        out.printf(Locale.ROOT, "data: %s, %d train / %d test samples, %d features, %d classes%n", data.name(),
                train.size(), test.size(), d, k);

        Tensor w = Tensor.parameter(Nd4j.zeros(train.dataType(), d, k));
        Tensor b = Tensor.parameter(Nd4j.zeros(train.dataType(), k));
        Tensor x = Tensor.constant(train.features());
        int[] y = train.labels();
        Sgd sgd = new Sgd(List.of(w, b), Sgd.Config.plain(lr));
        Arena arena = new Arena();
        List<Double> losses = new ArrayList<>();
        out.println("| epoch | loss | train acc |");
        out.println("|---:|---:|---:|");
        for (int epoch = 0; epoch <= epochs; epoch++) {
            try (Arena.Scope s = arena.open()) {
                Tensor logits = Functional.linear(x, w, b);
                Tensor loss = Functional.softmaxCrossEntropy(logits, y);
                if (epoch % every == 0 || epoch == epochs) {
                    losses.add(loss.item());
                    out.printf(Locale.ROOT, "| %d | %.4f | %.3f |%n", epoch, loss.item(), accuracy(logits.value(), y));
                }
                if (epoch < epochs) {
                    sgd.zeroGrad();
                    loss.backward();
                    sgd.step();
                }
            }
        }
        double trainAcc = accuracy(predictLogits(train, w, b), y);
        double testAcc = accuracy(predictLogits(test, w, b), test.labels());
        out.printf(Locale.ROOT, "final: train accuracy %.3f, held-out accuracy %.3f (arena allocated %d arrays in %d steps)%n",
                trainAcc, testAcc, arena.allocations(), epochs + 1);
        return new Result(losses, trainAcc, testAcc, arena.allocations());
    }

    static INDArray predictLogits(Dataset ds, Tensor w, Tensor b) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            return Functional.linear(Tensor.constant(ds.features()), w, b).value();
        }
    }

    /** Fraction of rows whose arg-max equals the label. */
    static double accuracy(INDArray logits, int[] labels) {
        int n = (int) logits.size(0);
        int k = (int) logits.size(1);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (logits.getDouble(i, j) > logits.getDouble(i, best)) {
                    best = j;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
        }
        return (double) correct / n;
    }

    /** Runs the demo: 100 epochs, learning rate 0.5, a row every 10 epochs. */
    public static void main(String[] args) {
        run(100, 0.5, 10, System.out);
    }
}
