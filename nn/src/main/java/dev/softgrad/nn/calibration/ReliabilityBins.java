package dev.softgrad.nn.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Confidences grouped into bins, with each bin's count, mean confidence and accuracy: the numbers
 * behind a reliability diagram and behind the binned calibration errors.
 *
 * <p>For N predictions with confidence c_i and outcome a_i (1 if correct, else 0), bin B_m holds
 * {@code |B_m|} of them with accuracy acc(B_m) = mean a_i and confidence conf(B_m) = mean c_i
 * (Guo et al., 2017, section 2). Then
 * <pre>
 *   ECE  = sum_m (|B_m| / N) |acc(B_m) - conf(B_m)|                 (L1; expected calibration error)
 *   RMS  = sqrt( sum_m (|B_m| / N) (acc(B_m) - conf(B_m))^2 )        (L2)
 *   MCE  = max over non-empty m of |acc(B_m) - conf(B_m)|            (maximum calibration error)
 * </pre>
 * Empty bins contribute nothing (their confidence and accuracy are NaN here, null in JSON).
 *
 * <p><b>Equal-width bins</b> ({@link Binning#EQUAL_WIDTH}): bin m (m = 1..M) is the interval
 * ((m-1)/M, m/M], closed on the right, exactly as Guo et al. (2017) define I_m and as their
 * reference code computes it ({@code conf > lower and conf <= upper}). Edges are the doubles
 * {@code m / (double) M}; a confidence is compared with them as a double, so a confidence equal to
 * an edge goes to the bin <em>below</em> the edge. The first bin also holds a confidence of 0 (only
 * possible for classwise bins), and a confidence above 1 (rounding) goes to the last bin.
 * torchmetrics ({@code binary/multiclass_calibration_error}) differs only on the edges: it
 * bucketises with {@code torch.bucketize(conf, edges, right=True) - 1}, i.e. bins [lo, hi), and
 * puts a confidence exactly on an edge in the bin <em>above</em> (its edges are
 * {@code torch.linspace(0, 1, M + 1)} in float32). Example, M = 10, two top-label predictions,
 * confidence 0.3 correct and confidence 0.35 wrong: softgrad puts 0.3 in (0.2, 0.3] and 0.35 in
 * (0.3, 0.4], ECE = (1/2)|1 - 0.3| + (1/2)|0 - 0.35| = 0.525; torchmetrics puts both in [0.3, 0.4)
 * and gets |1/2 - 0.325| = 0.175. Note that a float32 confidence 0.3f is 0.3000000119... as a double,
 * above the edge 0.3, so it lands in (0.3, 0.4] here.
 *
 * <p><b>Equal-mass bins</b> ({@link Binning#EQUAL_MASS}, "adaptive" binning; Nguyen and O'Connor,
 * 2015; Nixon et al., 2019; AdaECE of Mukhoti et al., 2020): the confidences are sorted and cut into
 * M groups of as equal size as possible (sorted positions [floor(m N / M), floor((m+1) N / M))).
 * Equal confidences are never split: a run of ties that straddles a cut goes wholly to the lower
 * bin, so bins stay intervals (lo, hi] with hi the largest confidence in the bin, and a bin can end up
 * empty when ties are many or N &lt; M.
 *
 * <p>Instances are immutable.
 */
public final class ReliabilityBins {

    /** How the confidence axis is cut into bins. */
    public enum Binning {
        /** M intervals ((m-1)/M, m/M] of width 1/M. */
        EQUAL_WIDTH,
        /** M intervals holding (about) N / M predictions each. */
        EQUAL_MASS
    }

    /**
     * One bin.
     *
     * @param lo             lower edge (excluded, except 0 in the first equal-width bin)
     * @param hi             upper edge (included)
     * @param count          number of predictions in the bin
     * @param meanConfidence mean confidence of the bin, NaN if empty
     * @param accuracy       fraction correct in the bin, NaN if empty
     */
    public record Bin(double lo, double hi, int count, double meanConfidence, double accuracy) {

        /** Over-confidence of the bin, meanConfidence - accuracy (negative: under-confident); NaN if empty. */
        public double gap() {
            return meanConfidence - accuracy;
        }
    }

    private final Binning binning;
    private final List<Bin> bins;
    private final int total;
    private final double ece;
    private final double mce;
    private final double rms;

    private ReliabilityBins(Binning binning, List<Bin> bins, int total, double ece, double mce, double rms) {
        this.binning = binning;
        this.bins = bins;
        this.total = total;
        this.ece = ece;
        this.mce = mce;
        this.rms = rms;
    }

    /**
     * Top-label bins of a classifier: confidence = max_k p_ik, correct = (first arg-max == label).
     *
     * @param probabilities [N, K], rows in [0, 1] summing to 1; K >= 2
     * @param labels        N labels in [0, K)
     * @param numBins       M >= 1 (15 is the usual choice)
     * @param binning       equal width or equal mass
     */
    public static ReliabilityBins topLabel(INDArray probabilities, int[] labels, int numBins, Binning binning) {
        String where = "ReliabilityBins.topLabel";
        Inputs.checkBins(where, numBins);
        return topLabel(Inputs.probabilities(where, probabilities, labels), labels, numBins, binning);
    }

    static ReliabilityBins topLabel(Inputs.Matrix p, int[] labels, int numBins, Binning binning) {
        double[] conf = new double[p.rows()];
        boolean[] correct = new boolean[p.rows()];
        for (int i = 0; i < p.rows(); i++) {
            int pred = Inputs.argmax(p, i);
            conf[i] = p.get(i, pred);
            correct[i] = pred == labels[i];
        }
        return build(conf, correct, numBins, binning);
    }

    /**
     * Bins of one class k (used by classwise ECE, Kull et al., 2019): confidence = p_ik for every
     * row i, correct = (label == k). Equal-width bins; a probability of 0 goes to the first bin.
     */
    public static ReliabilityBins ofClass(INDArray probabilities, int[] labels, int classIndex, int numBins) {
        String where = "ReliabilityBins.ofClass";
        Inputs.checkBins(where, numBins);
        Inputs.Matrix p = Inputs.probabilities(where, probabilities, labels);
        if (classIndex < 0 || classIndex >= p.cols()) {
            throw new IllegalArgumentException(where + ": classIndex must be in [0, " + p.cols() + "), got " + classIndex);
        }
        return ofClass(p, labels, classIndex, numBins);
    }

    static ReliabilityBins ofClass(Inputs.Matrix p, int[] labels, int classIndex, int numBins) {
        double[] conf = new double[p.rows()];
        boolean[] correct = new boolean[p.rows()];
        for (int i = 0; i < p.rows(); i++) {
            conf[i] = p.get(i, classIndex);
            correct[i] = labels[i] == classIndex;
        }
        return build(conf, correct, numBins, Binning.EQUAL_WIDTH);
    }

    /**
     * Bins of any probabilistic predictions: prediction i said "yes" with probability confidences[i]
     * and outcomes[i] says whether it happened.
     *
     * @param confidences N numbers in [0, 1]
     * @param outcomes    N outcomes
     */
    public static ReliabilityBins of(double[] confidences, boolean[] outcomes, int numBins, Binning binning) {
        String where = "ReliabilityBins.of";
        Inputs.checkBins(where, numBins);
        if (confidences == null || outcomes == null) {
            throw new IllegalArgumentException(where + ": confidences and outcomes must not be null");
        }
        if (confidences.length != outcomes.length) {
            throw new IllegalArgumentException(where + ": confidences and outcomes must have the same length, got "
                    + confidences.length + " and " + outcomes.length);
        }
        if (confidences.length == 0) {
            throw new IllegalArgumentException(where + ": need at least one prediction, got 0");
        }
        for (int i = 0; i < confidences.length; i++) {
            if (!(confidences[i] >= 0 && confidences[i] <= 1)) {
                throw new IllegalArgumentException(where + ": confidences[" + i + "] must be in [0, 1], got "
                        + confidences[i]);
            }
        }
        return build(confidences.clone(), outcomes.clone(), numBins, binning);
    }

    private static ReliabilityBins build(double[] conf, boolean[] correct, int numBins, Binning binning) {
        if (binning == null) {
            throw new IllegalArgumentException("ReliabilityBins: binning must be EQUAL_WIDTH or EQUAL_MASS, got null");
        }
        int n = conf.length;
        int[] count = new int[numBins];
        double[] sumConf = new double[numBins];
        double[] sumCorrect = new double[numBins];
        double[] lo = new double[numBins];
        double[] hi = new double[numBins];
        if (binning == Binning.EQUAL_WIDTH) {
            for (int m = 0; m < numBins; m++) {
                lo[m] = m / (double) numBins;
                hi[m] = (m + 1) / (double) numBins;
            }
            for (int i = 0; i < n; i++) {
                int m = equalWidthBin(conf[i], numBins);
                count[m]++;
                sumConf[m] += conf[i];
                sumCorrect[m] += correct[i] ? 1 : 0;
            }
        } else {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> conf[a] != conf[b] ? Double.compare(conf[a], conf[b]) : Integer.compare(a, b));
            int start = 0;
            double prevHi = 0;
            for (int m = 0; m < numBins; m++) {
                int end = (int) ((long) (m + 1) * n / numBins);
                end = Math.max(end, start);
                while (end < n && end > 0 && conf[order[end]] == conf[order[end - 1]]) {
                    end++; // never split a run of equal confidences
                }
                lo[m] = prevHi;
                for (int s = start; s < end; s++) {
                    int i = order[s];
                    count[m]++;
                    sumConf[m] += conf[i];
                    sumCorrect[m] += correct[i] ? 1 : 0;
                }
                hi[m] = end > start ? conf[order[end - 1]] : prevHi;
                prevHi = hi[m];
                start = end;
            }
        }
        List<Bin> list = new ArrayList<>(numBins);
        double ece = 0;
        double mce = 0;
        double sq = 0;
        for (int m = 0; m < numBins; m++) {
            if (count[m] == 0) {
                list.add(new Bin(lo[m], hi[m], 0, Double.NaN, Double.NaN));
                continue;
            }
            double acc = sumCorrect[m] / count[m];
            double meanConf = sumConf[m] / count[m];
            list.add(new Bin(lo[m], hi[m], count[m], meanConf, acc));
            double gap = Math.abs(sumCorrect[m] - sumConf[m]) / count[m];
            ece += Math.abs(sumCorrect[m] - sumConf[m]) / n;
            mce = Math.max(mce, gap);
            sq += count[m] * gap * gap / n;
        }
        return new ReliabilityBins(binning, Collections.unmodifiableList(list), n, ece, mce, Math.sqrt(sq));
    }

    /** The 0-based equal-width bin of a confidence: the m with m/M &lt; c &lt;= (m+1)/M, clamped to [0, M-1]. */
    static int equalWidthBin(double c, int numBins) {
        int m = (int) Math.ceil(c * numBins) - 1;
        m = Math.max(0, Math.min(numBins - 1, m));
        while (m > 0 && c <= m / (double) numBins) {
            m--;
        }
        while (m < numBins - 1 && c > (m + 1) / (double) numBins) {
            m++;
        }
        return m;
    }

    /** The binning rule. */
    public Binning binning() {
        return binning;
    }

    /** The bins, lowest confidence first; empty bins included. */
    public List<Bin> bins() {
        return bins;
    }

    /** Number of bins M. */
    public int numBins() {
        return bins.size();
    }

    /** Number of predictions N. */
    public int total() {
        return total;
    }

    /** Expected calibration error, L1 form: sum_m (|B_m|/N) |acc - conf|, in [0, 1]. */
    public double ece() {
        return ece;
    }

    /** Maximum calibration error over non-empty bins, in [0, 1]. */
    public double mce() {
        return mce;
    }

    /**
     * Maximum calibration error over the bins holding at least {@code minCount} predictions (0 when
     * none does): a one-sample bin has a gap of c or 1 - c whatever the model, so the plain
     * {@link #mce()} is often decided by noise. Report both, with the bin counts.
     *
     * @param minCount the fewest predictions a bin needs to count, >= 1
     */
    public double mce(int minCount) {
        if (minCount < 1) {
            throw new IllegalArgumentException("ReliabilityBins.mce: minCount must be >= 1, got " + minCount);
        }
        double max = 0;
        for (Bin b : bins) {
            if (b.count() >= minCount) {
                max = Math.max(max, Math.abs(b.gap()));
            }
        }
        return max;
    }

    /** Root-mean-square calibration error, L2 form: sqrt(sum_m (|B_m|/N) (acc - conf)^2), in [0, 1]. */
    public double rms() {
        return rms;
    }

    @Override
    public String toString() {
        return "ReliabilityBins[" + binning + ", M=" + bins.size() + ", N=" + total + ", ECE=" + ece + ", MCE=" + mce
                + ", RMS=" + rms + "]";
    }
}
