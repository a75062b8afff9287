package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Arena;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import dev.softgrad.nn.Sgd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax policies: a K-armed bandit with Gaussian rewards learned by REINFORCE. The policy is
 * pi = softmax(h / tau) over preferences h; the gradient of log pi(a) is (e_a - pi) / tau (checked
 * against autograd through {@link Losses#logSoftmax}), and its mean under pi is zero, so a reward
 * baseline leaves the gradient estimate unbiased while cutting its variance. Training with autograd
 * and an optimiser equals the closed-form update step for step; the policy converges to the best arm;
 * the temperature is the exploration knob: higher tau keeps the policy's entropy higher for longer.
 */
public final class BanditExample implements Example {

    @Override
    public String name() {
        return "bandit";
    }

    @Override
    public String summary() {
        return "a multi-armed bandit learned by policy gradient: grad log pi(a) = e_a - pi, baselines, temperature as exploration";
    }

    private static final double LR = 0.1;

    @Override
    public Notebook.Result run(Settings s) {
        Notebook nb = Notebook.open(name(), "Softmax policies: a bandit learned by policy gradient", s);
        Random rnd = new Random(s.seed());
        int k = 5;
        List<Double> shuffled = new ArrayList<>(List.of(1.0, 1.25, 1.5, 1.75, 2.0));
        Collections.shuffle(shuffled, rnd); // seeded, so the best arm's place depends on the seed
        double[] means = shuffled.stream().mapToDouble(Double::doubleValue).toArray();
        int best = argmax(means);
        nb.text("%d arms, reward of arm a ~ N(mu_a, 1), mu = %s: the best arm is %d. Policy pi = softmax(h / tau).", k,
                Arrays.toString(means), best);

        nb.section("The score function: grad_h log pi(a) = (e_a - pi) / tau");
        double tau0 = 0.7;
        Tensor h = Tensor.parameter(Nd4j.createFromArray(new double[][] {AttentionExample.gaussian(rnd, 1, k)[0]}));
        double[] pi = Losses.softmax(h, tau0).value().toDoubleVector();
        double worst = 0;
        double[] meanScore = new double[k];
        for (int a = 0; a < k; a++) {
            h.zeroGrad();
            Losses.logSoftmax(h, tau0).mul(Tensor.fromRows(new double[][] {oneHot(k, a, 1)}, DataType.DOUBLE)).sum().backward();
            double[] g = h.grad().toDoubleVector();
            for (int j = 0; j < k; j++) {
                worst = Math.max(worst, Math.abs(g[j] - ((j == a ? 1 : 0) - pi[j]) / tau0));
                meanScore[j] += pi[a] * g[j];
            }
        }
        nb.claim("autograd's gradient of log pi(a) equals (e_a - pi) / tau for every arm", worst < 1e-12,
                "max |diff| = " + Notebook.num(worst) + " at tau = " + tau0);
        double meanNorm = Math.sqrt(Arrays.stream(meanScore).map(x -> x * x).sum());
        nb.claim("the score has mean zero under the policy: sum_a pi(a) grad log pi(a) = 0", meanNorm < 1e-12,
                "|mean| = " + Notebook.num(meanNorm));

        nb.section("A baseline keeps the estimate unbiased and cuts its variance");
        int samples = s.quick() ? 4000 : 40000;
        double expected = 0;
        for (int a = 0; a < k; a++) {
            expected += pi[a] * means[a];
        }
        nb.text("At the policy above, %d sampled (arm, reward) pairs give single-sample estimates (r - b) grad log pi(a) "
                + "with b = 0 and with b = E[r] = %s.", samples, Notebook.num(expected));
        double[][] moments = new double[2][2 * k]; // [no baseline, baseline] x [sum, sum of squares]
        for (int n = 0; n < samples; n++) {
            int a = sample(pi, rnd);
            double r = means[a] + rnd.nextGaussian();
            for (int v = 0; v < 2; v++) {
                double adv = r - (v == 0 ? 0 : expected);
                for (int j = 0; j < k; j++) {
                    double g = adv * ((j == a ? 1 : 0) - pi[j]) / tau0;
                    moments[v][j] += g / samples;
                    moments[v][k + j] += g * g / samples;
                }
            }
        }
        double var0 = 0;
        double var1 = 0;
        double worstBias = 0;
        for (int j = 0; j < k; j++) {
            double v0 = moments[0][k + j] - moments[0][j] * moments[0][j];
            var0 += v0;
            var1 += moments[1][k + j] - moments[1][j] * moments[1][j];
            worstBias = Math.max(worstBias, Math.abs(moments[0][j] - moments[1][j]) / Math.sqrt(v0 / samples));
        }
        nb.claim("with and without the baseline b = E[r] the estimates agree (difference within 4 standard errors)",
                worstBias < 4, "max |difference| / SE = " + Notebook.num(worstBias) + " over " + samples + " samples");
        nb.claim("the baseline cuts the total variance of the estimate at least 2-fold", var1 < var0 / 2,
                "trace of the covariance: " + Notebook.num(var0) + " without, " + Notebook.num(var1) + " with");

        nb.section("REINFORCE: autograd and an optimiser, or the closed form, step for step");
        int checked = s.quick() ? 200 : 2000;
        Tensor prefs = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, 1, k));
        Sgd sgd = new Sgd(List.of(prefs), Sgd.Config.plain(LR));
        Arena arena = new Arena();
        Random env = new Random(s.seed() + 1);
        double baseline = 0;
        for (int t = 0; t < checked; t++) {
            try (Arena.Scope scope = arena.open()) {
                Tensor logPi = Losses.logSoftmax(prefs, 1.0);
                int a = sample(Losses.softmax(prefs, 1.0).value().toDoubleVector(), env);
                double r = means[a] + env.nextGaussian();
                baseline += (r - baseline) / (t + 1);
                Tensor objective = logPi.mul(Tensor.fromRows(new double[][] {oneHot(k, a, -(r - baseline))}, DataType.DOUBLE)).sum();
                sgd.zeroGrad();
                objective.backward();
                sgd.step();
            }
        }
        Run closed = reinforce(means, 1.0, checked, new Random(s.seed() + 1));
        double gap = SoftmaxRegressionExample.maxAbsDiff(prefs.value().toDoubleMatrix(), new double[][] {closed.h});
        nb.claim("autograd + SGD on -(r - b) log pi(a) gives the closed-form preferences h += lr (r - b)(e_a - pi)/tau",
                gap < 1e-9, "max |diff| after " + checked + " steps = " + Notebook.num(gap));

        nb.section("Temperature is the exploration knob");
        double[] taus = {0.5, 1, 2, 4};
        int steps = s.quick() ? 600 : 2000;
        int runs = s.quick() ? 20 : 200;
        double[] stepAxis = new double[steps];
        Arrays.setAll(stepAxis, t -> t + 1);
        XYChart rc = Plots.chart("Reward (mean over " + runs + " runs, moving average of 50 steps)", "step", "reward", false, false);
        XYChart ec = Plots.chart("Policy entropy (mean over " + runs + " runs)", "step", "entropy (nats)", false, false);
        List<List<String>> rows = new ArrayList<>();
        double[] meanEntropy = new double[taus.length];
        double[] finalBest = new double[taus.length];
        double[] lateReward = new double[taus.length];
        double[] wrong = new double[taus.length];
        for (int c = 0; c < taus.length; c++) {
            double[] reward = new double[steps];
            double[] entropy = new double[steps];
            for (int run = 0; run < runs; run++) {
                Run one = reinforce(means, taus[c], steps, new Random(s.seed() * 1000 + run));
                for (int t = 0; t < steps; t++) {
                    reward[t] += one.reward[t] / runs;
                    entropy[t] += one.entropy[t] / runs;
                }
                finalBest[c] += one.pi[best] / runs;
                wrong[c] += argmax(one.pi) != best ? 1.0 / runs : 0;
            }
            meanEntropy[c] = Arrays.stream(entropy).average().orElseThrow();
            lateReward[c] = Arrays.stream(reward, steps - steps / 10, steps).average().orElseThrow();
            Plots.line(rc, "tau = " + taus[c], stepAxis, smooth(reward, 50));
            Plots.line(ec, "tau = " + taus[c], stepAxis, entropy);
            rows.add(List.of(Notebook.num(taus[c]), Notebook.num(meanEntropy[c]), Notebook.num(finalBest[c]),
                    Notebook.num(lateReward[c]), Notebook.num(wrong[c])));
        }
        nb.text("Each run starts from h = 0 (uniform policy), lr = %s, %d steps, baseline = running mean reward.",
                Notebook.num(LR), steps);
        nb.table(List.of("tau", "mean entropy", "final pi(best)", "reward, last 10 %", "share of runs ending on a wrong arm"), rows);
        nb.text("The coldest policy commits fastest, at the risk of locking onto a wrong arm early; the hottest "
                + "keeps exploring and has not committed by the end.");
        boolean hotter = true;
        for (int c = 1; c < taus.length; c++) {
            hotter &= meanEntropy[c] > meanEntropy[c - 1];
        }
        nb.claim("higher tau keeps the policy's entropy higher (mean over the run rises with tau)", hotter,
                "mean entropy " + Arrays.toString(Arrays.stream(meanEntropy).mapToObj(Notebook::num).toArray()));
        nb.claim("from tau = 1 up, higher tau commits more slowly (final pi(best) falls with tau)",
                finalBest[1] > finalBest[2] && finalBest[2] > finalBest[3],
                "final pi(best) " + Arrays.toString(Arrays.stream(finalBest).mapToObj(Notebook::num).toArray()));
        nb.claim("at tau = 1 REINFORCE converges to the best arm (mean final pi(best) above 0.8)", finalBest[1] > 0.8,
                "pi(best) = " + Notebook.num(finalBest[1]));
        nb.claim("at tau = 1 the late reward is within 0.15 of the best arm's mean", lateReward[1] > means[best] - 0.15,
                Notebook.num(lateReward[1]) + " vs " + Notebook.num(means[best]));
        double[] bestLine = new double[steps];
        Arrays.fill(bestLine, means[best]);
        Plots.line(rc, "best arm's mean", stepAxis, bestLine);
        nb.figure("reward.png", rc);
        nb.figure("entropy.png", ec);
        return nb.finish();
    }

    /** A REINFORCE run with the closed-form gradient: preferences, final policy, rewards and entropies. */
    record Run(double[] h, double[] pi, double[] reward, double[] entropy) {
    }

    static Run reinforce(double[] means, double tau, int steps, Random env) {
        int k = means.length;
        double[] h = new double[k];
        double[] pi = new double[k];
        double[] rewards = new double[steps];
        double[] entropies = new double[steps];
        double baseline = 0;
        for (int t = 0; t < steps; t++) {
            softmax(h, tau, pi);
            entropies[t] = TemperatureExample.entropy(pi);
            int a = sample(pi, env);
            double r = means[a] + env.nextGaussian();
            rewards[t] = r;
            baseline += (r - baseline) / (t + 1);
            for (int j = 0; j < k; j++) {
                h[j] += LR * (r - baseline) * ((j == a ? 1 : 0) - pi[j]) / tau;
            }
        }
        softmax(h, tau, pi);
        return new Run(h, pi, rewards, entropies);
    }

    static void softmax(double[] h, double tau, double[] out) {
        double max = Arrays.stream(h).max().orElseThrow();
        double z = 0;
        for (int j = 0; j < h.length; j++) {
            out[j] = Math.exp((h[j] - max) / tau);
            z += out[j];
        }
        for (int j = 0; j < h.length; j++) {
            out[j] /= z;
        }
    }

    static int sample(double[] p, Random rnd) {
        double u = rnd.nextDouble();
        double c = 0;
        for (int a = 0; a < p.length; a++) {
            c += p[a];
            if (u < c) {
                return a;
            }
        }
        return p.length - 1;
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int a = 1; a < p.length; a++) {
            best = p[a] > p[best] ? a : best;
        }
        return best;
    }

    static double[] oneHot(int k, int a, double value) {
        double[] e = new double[k];
        e[a] = value;
        return e;
    }

    static double[] smooth(double[] y, int window) {
        double[] out = new double[y.length];
        double sum = 0;
        for (int t = 0; t < y.length; t++) {
            sum += y[t] - (t >= window ? y[t - window] : 0);
            out[t] = sum / Math.min(t + 1, window);
        }
        return out;
    }

    /** Runs this example; options as for {@code softgrad run bandit}. */
    public static void main(String[] args) {
        Examples.main(new BanditExample(), args);
    }
}
