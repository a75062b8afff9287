package dev.softgrad.examples;

import dev.softgrad.nn.plot.Plots;
import dev.softgrad.core.Arena;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import dev.softgrad.nn.Sgd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax policies (softmax.md, Introduction: softmax in reinforcement learning policies): a K-armed bandit with Gaussian rewards learned by REINFORCE. The policy is
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
        nb.equation("\\pi(a) = \\frac{e^{h_a / \\tau}}{\\sum_b e^{h_b / \\tau}}, \\qquad \\nabla_h \\ln \\pi(a) ="
                + " \\frac{1}{\\tau} (e_a - \\pi)",
                "a softmax policy and its score function");
        SplittableRandom rnd = new SplittableRandom(s.seed()); // every stream below is split from this one
        int k = 5;
        double[] means = {1.0, 1.25, 1.5, 1.75, 2.0};
        for (int i = k - 1; i > 0; i--) { // Fisher-Yates: the best arm's place depends on the seed
            int j = rnd.nextInt(i + 1);
            double m = means[i];
            means[i] = means[j];
            means[j] = m;
        }
        int best = Lessons.argmax(means);
        nb.text("%d arms, reward of arm a ~ N(mu_a, 1), mu = %s: the best arm is %d. Policy pi = softmax(h / tau).", k,
                Arrays.toString(means), best);

        nb.section("The score function: grad_h log pi(a) = (e_a - pi) / tau");
        double tau0 = 0.7;
        double[] h0 = new double[k];
        Arrays.setAll(h0, j -> rnd.nextGaussian());
        Tensor h = Tensor.parameter(Nd4j.createFromArray(new double[][] {h0}));
        double[] pi = Losses.softmax(h, tau0).value().toDoubleVector();
        double[][] scores = new double[k][];
        double[] meanScore = new double[k];
        for (int a = 0; a < k; a++) {
            h.zeroGrad();
            Losses.logSoftmax(h, tau0).mul(Tensor.fromRows(new double[][] {Lessons.oneHot(k, a, 1)}, DataType.DOUBLE)).sum().backward();
            scores[a] = h.grad().toDoubleVector();
            for (int j = 0; j < k; j++) {
                meanScore[j] += pi[a] * scores[a][j];
            }
        }
        nb.claim(scoreClaim(scores, pi, tau0));
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
            int a = Lessons.sample(pi, rnd);
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
        long envSeed = rnd.nextLong();
        SplittableRandom env = new SplittableRandom(envSeed);
        double baseline = 0;
        for (int t = 0; t < checked; t++) {
            try (Arena.Scope scope = arena.open()) {
                Tensor logPi = Losses.logSoftmax(prefs, 1.0);
                int a = Lessons.sample(Losses.softmax(prefs, 1.0).value().toDoubleVector(), env);
                double r = means[a] + env.nextGaussian();
                baseline += (r - baseline) / (t + 1);
                Tensor objective = logPi.mul(Tensor.fromRows(new double[][] {Lessons.oneHot(k, a, -(r - baseline))}, DataType.DOUBLE)).sum();
                sgd.zeroGrad();
                objective.backward();
                sgd.step();
            }
        }
        Run closed = reinforce(means, 1.0, LR, checked, new SplittableRandom(envSeed));
        double gap = Lessons.maxAbsDiff(prefs.value().toDoubleMatrix(), new double[][] {closed.h});
        nb.claim("autograd + SGD on -(r - b) log pi(a) gives the closed-form preferences h += lr (r - b)(e_a - pi)/tau",
                gap < 1e-9, "max |diff| after " + checked + " steps = " + Notebook.num(gap));

        nb.section("Temperature is the exploration knob");
        double[] taus = {0.5, 1, 2, 4};
        int steps = s.quick() ? 600 : 2000;
        int runs = s.quick() ? 20 : 200;
        double[] stepAxis = new double[steps];
        Arrays.setAll(stepAxis, t -> t);
        XYChart rc = Plots.chart("Reward (mean over " + runs + " runs, moving average of 50 steps)", "step (pulls so far)", "reward (moving average)", false, false);
        XYChart ec = Plots.chart("Policy entropy (mean over " + runs + " runs)", "step (pulls so far)", "entropy (nats)", false, false);
        for (XYChart chart : List.of(rc, ec)) { // round tick steps on a 0..steps axis, no thousands separators
            chart.getStyler().setXAxisMin(0.0).setXAxisMax((double) steps).setXAxisDecimalPattern("0")
                    .setXAxisTickMarkSpacingHint(100);
        }
        List<List<String>> rows = new ArrayList<>();
        double[] meanEntropy = new double[taus.length];
        double[] finalBest = new double[taus.length];
        double[] lateReward = new double[taus.length];
        double[] wrong = new double[taus.length];
        long runsSeed = rnd.nextLong(); // every temperature sees the same runs' streams (common random numbers)
        for (int c = 0; c < taus.length; c++) {
            SplittableRandom runStreams = new SplittableRandom(runsSeed);
            double[] reward = new double[steps];
            double[] entropy = new double[steps];
            for (int run = 0; run < runs; run++) {
                Run one = reinforce(means, taus[c], LR, steps, runStreams.split());
                for (int t = 0; t < steps; t++) {
                    reward[t] += one.reward[t] / runs;
                    entropy[t] += one.entropy[t] / runs;
                }
                finalBest[c] += one.pi[best] / runs;
                wrong[c] += Lessons.argmax(one.pi) != best ? 1.0 / runs : 0;
            }
            meanEntropy[c] = Arrays.stream(entropy).average().orElseThrow();
            lateReward[c] = Arrays.stream(reward, steps - steps / 10, steps).average().orElseThrow();
            Plots.line(rc, "tau = " + taus[c], stepAxis, Lessons.movingAverage(reward, 50));
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
                "mean entropy " + Lessons.nums(meanEntropy));
        nb.claim("from tau = 1 up, higher tau commits more slowly (final pi(best) falls with tau)",
                finalBest[1] > finalBest[2] && finalBest[2] > finalBest[3],
                "final pi(best) " + Lessons.nums(finalBest));
        nb.claim("at tau = 1 REINFORCE converges to the best arm (mean final pi(best) above 0.8)", finalBest[1] > 0.8,
                "pi(best) = " + Notebook.num(finalBest[1]));
        nb.claim("at tau = 1 the late reward is within 0.15 of the best arm's mean", lateReward[1] > means[best] - 0.15,
                Notebook.num(lateReward[1]) + " vs " + Notebook.num(means[best]));
        nb.text("Careful: tau and the step size are not independent here. With theta = h / tau the update reads"
                + " theta += (lr / tau^2) (r - b)(e_a - pi): the runs above differ in their effective step size lr / tau^2 as"
                + " much as in temperature. At equal effective step size (lr = %s tau^2) temperature changes nothing:",
                Notebook.num(LR));
        SplittableRandom same = new SplittableRandom(runsSeed);
        double worstGap = 0;
        for (int run = 0; run < 5; run++) {
            long streamSeed = same.nextLong();
            double[] reference = reinforce(means, 1, LR, steps, new SplittableRandom(streamSeed)).pi;
            for (double tau : taus) {
                double[] other = reinforce(means, tau, LR * tau * tau, steps, new SplittableRandom(streamSeed)).pi;
                worstGap = Math.max(worstGap, Lessons.maxAbsDiff(reference, other));
            }
        }
        nb.claim("at equal effective step size lr = lr0 tau^2 every tau gives the same final policy (same random streams)",
                worstGap < 1e-9, "max |pi_tau - pi_1| = " + Notebook.num(worstGap) + " over 5 runs, tau in "
                + Arrays.toString(taus));
        Plots.line(rc, "best arm's mean", stepAxis, Lessons.fill(steps, means[best]));
        nb.figure("reward.png", rc);
        nb.figure("entropy.png", ec);
        return nb.finish();
    }

    /** Rows of grad_h log pi(a), one per arm a, against (e_a - pi) / tau (tests pass scores off by 1 % or without 1/tau). */
    static Notebook.Claim scoreClaim(double[][] scores, double[] pi, double tau) {
        double worst = 0;
        for (int a = 0; a < scores.length; a++) {
            for (int j = 0; j < pi.length; j++) {
                worst = Math.max(worst, Math.abs(scores[a][j] - ((j == a ? 1 : 0) - pi[j]) / tau));
            }
        }
        return new Notebook.Claim("autograd's gradient of log pi(a) equals (e_a - pi) / tau for every arm", worst < 1e-12,
                "max |diff| = " + Notebook.num(worst) + " at tau = " + tau);
    }

    /** A REINFORCE run with the closed-form gradient: preferences, final policy, rewards and entropies. */
    record Run(double[] h, double[] pi, double[] reward, double[] entropy) {
    }

    static Run reinforce(double[] means, double tau, double lr, int steps, RandomGenerator env) {
        int k = means.length;
        double[] h = new double[k];
        double[] rewards = new double[steps];
        double[] entropies = new double[steps];
        double baseline = 0;
        for (int t = 0; t < steps; t++) {
            double[] pi = Lessons.softmax(h, tau);
            entropies[t] = Lessons.entropy(pi);
            int a = Lessons.sample(pi, env);
            double r = means[a] + env.nextGaussian();
            rewards[t] = r;
            baseline += (r - baseline) / (t + 1);
            for (int j = 0; j < k; j++) {
                h[j] += lr * (r - baseline) * ((j == a ? 1 : 0) - pi[j]) / tau;
            }
        }
        return new Run(h, Lessons.softmax(h, tau), rewards, entropies);
    }

    /** Runs this example; options as for {@code softgrad run bandit}. */
    public static void main(String[] args) {
        Examples.main(new BanditExample(), args);
    }
}
