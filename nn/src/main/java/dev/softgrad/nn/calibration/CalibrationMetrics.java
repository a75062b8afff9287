package dev.softgrad.nn.calibration;

import dev.softgrad.core.Autograd;
import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Quality and calibration metrics of a classifier's predicted probabilities against integer labels.
 *
 * <p>Every method takes {@code probabilities [N, K]} (float32 or float64, rows in [0, 1] summing to 1
 * within 1e-3, K &gt;= 2) and {@code labels} (N ints in [0, K)), and accumulates in float64. Bad input
 * (lengths that differ, a single class, NaN, rows that are not distributions, e.g. logits passed by
 * mistake) throws {@link IllegalArgumentException} naming the argument. The prediction of a row is
 * its first maximal entry, its confidence that entry's probability. Binned errors use
 * {@link #DEFAULT_BINS} = 15 equal-width bins ((m-1)/M, m/M] unless told otherwise; see
 * {@link ReliabilityBins} for the exact bin rule and how it differs from torchmetrics on bin edges.
 *
 * <p>When the logits are at hand, prefer {@link #summaryFromLogits}: it computes the probabilities,
 * the confidences and the NLL in float64 through the stable log-softmax, so a true-class
 * probability that underflows to 0 in a float32 softmax (which makes the NLL +inf though every
 * logit is finite) does not. A summary built from probabilities counts the rows whose label has
 * probability 0 ({@link Summary#zeroTrueClassProbabilities()}).
 *
 * <pre>{@code
 * INDArray p = TemperatureScaling.probabilities(logits, t);
 * double ece = CalibrationMetrics.ece(p, labels);          // 15 bins, L1, top-label
 * Summary s = CalibrationMetrics.summaryFromLogits(model.logits(x), labels, CalibrationMetrics.DEFAULT_BINS);
 * }</pre>
 */
public final class CalibrationMetrics {

    /** Number of equal-width bins used when none is given, as in Guo et al. (2017). */
    public static final int DEFAULT_BINS = 15;

    private CalibrationMetrics() {
    }

    /**
     * All metrics at once.
     *
     * @param accuracy     fraction of rows whose prediction equals the label
     * @param nll          mean negative log-likelihood of the labels (+inf if a label has probability 0)
     * @param brier        mean over rows of sum_k (p_ik - [k == y_i])^2, in [0, 2]
     * @param ece          top-label ECE, equal-width bins, L1
     * @param mce          top-label maximum calibration error, equal-width bins
     * @param rms          top-label RMS calibration error, equal-width bins, L2
     * @param adaptiveEce  top-label ECE with equal-mass bins, L1
     * @param classwiseEce classwise ECE (mean over classes of each class's ECE)
     * @param zeroTrueClassProbabilities rows whose label has probability exactly 0; each makes
     *                     {@code nll} +inf. From a float32 softmax this is usually an underflow, not
     *                     the model's answer: use {@link #summaryFromLogits}
     */
    public record Summary(double accuracy, double nll, double brier, double ece, double mce, double rms,
                          double adaptiveEce, double classwiseEce, int zeroTrueClassProbabilities) {
    }

    /** Every metric with the given number of bins. */
    public static Summary summary(INDArray probabilities, int[] labels, int numBins) {
        String where = "CalibrationMetrics.summary";
        Inputs.checkBins(where, numBins);
        Inputs.Matrix p = Inputs.probabilities(where, probabilities, labels);
        int zeros = 0;
        for (int i = 0; i < p.rows(); i++) {
            if (p.get(i, labels[i]) == 0) {
                zeros++;
            }
        }
        return summary(p, labels, numBins, nll(p, labels), zeros);
    }

    /**
     * Every metric from logits [N, K] (finite or -inf, at least one finite entry per row): the
     * log-probabilities come from core's stable log-softmax in float64, the NLL is their mean at the
     * labels (finite whenever the labels' logits are), and the probabilities the other metrics bin
     * are their exponentials, in float64.
     */
    public static Summary summaryFromLogits(INDArray logits, int[] labels, int numBins) {
        String where = "CalibrationMetrics.summaryFromLogits";
        Inputs.checkBins(where, numBins);
        Inputs.Matrix z = Inputs.logits(where, logits, labels, false);
        double[] logP;
        try (Autograd.Scope s = Autograd.noGrad()) {
            INDArray z64 = Nd4j.create(z.values(), new long[] {z.rows(), z.cols()}, DataType.DOUBLE);
            logP = Losses.logSoftmax(Tensor.constant(z64), 1.0).value().dup('c').data().asDouble();
        }
        double[] p = new double[logP.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logP[i]);
        }
        double nll = 0;
        int zeros = 0;
        for (int i = 0; i < z.rows(); i++) {
            double lp = logP[i * z.cols() + labels[i]];
            nll -= lp;
            if (lp == Double.NEGATIVE_INFINITY) {
                zeros++;
            }
        }
        return summary(new Inputs.Matrix(p, z.rows(), z.cols()), labels, numBins, nll / z.rows(), zeros);
    }

    /** The metrics of probabilities p with an NLL computed by the caller (from logits where it had them). */
    static Summary summary(Inputs.Matrix p, int[] labels, int numBins, double nll, int zeros) {
        ReliabilityBins width = ReliabilityBins.topLabel(p, labels, numBins, ReliabilityBins.Binning.EQUAL_WIDTH);
        ReliabilityBins mass = ReliabilityBins.topLabel(p, labels, numBins, ReliabilityBins.Binning.EQUAL_MASS);
        return new Summary(accuracy(p, labels), nll, brier(p, labels), width.ece(), width.mce(), width.rms(),
                mass.ece(), classwiseEce(p, labels, numBins), zeros);
    }

    /** Fraction of rows whose first maximal probability is at the label. */
    public static double accuracy(INDArray probabilities, int[] labels) {
        return accuracy(Inputs.probabilities("CalibrationMetrics.accuracy", probabilities, labels), labels);
    }

    static double accuracy(Inputs.Matrix p, int[] labels) {
        int correct = 0;
        for (int i = 0; i < p.rows(); i++) {
            if (Inputs.argmax(p, i) == labels[i]) {
                correct++;
            }
        }
        return correct / (double) p.rows();
    }

    /**
     * Mean negative log-likelihood, -(1/N) sum_i log p_i,y_i. A label predicted with probability 0
     * makes it +inf (the exact value; from logits, {@link TemperatureScaling#nll} avoids the underflow
     * of p to 0 that a probability array may already contain).
     */
    public static double nll(INDArray probabilities, int[] labels) {
        return nll(Inputs.probabilities("CalibrationMetrics.nll", probabilities, labels), labels);
    }

    static double nll(Inputs.Matrix p, int[] labels) {
        double sum = 0;
        for (int i = 0; i < p.rows(); i++) {
            sum -= Math.log(p.get(i, labels[i]));
        }
        return sum / p.rows();
    }

    /** Brier score (Brier, 1950; all classes): (1/N) sum_i sum_k (p_ik - [k == y_i])^2, in [0, 2]. */
    public static double brier(INDArray probabilities, int[] labels) {
        return brier(Inputs.probabilities("CalibrationMetrics.brier", probabilities, labels), labels);
    }

    static double brier(Inputs.Matrix p, int[] labels) {
        double sum = 0;
        for (int i = 0; i < p.rows(); i++) {
            for (int k = 0; k < p.cols(); k++) {
                double d = p.get(i, k) - (k == labels[i] ? 1 : 0);
                sum += d * d;
            }
        }
        return sum / p.rows();
    }

    /** Top-label expected calibration error with {@link #DEFAULT_BINS} equal-width bins (L1). */
    public static double ece(INDArray probabilities, int[] labels) {
        return ece(probabilities, labels, DEFAULT_BINS);
    }

    /** Top-label expected calibration error with {@code numBins} equal-width bins (L1). */
    public static double ece(INDArray probabilities, int[] labels, int numBins) {
        return ReliabilityBins.topLabel(probabilities, labels, numBins, ReliabilityBins.Binning.EQUAL_WIDTH).ece();
    }

    /** Top-label maximum calibration error with {@link #DEFAULT_BINS} equal-width bins. */
    public static double mce(INDArray probabilities, int[] labels) {
        return mce(probabilities, labels, DEFAULT_BINS);
    }

    /** Top-label maximum calibration error with {@code numBins} equal-width bins. */
    public static double mce(INDArray probabilities, int[] labels, int numBins) {
        return ReliabilityBins.topLabel(probabilities, labels, numBins, ReliabilityBins.Binning.EQUAL_WIDTH).mce();
    }

    /** Top-label RMS (L2) calibration error with {@link #DEFAULT_BINS} equal-width bins. */
    public static double rmsCalibrationError(INDArray probabilities, int[] labels) {
        return rmsCalibrationError(probabilities, labels, DEFAULT_BINS);
    }

    /** Top-label RMS (L2) calibration error with {@code numBins} equal-width bins. */
    public static double rmsCalibrationError(INDArray probabilities, int[] labels, int numBins) {
        return ReliabilityBins.topLabel(probabilities, labels, numBins, ReliabilityBins.Binning.EQUAL_WIDTH).rms();
    }

    /** Top-label ECE with {@link #DEFAULT_BINS} equal-mass (adaptive) bins. */
    public static double adaptiveEce(INDArray probabilities, int[] labels) {
        return adaptiveEce(probabilities, labels, DEFAULT_BINS);
    }

    /** Top-label ECE with {@code numBins} equal-mass (adaptive) bins; see {@link ReliabilityBins}. */
    public static double adaptiveEce(INDArray probabilities, int[] labels, int numBins) {
        return ReliabilityBins.topLabel(probabilities, labels, numBins, ReliabilityBins.Binning.EQUAL_MASS).ece();
    }

    /** Classwise ECE with {@link #DEFAULT_BINS} equal-width bins. */
    public static double classwiseEce(INDArray probabilities, int[] labels) {
        return classwiseEce(probabilities, labels, DEFAULT_BINS);
    }

    /**
     * Classwise ECE (Kull et al., 2019): (1/K) sum_k sum_m (|B_mk| / N) |acc_mk - conf_mk|, where for
     * each class k every row i is binned by p_ik (equal-width bins, a 0 in the first bin), conf_mk is
     * the mean p_ik of the bin and acc_mk the fraction of its rows labelled k.
     */
    public static double classwiseEce(INDArray probabilities, int[] labels, int numBins) {
        String where = "CalibrationMetrics.classwiseEce";
        Inputs.checkBins(where, numBins);
        return classwiseEce(Inputs.probabilities(where, probabilities, labels), labels, numBins);
    }

    static double classwiseEce(Inputs.Matrix p, int[] labels, int numBins) {
        double sum = 0;
        for (int k = 0; k < p.cols(); k++) {
            sum += ReliabilityBins.ofClass(p, labels, k, numBins).ece();
        }
        return sum / p.cols();
    }
}
