package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Split;
import dev.softgrad.datasets.Synthetic;
import dev.softgrad.nn.Activation;
import dev.softgrad.nn.Classifier;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.Loss;
import dev.softgrad.nn.Mlp;
import dev.softgrad.nn.Trainer;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Knowledge distillation (softmax.md, "Soft Targets and KL Divergence"; Introduction): a teacher MLP
 * that learnt three spirals (data no linear model can separate) from plenty of labels, and small
 * student MLPs: one trained on a few labels, others on the teacher's soft targets (KLDistill) for
 * unlabelled inputs at several temperatures, each with and without the T^2 factor. The soft targets
 * carry what the teacher knows, so the distilled students agree with it far more often; without T^2
 * the soft term's gradient shrinks like 1 / T^2 and a hot student barely learns.
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

    /** A student MLP trained with KLDistill (alpha = 1: the teacher's soft targets only) at temperature T and step size lr. */
    static Mlp distilled(Classifier teacher, Dataset transfer, double t, double lr, int epochs, long seed) {
        Mlp st = new Mlp(2, new int[] {16}, 3, Activation.TANH, Init.heNormal(seed), DataType.FLOAT);
        new Trainer(Trainer.Config.of(epochs, 128, lr, seed).withLoss(Loss.distillation(teacher, t, 1.0))).fit(st, transfer, null);
        return st;
    }

    /** Distillation made the student agree with the teacher more than hard labels did (tests pass the hard student's agreement). */
    static Notebook.Claim agreementClaim(double distilledAgreement, double hardAgreement) {
        return new Notebook.Claim("the distilled student (T = 4) agrees with the teacher more often than the hard-label one",
                distilledAgreement > hardAgreement + 0.02, Notebook.num(distilledAgreement) + " vs " + Notebook.num(hardAgreement));
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Knowledge distillation", s);
        nb.equation("L = T^2 \\operatorname{KL} \\left( \\operatorname{softmax}(t / T) \\| \\operatorname{softmax}(s / T)"
                + " \\right), \\qquad \\frac{\\partial L}{\\partial s} = T (p_T - q_T)",
                "distillation's loss; the T^2 keeps its gradient's scale as T grows (theory: Soft Targets and KL Divergence)");
        Dataset all = Synthetic.spirals(s.quick() ? 1200 : 3000, 3, 0.2, s.seed());
        Split split = Split.stratified(all, 0.3, s.seed());
        Dataset big = split.train();
        Dataset test = split.test();
        Dataset small = Split.stratified(big, 1 - 60.0 / big.size(), s.seed() + 1).train(); // ~60 labelled samples
        nb.text("Three interleaved spirals in 2-D: no linear classifier separates them, so the teacher knows something"
                + " a student must learn. Teacher: MLP 2-64-64-3 (tanh) on %d labelled samples. Students: MLP 2-16-3,"
                + " either on %d labelled samples (hard labels) or on the teacher's soft targets for the %d inputs of the"
                + " teacher's set, without their labels (KLDistill, alpha = 1: a transfer set). Test: %d samples.",
                big.size(), small.size(), big.size(), test.size());
        Mlp teacher = new Mlp(2, new int[] {64, 64}, 3, Activation.TANH, Init.heNormal(s.seed()), DataType.FLOAT);
        new Trainer(Trainer.Config.of(s.quick() ? 150 : 300, 32, 0.1, s.seed())).fit(teacher, big, null);
        double teacherAcc = teacher.evaluate(test).accuracy();
        int epochs = s.quick() ? 120 : 300;
        Mlp hard = new Mlp(2, new int[] {16}, 3, Activation.TANH, Init.heNormal(s.seed()), DataType.FLOAT);
        new Trainer(Trainer.Config.of(epochs * 10, small.size(), 0.5, s.seed())).fit(hard, small, null);
        double hardAcc = hard.evaluate(test).accuracy();
        double hardAgree = agreement(hard, teacher, test.features());

        nb.section("Students, with and without the T^2 factor");
        nb.text("KLDistill multiplies the KL term by T^2 because the soft term's gradient shrinks like 1 / T^2. To see what"
                + " the factor does, each T is trained twice: with it, and without it, which for alpha = 1 is exactly the"
                + " same run at learning rate lr / T^2.");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("hard labels", "-", "-", Notebook.num(hardAcc), Notebook.num(hardAgree)));
        double[] temps = s.quick() ? new double[] {1, 4, 8} : new double[] {1, 2, 4, 8};
        int at4 = temps.length - 2;
        int at8 = temps.length - 1;
        double[] with = new double[temps.length];
        double[] without = new double[temps.length];
        double accAt4 = 0;
        for (int i = 0; i < temps.length; i++) {
            double t = temps[i];
            Mlp a = distilled(teacher, big, t, 0.5, epochs, s.seed());
            Mlp b = distilled(teacher, big, t, 0.5 / (t * t), epochs, s.seed());
            with[i] = agreement(a, teacher, test.features());
            without[i] = agreement(b, teacher, test.features());
            accAt4 = t == 4 ? a.evaluate(test).accuracy() : accAt4;
            rows.add(List.of("KLDistill", Notebook.num(t), "T^2 KL", Notebook.num(a.evaluate(test).accuracy()), Notebook.num(with[i])));
            rows.add(List.of("KLDistill", Notebook.num(t), "KL (no T^2)", Notebook.num(b.evaluate(test).accuracy()),
                    Notebook.num(without[i])));
        }
        nb.table(List.of("student", "T", "soft term", "test accuracy", "agreement with teacher"), rows);
        nb.text("teacher test accuracy %s", Notebook.num(teacherAcc));
        XYChart c = Plots.chart("Students' agreement with the teacher (test set)", "temperature T", "agreement (fraction)",
                false, false);
        Plots.line(c, "T^2 KL (KLDistill)", temps, with);
        Plots.line(c, "KL without T^2 (lr / T^2)", temps, without);
        Plots.dashed(c, "hard-label student", new double[] {1, 8}, new double[] {hardAgree, hardAgree});
        nb.figure("agreement-vs-t.png", c);

        nb.section("Claims");
        nb.claim("the teacher beats the hard-label student: the spirals need more than 60 labels", teacherAcc > hardAcc + 0.05,
                Notebook.num(teacherAcc) + " vs " + Notebook.num(hardAcc));
        nb.claim(agreementClaim(with[at4], hardAgree));
        nb.claim("the distilled student (T = 4) is also more accurate than the hard-label one", accAt4 > hardAcc,
                Notebook.num(accAt4) + " vs " + Notebook.num(hardAcc));
        nb.claim("without T^2 the high-temperature student learns far less in the same steps (T = 8)",
                without[at8] < with[at8] - 0.05, "agreement " + Notebook.num(without[at8]) + " without vs " + Notebook.num(with[at8])
                + " with");
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new DistillationExample(), args);
    }
}
