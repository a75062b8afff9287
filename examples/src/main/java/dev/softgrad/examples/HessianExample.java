package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Losses;
import dev.softgrad.core.SoftmaxCrossEntropy;
import dev.softgrad.core.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Hessian of cross-entropy with respect to the logits is diag(p) - p p^T: positive
 * semi-definite (the loss is convex in the logits), with exactly one zero eigenvalue, along the
 * all-ones vector (adding a constant to every logit changes nothing), and no eigenvalue above 1/2.
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

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "The Hessian diag(p) - p p^T", s);
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
            double[] ones = new double[k];
            Arrays.fill(ones, 1);
            for (double v : SoftmaxCrossEntropy.hessianVectorProduct(z, 1.0, ones)) {
                worstNull = Math.max(worstNull, Math.abs(v));
            }
            if (k == 5 && exampleEigs == null) {
                exampleEigs = eig;
                nb.text("K = 5, z = %s: eigenvalues %s", Arrays.toString(Arrays.stream(z).mapToObj(Notebook::num).toArray()),
                        Arrays.toString(Arrays.stream(eig).mapToObj(Notebook::num).toArray()));
            }
        }
        nb.section("Claims over " + trials + " random logit vectors (K from 2 to 10, eigenvalues by LAPACK)");
        nb.claim("every eigenvalue is >= 0: the Hessian is positive semi-definite", minEig > -1e-14,
                "smallest " + Notebook.num(minEig));
        nb.claim("exactly one eigenvalue is 0", zeroCounts == trials, zeroCounts + " of " + trials + " matrices");
        nb.claim("H 1 = 0: the all-ones direction is the null space", worstNull < 1e-15,
                "max |H 1| = " + Notebook.num(worstNull));
        nb.claim("no eigenvalue exceeds 1/2", maxEig <= 0.5 + 1e-12, "largest " + Notebook.num(maxEig));

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
        return nb.finish();
    }

    /** Runs this example. */
    public static void main(String[] args) {
        Examples.main(new HessianExample(), args);
    }
}
