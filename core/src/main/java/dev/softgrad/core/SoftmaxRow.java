package dev.softgrad.core;

/**
 * The stable softmax of one row at temperature tau: the one place every softmax-family node goes
 * through, and the place to start reading the loss code. For a row of logits z [K] and tau > 0,
 * with u = z / tau and m = max_j u_j:
 * <pre>
 *   d_j   = u_j - m = (z_j - max z) / tau          (<= 0; -inf for a masked class)
 *   s     = sum of exp(d_j) over every j but the first maximal one
 *   lse   = logsumexp(u) = m + log1p(s)
 *   log p_j = d_j - log1p(s)
 *   p_j   = exp(d_j) / (1 + s)
 * </pre>
 * Why this form: d_j is computed from the difference of the logits before the division by tau, so
 * it is accurate to a few ulps even where |u| is 1e30 or 1e308 and m + log1p(s) would round to m;
 * s leaves out the maximal term (which is exactly 1), so log1p(s) keeps a confident row's tiny loss
 * (1e-39 stays 1e-39 instead of becoming 0); and a log-probability is (u_j - m) - log1p(s), never
 * u_j - lse.
 *
 * <p>Validation: NaN and +inf logits are errors naming the row and column; -inf marks a masked
 * class; a row that is all -inf has {@link #allMasked()}.
 *
 * <p>Arithmetic: float32 and float64 rows alike are computed in double. The exponential is
 * softgrad's own ({@link #exp}), built only from multiplies, adds and fused multiply-adds, which
 * round the same way on every JVM, interpreted or compiled, scalar or vector; the sum s is taken in
 * eight interleaved partial sums (element j into partial j mod 8) added in a fixed order. With the
 * Vector API present ({@code --add-modules jdk.incubator.vector}, unless {@code -Dsoftgrad.simd=false})
 * {@link VectorKernels} computes the same operations eight or four lanes at a time: the results are
 * the same bits either way, on any machine and any core count.
 */
final class SoftmaxRow {
    /** Whether the Vector API module is in this JVM. */
    static final boolean SIMD_AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Whether the SIMD path is used: when available, unless -Dsoftgrad.simd=false. Tests switch it. */
    static volatile boolean simd = SIMD_AVAILABLE && !"false".equals(System.getProperty("softgrad.simd"));

    /** The row's length K. */
    final int k;
    /** The logits z of the row, as read (float32 widened to double). */
    final double[] z;
    /** d_j = u_j - m. */
    final double[] d;
    /** p_j = softmax(u)_j. */
    final double[] p;
    /** m = max_j u_j (-inf for an all-masked row). */
    double m;
    /** log1p(s): the log of the row's shifted sum, lse = m + log1p(s). */
    double log1pS;
    /** Bulk-read buffer for float32 rows. */
    private final float[] io;
    /** The eight partial sums of s. */
    private final double[] partial = new double[8];

    SoftmaxRow(int k) {
        this.k = k;
        this.z = new double[k];
        this.d = new double[k];
        this.p = new double[k];
        this.io = new float[k];
    }

    /** Reads row i of the [N, K] array {@code logits} into {@link #z} and computes the row at tau. */
    void load(Dense logits, int i, double tau, String op, String arg) {
        read(logits, i);
        compute(tau, op, arg, i);
    }

    /** Reads row i of the [N, K] array {@code logits} into {@link #z}, to be masked before {@link #compute}. */
    void read(Dense logits, int i) {
        Rows.read(logits, i, k, z, io);
    }

    /** Reads row i of another [N, K] array (targets, a teacher's logits) into out, through this row's buffer. */
    void readOther(Dense other, int i, double[] out) {
        Rows.read(other, i, k, out, io);
    }

    /** The softmax of the double row z at tau (z is copied). */
    static SoftmaxRow of(String op, String arg, double[] z, double tau) {
        SoftmaxRow row = new SoftmaxRow(z.length);
        System.arraycopy(z, 0, row.z, 0, z.length);
        row.compute(tau, op, arg, 0);
        return row;
    }

    /** Writes {@code row} as row i of the [N, K] array {@code out} (rounded to float32 for a float32 array). */
    void store(Dense out, int i, double[] row) {
        Rows.write(out, i, k, row, io);
    }

    /** Whether every logit of the row is -inf (then p is all 0, lse and log p are -inf). */
    boolean allMasked() {
        return m == Double.NEGATIVE_INFINITY;
    }

    /** logsumexp(u) = m + log1p(s). */
    double lse() {
        return m + log1pS;
    }

    /** log p_j = (u_j - m) - log1p(s). */
    double logP(int j) {
        return d[j] - log1pS;
    }

    /** Computes d, p, m and log1p(s) from {@link #z} (row index {@code row} is for messages only). */
    void compute(double tau, String op, String arg, int row) {
        int first = firstMax(op, arg, row);
        if (first < 0) {
            java.util.Arrays.fill(d, Double.NEGATIVE_INFINITY);
            java.util.Arrays.fill(p, 0.0);
            m = Double.NEGATIVE_INFINITY;
            log1pS = Double.NEGATIVE_INFINITY;
            return;
        }
        double zMax = z[first];
        // the first maximal term is exactly 1 and left out of s: -inf while the others are summed
        z[first] = Double.NEGATIVE_INFINITY;
        if (simd && k >= VectorKernels.MIN_LENGTH) {
            VectorKernels.expShifted(z, zMax, tau, k, d, p, partial);
        } else {
            expShifted(z, zMax, tau, k, d, p, partial);
        }
        z[first] = zMax;
        d[first] = 0.0;
        p[first] = 1.0;
        double s = sumPartials(partial);
        m = zMax / tau;
        log1pS = Math.log1p(s);
        double r = 1.0 / (1.0 + s);
        for (int j = 0; j < k; j++) {
            p[j] *= r;
        }
    }

    /**
     * The index of the first maximal logit, or -1 if every logit is -inf; NaN and +inf are errors
     * (no softmax can use them).
     */
    private int firstMax(String op, String arg, int row) {
        double best = Double.NEGATIVE_INFINITY;
        int first = -1;
        for (int j = 0; j < k; j++) {
            double v = z[j];
            if (!(v <= best)) { // a new maximum, or NaN
                if (v != v || v == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException(Rows.where(op, arg, row, j) + " = " + v
                            + "; expected a finite value or -inf (a masked class)");
                }
                best = v;
                first = j;
            }
        }
        return first;
    }

    /**
     * The scalar definition of the row's exponentials: d_j = (z_j - zMax) / tau, e_j = exp(d_j) into
     * {@code e}, and the eight partial sums of the e_j (element j into partial j mod 8, in index
     * order). {@link VectorKernels#expShifted} computes the same bits.
     */
    static void expShifted(double[] z, double zMax, double tau, int k, double[] d, double[] e, double[] partial) {
        java.util.Arrays.fill(partial, 0.0);
        for (int j = 0; j < k; j++) {
            double dj = shifted(z[j], zMax, tau);
            double ej = exp(dj);
            d[j] = dj;
            e[j] = ej;
            partial[j & 7] += ej;
        }
    }

    /** (z - zMax) / tau: the difference first, so that it keeps its precision at any magnitude. */
    static double shifted(double zj, double zMax, double tau) {
        double diff = zj - zMax;
        return tau == 1.0 ? diff : diff / tau;
    }

    /** The eight partial sums added in a fixed order. */
    static double sumPartials(double[] q) {
        return ((q[0] + q[1]) + (q[2] + q[3])) + ((q[4] + q[5]) + (q[6] + q[7]));
    }

    /** Below this e^x is 0 in double (e^-745.2 is half the smallest subnormal); -inf lands here too. */
    static final double MIN_ARG = -746.0;
    static final double LOG2E = 1.4426950408889634;
    /** ln 2 split (fdlibm's): LN2_HI has 32 trailing zero bits, so n * LN2_HI is exact for |n| < 2^21. */
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5 * 2^52: adding then subtracting it rounds a double to the nearest integer. */
    static final double SHIFTER = 6755399441055744.0;
    static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    /** 1/j! for j = 2..13, the Taylor coefficients of e^r. */
    static final double[] C = new double[14];

    static {
        double f = 1.0;
        for (int j = 1; j < C.length; j++) {
            f *= j;
            C[j] = 1.0 / f;
        }
    }

    /**
     * e^x for x <= 0, deterministic and within 1 ulp (tested): x = n ln 2 + r with |r| <= ln 2 / 2,
     * e^r by its Taylor polynomial of degree 13 (truncation error below 1e-17 relative) in Horner
     * form with fused multiply-adds, then scaled by 2^n as 2^(n/2) * 2^(n - n/2) so that subnormal
     * results round once. The vector version in {@link VectorKernels} performs the same operations.
     */
    static double exp(double x) {
        double xc = Math.max(x, MIN_ARG); // d_j <= 0: no overflow to guard against
        double t = Math.fma(xc, LOG2E, SHIFTER);
        double n = t - SHIFTER;
        double r = Math.fma(n, -LN2_HI, xc);
        r = Math.fma(n, -LN2_LO, r);
        double q = C[13];
        for (int j = 12; j >= 1; j--) {
            q = Math.fma(q, r, C[j]);
        }
        q = Math.fma(q, r, 1.0);
        long ni = Double.doubleToRawLongBits(t) - SHIFTER_BITS;
        long n1 = ni >> 1;
        long n2 = ni - n1;
        return q * Double.longBitsToDouble((n1 + 1023) << 52) * Double.longBitsToDouble((n2 + 1023) << 52);
    }
}
