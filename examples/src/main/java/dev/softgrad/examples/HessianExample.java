package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Losses;
import dev.softgrad.core.SoftmaxCrossEntropy;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Synthetic;
import dev.softgrad.nn.Activation;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.Mlp;
import dev.softgrad.nn.Trainer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Hessian of cross-entropy with respect to the logits is diag(p) - p p^T (softmax.md,
 * "Second-Order Information"), checked against finite differences of autograd's gradient: the
 * Jacobian of softmax, whatever the label. Positive
 * semi-definite (the loss is convex in the logits), with exactly one zero eigenvalue, along the
 * all-ones vector (adding a constant to every logit changes nothing), and no eigenvalue above 1/2.
 * Convex in the logits, but not in an MLP's weights.
 */
public final class HessianExample implements Example {

    @Override
    public String name() {
        return "hessian";
    }

    @Override
    public String summary() {
        return "diag(p) - p p^T: eigenvalues, positive semi-definiteness, the all-ones null space, convexity on lines";
    }

    /** Column j: central differences of autograd's gradient of the loss with the given label, at z. */
    static double[][] differencesOfGradient(double[] z, int label) {
        return Lessons.jacobianByDifferences(x -> gradient(x, label), z, 1e-5);
    }

    static double[][] softmaxJacobian(double[] z) {
        return Lessons.jacobianByDifferences(x -> Losses.softmax(Tensor.fromRows(new double[][] {x}, DataType.DOUBLE), 1.0)
                .value().toDoubleVector(), z, 1e-5);
    }

    static double[] gradient(double[] z, int label) {
        Tensor t = Tensor.parameter(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE).value());
        Losses.crossEntropy(t, new int[] {label}).backward();
        return t.grad().toDoubleVector();
    }

    /** A Hessian at z against central differences of autograd's gradient (tests pass the Hessian of another p). */
    static Notebook.Claim hessianClaim(double[][] hessian, double[] z) {
        double gap = Lessons.maxAbsDiff(hessian, differencesOfGradient(z, 0));
        return new Notebook.Claim("diag(p) - p p^T equals central differences of autograd's gradient", gap < 1e-8,
                "max difference " + Notebook.num(gap) + " over " + z.length + " x " + z.length + " entries");
    }

    /** The MLP's mean loss at 21 points on the segment from its weights to those with hidden units 0 and 1 swapped. */
    static double[] permutationPath(Mlp mlp, Dataset data) {
        INDArray w1 = mlp.layers().get(0).weight().value();
        INDArray b1 = mlp.layers().get(0).bias().value();
        INDArray w2 = mlp.layers().get(1).weight().value();
        INDArray[] start = {w1.dup(), b1.dup(), w2.dup()};
        INDArray[] swapped = {w1.dup(), b1.dup(), w2.dup()};
        swapped[0].putColumn(0, start[0].getColumn(1).dup());
        swapped[0].putColumn(1, start[0].getColumn(0).dup());
        swapped[1].putScalar(0, start[1].getDouble(1));
        swapped[1].putScalar(1, start[1].getDouble(0));
        swapped[2].putRow(0, start[2].getRow(1).dup());
        swapped[2].putRow(1, start[2].getRow(0).dup());
        INDArray[] live = {w1, b1, w2};
        double[] loss = new double[21];
        for (int i = 0; i < loss.length; i++) {
            double t = i / 20.0;
            for (int a = 0; a < live.length; a++) {
                live[a].assign(start[a].mul(1 - t).addi(swapped[a].mul(t)));
            }
            loss[i] = mlp.evaluate(data).loss();
        }
        for (int a = 0; a < live.length; a++) {
            live[a].assign(start[a]);
        }
        return loss;
    }

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "The Hessian diag(p) - p p^T", s);
        nb.equation("H = \\frac{\\partial^2 L}{\\partial z \\partial z^\\top} = \\operatorname{diag}(p) - p p^\\top \\succeq"
                + " 0",
                "the Hessian of cross-entropy in the logits: the Jacobian of softmax, positive semi-definite (theory:"
                + " Second-Order Information: The Hessian Matrix)");
        SplittableRandom rnd = new SplittableRandom(s.seed());
        int trials = s.quick() ? 20 : 200;
        double minEig = Double.POSITIVE_INFINITY;
        double maxEig = 0;
        int zeroCounts = 0;
        double worstNull = 0;
        double[] exampleEigs = null;
        for (int t = 0; t < trials; t++) {
            int k = 2 + rnd.nextInt(9);
            double[] z = new double[k];
            for (int j = 0; j < k; j++) {
                z[j] = rnd.nextGaussian() * 2;
            }
            double[][] h = SoftmaxCrossEntropy.hessian(z, 1.0);
            INDArray m = Nd4j.createFromArray(h);
            double[] eig = Eigen.symmetricGeneralizedEigenvalues(m, false).toDoubleVector();
            Arrays.sort(eig);
            minEig = Math.min(minEig, eig[0]);
            maxEig = Math.max(maxEig, eig[k - 1]);
            int zeros = 0;
            for (double e : eig) {
                zeros += Math.abs(e) < 1e-12 ? 1 : 0;
            }
            zeroCounts += zeros == 1 ? 1 : 0;
            double[] ones = Lessons.fill(k, 1);
            for (double v : SoftmaxCrossEntropy.hessianVectorProduct(z, 1.0, ones)) {
                worstNull = Math.max(worstNull, Math.abs(v));
            }
            if (k == 5 && exampleEigs == null) {
                exampleEigs = eig;
                nb.text("K = 5, z = %s: eigenvalues %s", Lessons.nums(z),
                        Lessons.nums(eig));
            }
        }
        nb.section("Claims over " + trials + " random logit vectors (K from 2 to 10, eigenvalues by LAPACK)");
        nb.claim("every eigenvalue is >= 0: the Hessian is positive semi-definite", minEig > -1e-14,
                "smallest " + Notebook.num(minEig));
        nb.claim("exactly one eigenvalue is 0", zeroCounts == trials, zeroCounts + " of " + trials + " matrices");
        nb.claim("H 1 = 0: the all-ones direction is the null space", worstNull < 1e-15,
                "max |H 1| = " + Notebook.num(worstNull));
        nb.claim("no eigenvalue exceeds 1/2", maxEig <= 0.5 + 1e-12, "largest " + Notebook.num(maxEig));

        nb.section("The closed form against finite differences of autograd's gradient");
        double[] zc = new double[5];
        for (int j = 0; j < zc.length; j++) {
            zc[j] = rnd.nextGaussian() * 2;
        }
        nb.text("At z = %s: column j of the Hessian is (grad L(z + h e_j) - grad L(z - h e_j)) / 2h, the gradient taken"
                + " by autograd through the fused cross-entropy node.", Lessons.nums(zc));
        double[][] closed = SoftmaxCrossEntropy.hessian(zc, 1.0);
        nb.claim(hessianClaim(closed, zc));
        double labelGap = Lessons.maxAbsDiff(differencesOfGradient(zc, 0), differencesOfGradient(zc, zc.length - 1));
        nb.claim("the Hessian does not depend on the label (labels 0 and K - 1 give the same differences)",
                labelGap < 1e-8, "max difference " + Notebook.num(labelGap));
        double jacobianGap = Lessons.maxAbsDiff(closed, softmaxJacobian(zc));
        nb.claim("it equals the Jacobian dp_i/dz_j of softmax (central differences of softgrad's softmax)",
                jacobianGap < 1e-8, "max difference " + Notebook.num(jacobianGap));

        nb.section("Convexity along random lines");
        int k = 6;
        double[] z = new double[k];
        for (int j = 0; j < k; j++) {
            z[j] = rnd.nextGaussian();
        }
        int pts = 81;
        XYChart c = Plots.chart("Cross-entropy along random lines z + t d", "t", "loss", false, false);
        boolean convex = true;
        for (int line = 0; line < 4; line++) {
            double[] d = new double[k];
            for (int j = 0; j < k; j++) {
                d[j] = rnd.nextGaussian();
            }
            double[] ts = new double[pts];
            double[] ls = new double[pts];
            for (int i = 0; i < pts; i++) {
                ts[i] = -4 + 8.0 * i / (pts - 1);
                double[] zz = new double[k];
                for (int j = 0; j < k; j++) {
                    zz[j] = z[j] + ts[i] * d[j];
                }
                ls[i] = Losses.crossEntropy(Tensor.fromRows(new double[][] {zz}, DataType.DOUBLE), new int[] {0}).item();
            }
            for (int i = 1; i < pts - 1; i++) {
                convex &= ls[i - 1] - 2 * ls[i] + ls[i + 1] >= -1e-12;
            }
            Plots.line(c, "direction " + (line + 1), ts, ls);
        }
        nb.claim("the loss is convex along every line (second differences >= 0)", convex, "4 lines, " + pts + " points each");
        nb.figure("convex-lines.png", c);

        nb.section("Convex in the logits, not in an MLP's weights");
        nb.text("softmax.md's convexity holds in the logits z \"for a fixed input\". A network's logits are not linear in"
                + " its weights: swapping two hidden units gives the same function and the same loss, but the midpoint"
                + " between the two weight vectors averages the units. A convex loss could not be higher there.");
        Dataset xor = Synthetic.xor(200, 0.2, s.seed(), DataType.DOUBLE);
        Mlp mlp = new Mlp(2, new int[] {8}, 2, Activation.TANH, Init.heNormal(s.seed()), DataType.DOUBLE);
        new Trainer(Trainer.Config.of(s.quick() ? 150 : 400, xor.size(), 0.5, s.seed())).fit(mlp, xor, null);
        double[] path = permutationPath(mlp, xor);
        double[] ts = new double[path.length];
        Arrays.setAll(ts, i -> i / (path.length - 1.0));
        XYChart pc = Plots.chart("MLP loss from W to W with hidden units 0, 1 swapped", "t (W_t = (1 - t) W"
                + " + t W_swapped)", "mean cross-entropy (nats)", false, false);
        Plots.line(pc, "loss along the segment", ts, path);
        Plots.dashed(pc, "chord (what convexity would bound it by)", new double[] {0, 1},
                new double[] {path[0], path[path.length - 1]});
        nb.figure("mlp-not-convex.png", pc);
        double mid = path[path.length / 2];
        nb.claim("the MLP's loss is not convex in its weights: at the midpoint it is above both equal ends",
                mid > path[0] + 1e-3 && Math.abs(path[0] - path[path.length - 1]) < 1e-12,
                "ends " + Notebook.num(path[0]) + " and " + Notebook.num(path[path.length - 1]) + ", midpoint " + Notebook.num(mid));
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new HessianExample(), args);
    }
}
