package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Split;
import dev.softgrad.datasets.Synthetic;
import dev.softgrad.nn.Activation;
import dev.softgrad.nn.Classifier;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.Loss;
import dev.softgrad.nn.Mlp;
import dev.softgrad.nn.SoftmaxClassifier;
import dev.softgrad.nn.Trainer;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Knowledge distillation: a larger teacher (an MLP trained on plenty of data) and a linear student
 * trained on a small sample, once on the hard labels and once with KLDistill at several
 * temperatures. The teacher's soft targets carry how classes resemble each other, so the distilled
 * student agrees with the teacher far more often. The T^2 factor keeps the soft term's gradient on
 * the same scale whatever T is.
 */
public final class DistillationExample implements Example {

    @Override
    public String name() {
        return "distillation";
    }

    @Override
    public String summary() {
        return "an MLP teacher, a linear student with and without KLDistill at several T: accuracy and agreement";
    }

    static double agreement(Classifier a, Classifier b, INDArray x) {
        int[] pa = a.predict(x);
        int[] pb = b.predict(x);
        int same = 0;
        for (int i = 0; i < pa.length; i++) {
            same += pa[i] == pb[i] ? 1 : 0;
        }
        return (double) same / pa.length;
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Knowledge distillation", s);
        Dataset all = Synthetic.blobs(s.quick() ? 1500 : 4000, 8, 12, 2.0, s.seed());
        Split split = Split.stratified(all, 0.3, s.seed());
        Dataset big = split.train();
        Dataset test = split.test();
        Dataset small = Split.stratified(big, 1 - 96.0 / big.size(), s.seed() + 1).train(); // ~96 samples
        nb.text("8 overlapping Gaussian classes in 12-D. Teacher: MLP 12-64-8 (ReLU) on %d samples. Student: linear"
                + " softmax on %d samples. Test: %d samples.", big.size(), small.size(), test.size());

        Mlp teacher = new Mlp(12, new int[] {64}, 8, Activation.RELU, Init.heNormal(s.seed()), DataType.FLOAT);
        new Trainer(Trainer.Config.of(s.quick() ? 20 : 40, 64, 0.05, s.seed())).fit(teacher, big, null);
        double teacherAcc = teacher.evaluate(test).accuracy();
        nb.text("teacher test accuracy %s", Notebook.num(teacherAcc));

        int epochs = s.quick() ? 150 : 400;
        SoftmaxClassifier hard = new SoftmaxClassifier(12, 8, Init.zeros(), DataType.FLOAT);
        new Trainer(Trainer.Config.of(epochs, small.size(), 0.5, s.seed())).fit(hard, small, null);
        double hardAcc = hard.evaluate(test).accuracy();
        double hardAgree = agreement(hard, teacher, test.features());

        nb.section("Students");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("hard labels", "-", Notebook.num(hardAcc), Notebook.num(hardAgree)));
        double[] temps = {1, 2, 4, 8};
        double bestAgree = 0;
        double agreeAt4 = 0;
        double accAt4 = 0;
        for (double t : temps) {
            SoftmaxClassifier st = new SoftmaxClassifier(12, 8, Init.zeros(), DataType.FLOAT);
            new Trainer(Trainer.Config.of(epochs, small.size(), 0.5, s.seed()).withLoss(Loss.distillation(teacher, t, 0.9)))
                    .fit(st, small, null);
            double acc = st.evaluate(test).accuracy();
            double agree = agreement(st, teacher, test.features());
            bestAgree = Math.max(bestAgree, agree);
            if (t == 4) {
                agreeAt4 = agree;
                accAt4 = acc;
            }
            rows.add(List.of("KLDistill alpha 0.9", Notebook.num(t), Notebook.num(acc), Notebook.num(agree)));
        }
        nb.table(List.of("student", "T", "test accuracy", "agreement with teacher"), rows);

        nb.section("The T^2 factor");
        INDArray sLogits = hard.logits(test.features());
        INDArray tLogits = teacher.logits(test.features());
        double[] ts = new double[20];
        double[] withT2 = new double[ts.length];
        double[] without = new double[ts.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = 1 + i;
            Tensor z = Tensor.parameter(sLogits.dup());
            Losses.distill(z, tLogits, ts[i]).backward();
            withT2[i] = z.grad().norm2Number().doubleValue();
            without[i] = withT2[i] / (ts[i] * ts[i]);
        }
        nb.claim("the teacher, trained on plenty of data, beats the hard-label student", teacherAcc > hardAcc,
                Notebook.num(teacherAcc) + " vs " + Notebook.num(hardAcc));
        nb.claim("distillation (T = 4) makes the student agree with the teacher more often than hard labels do",
                agreeAt4 > hardAgree + 0.02, Notebook.num(agreeAt4) + " vs " + Notebook.num(hardAgree));
        nb.claim("the distilled student (T = 4) is also more accurate than the hard-label one on this small sample",
                accAt4 > hardAcc, Notebook.num(accAt4) + " vs " + Notebook.num(hardAcc));
        double spread = java.util.Arrays.stream(withT2).max().getAsDouble() / java.util.Arrays.stream(withT2).min().getAsDouble();
        nb.claim("with T^2 the soft term's gradient stays on one scale for T = 1..20; without it, it shrinks like 1/T^2",
                spread < 4 && without[19] < without[0] / 50, "max/min with T^2 = " + Notebook.num(spread)
                + "; without, T = 20 / T = 1 = " + Notebook.num(without[19] / without[0]));
        XYChart c = Plots.chart("Gradient norm of the soft term", "temperature T", "||dL/ds||", false, true);
        Plots.line(c, "T^2 KL (KLDistill)", ts, withT2);
        Plots.line(c, "KL without T^2", ts, without);
        nb.figure("t-squared.png", c);
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new DistillationExample(), args);
    }
}
