package dev.softgrad.core;

import java.nio.ByteBuffer;

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
 *
 * <p>The float32 path. A caller that reads the row through {@link #p(int)}, {@link #logP(int)},
 * {@link #masked(int)}, {@link #targetLogLikelihood}, {@link #distillRow} and {@link #single} (today
 * the cross-entropy node against integer labels, probability rows or smoothed labels, with or
 * without class weights, ignore label and reduction, and distillation) lets float32 logits at a
 * temperature that is itself a float (1, 2, 4, 0.5, 20, ... but not 0.05 or 0.3) take a float path,
 * sixteen float lanes at a time: the
 * exponentials e_j = exp(d_j) in float ({@link #expF}, a degree-7 polynomial; its argument kept as a
 * float pair d_j = xh + xl, exact for tau = 1, 2, 4, 0.5, ... and within ~2^-46 relative for other
 * float temperatures, so the rounding of z_j - max z to float does not enter the exponential), the sum s in sixteen double partials (j into partial j mod 16, the exps
 * widened exactly) added in a fixed order; the log-probabilities stay (z_j - max z) / tau -
 * log1p(s) with the difference in double, so the loss keeps its float32 accuracy at every
 * magnitude. A dense target is held as c_j = q_j cw_j, a float row q (a probability row as read, or
 * ones) times a double row cw (class weights, the smoothing mass, or ones); its sum_j c_j log p_j is
 * sum_j c_j d_j - C log1p(s), both sums in sixteen double partials (j mod 16) with c_j and
 * z_j - max z in double and one division by tau ({@link #targetTermsF}), and its gradient row
 * p_j C h - c_j h is computed in float, g_j = fma(e_j, (float) (r C h), -(q_j (float) (cw_j h)))
 * ({@link #denseGradientF}); distillation's KL is r_q D / T + log1p(s_pT) - log1p(s_q) with
 * D = sum_j e^q_j ((t_j - max t) - (s_j - max s)) in double and its gradient row
 * fma(e^pT_j, a, fma(e^p_j, b, -(e^q_j c))) in float, in one pass ({@link #distillRow}). What float
 * costs: p_j within ~2 float ulps instead of one rounding of the double value, s within ~1 float
 * ulp relative (log p within 2 float32 ulps, tested), and a dense target's or distillation's
 * gradient element within 4 (distillation 6) float ulps of the largest term that enters it
 * (p_j C h or c_j h; a pT_j, a q_j or b p_j; measured 2.2 and 3.9, against 1.5 and 3.9 when it was
 * formed in double and rounded once: DenseFloatGradientTest). The vector kernels need sixteen float
 * lanes (AVX-512); elsewhere the float path runs its scalar loops. Everything else (float64, a
 * temperature that is not a float, the softmax / log-softmax / log-sum-exp ops and the z-loss)
 * takes the double path. Scalar ({@link #expShiftedF}, {@link #targetTermsF},
 * {@link #denseGradientF}, {@link #distillF}) and SIMD ({@link VectorKernels}) float paths give the
 * same bits, as the double ones do.
 *
 * <p>Memory. A caller that walks its rows in order passes the next row to
 * {@link #load(Dense, int, int, double, String, String)} and hands each gradient row to
 * {@link #gradientLater} (then {@link #flush} at the end): the float path's vector kernel then copies
 * the next row in, and writes the last gradient row out, while it computes the exponentials, instead
 * of a bulk read before them and a bulk write after them (whose cache misses each row paid in full).
 * Float64 rows on the vector kernel stream the same way ({@link #streamsDouble}, the gradient row
 * handed to {@link #gradientLaterD}): the cross-entropy node's float64 rows took 18 % less time.
 */
final class SoftmaxRow {
    /** Whether the Vector API module is in this JVM. */
    static final boolean SIMD_AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Whether the SIMD path is used: when available, unless -Dsoftgrad.simd=false. Tests switch it. */
    static volatile boolean simd = SIMD_AVAILABLE && !"false".equals(System.getProperty("softgrad.simd"));

    /** The row's length K. */
    final int k;
    /** The logits z of the row, as read (float32 widened to double). */
    double[] z;
    /** d_j = u_j - m. */
    double[] d;
    /** p_j = softmax(u)_j. */
    double[] p;
    /** m = max_j u_j (-inf for an all-masked row). */
    double m;
    /** log1p(s): the log of the row's shifted sum, lse = m + log1p(s). */
    double log1pS;
    /** Bulk-read buffer for float32 rows (on a row that allows the float path, always {@link #zf}). */
    private float[] io;
    /** Bulk-read buffer for {@link #readOther}. */
    private float[] ioOther;
    /** The eight partial sums of s. */
    private final double[] partial = new double[8];

    /** Whether float32 rows may take the float path (the caller reads them through the accessors). */
    private final boolean allowFloat;
    /** Whether the last row took the float path: then {@link #zf} and {@link #ef} hold it, z, d and p do not. */
    boolean single;
    /**
     * Float path: the logits z as read, padded with -inf to whole blocks of sixteen
     * ({@link #paddedLengthF}) for the vector kernel.
     */
    float[] zf;
    /** Float path: e_j = exp(d_j), not normalised (1 at the first maximum), p_j = e_j * {@link #r}; padded as zf. */
    float[] ef;
    /**
     * Streamed float path ({@link #load(Dense, int, int, double, String, String)}): the next row, copied
     * by the kernel while it computes this one (row {@link #nextRow} of {@link #nextFrom}, or none), and
     * the other exponential buffer (the pending gradient may be the last row's ef while this row's is made).
     */
    private float[] zfNext;
    private int nextRow = -1;
    private Dense nextFrom;
    private float[] efSpare;
    /**
     * Streamed float path: the array that {@link #readOther} last read (a target row each row), and
     * its current row as the kernel copied it in (row {@link #otherRow}, or none).
     */
    private Dense otherFrom;
    private float[] otherNext;
    private int otherRow = -1;
    /**
     * A gradient row not yet written ({@link #gradientLater}): row {@link #pendingRow} of
     * {@link #pendingOut} is g_j * {@link #pendingScale} for j < k, except element {@link #pendingY}
     * (if >= 0), which is {@link #pendingGy}. Null when nothing is pending.
     */
    private Dense pendingOut;
    private int pendingRow;
    private float[] pendingG;
    private float pendingScale;
    private int pendingY;
    private float pendingGy;
    /** Streamed double path: the next row as the kernel copied it in (row {@link #nextRowD} of {@link #nextFromD}, or none). */
    private double[] zNextD;
    private int nextRowD = -1;
    private Dense nextFromD;
    /** A double gradient row not yet written ({@link #gradientLaterD}): row {@link #pendingRowD} of {@link #pendingOutD} is {@link #pendingGD}. */
    private Dense pendingOutD;
    private int pendingRowD;
    private double[] pendingGD;
    /** {@link #flush}'s buffer for the scaled row. */
    private float[] flushBuffer;
    /** Float path: max z, tau, and r = 1 / (1 + s). */
    double zMax;
    double tau;
    double r;
    /** Float path: the partial sums of s in double (element j into partial j mod 16). */
    private final double[] partialF = new double[PARTIALS_F];
    /** Float path, rows shorter than one vector block: the row padded with -inf, and its exponentials. */
    private final float[] pad;
    private final float[] padE;
    /** k rounded up to whole blocks of sixteen: the length of the float path's row buffers. */
    static int paddedLengthF(int k) {
        return (k + PARTIALS_F - 1) & -PARTIALS_F;
    }

    /** The float path's number of partial sums: one per lane of a sixteen-float vector. */
    static final int PARTIALS_F = 16;

    /** A row of length k on the double path only. */
    SoftmaxRow(int k) {
        this(k, false);
    }

    /** A row of length k; with allowFloat, float32 rows at a float temperature take the float path. */
    SoftmaxRow(int k, boolean allowFloat) {
        this.k = k;
        this.allowFloat = allowFloat;
        if (!allowFloat) { // a row that may take the float path gets them when it first takes the double path
            allocateDouble();
        }
        this.io = new float[allowFloat ? paddedLengthF(k) : k];
        java.util.Arrays.fill(io, k, io.length, Float.NEGATIVE_INFINITY); // reads fill [0, k) only
        this.zf = allowFloat ? io : null;
        this.ef = allowFloat ? new float[io.length] : null;
        boolean shortRow = allowFloat && k < VectorKernels.MIN_LENGTH_F;
        this.pad = shortRow ? new float[VectorKernels.MIN_LENGTH_F] : null;
        this.padE = shortRow ? new float[VectorKernels.MIN_LENGTH_F] : null;
        if (shortRow) {
            java.util.Arrays.fill(pad, Float.NEGATIVE_INFINITY);
        }
    }

    /** The double path's rows z, d and p (a float-path row of 10,000 classes would otherwise zero 240 kB it never uses). */
    private void allocateDouble() {
        if (z == null) {
            z = new double[k];
            d = new double[k];
            p = new double[k];
        }
    }

    /** Reads row i of the [N, K] array {@code logits} and computes the row at tau. */
    void load(Dense logits, int i, double tau, String op, String arg) {
        load(logits, i, -1, tau, op, arg);
    }

    /**
     * {@link #load(Dense, int, double, String, String)} for a caller that walks rows in order and
     * hands its gradient rows to {@link #gradientLater}: {@code next} is the row it loads after this one
     * (-1: none). On the float path with the vector kernel, that kernel also copies row {@code next}
     * into a second buffer while it computes this row, and writes the pending gradient row, one
     * block of each per block of exponentials (their cache misses then overlap the arithmetic; a bulk
     * read of a row of 4 kB, then the kernel, then a bulk write, stalled on each). Every other path
     * reads with one bulk copy and writes the pending row first ({@link #flush}). The bits are the
     * same either way: only where the memory is moved changes.
     */
    void load(Dense logits, int i, int next, double tau, String op, String arg) {
        if (allowFloat && logits.f != null && (double) (float) tau == tau) {
            single = true;
            if (nextRow == i && nextFrom == logits) { // the last kernel copied this row in
                float[] t = zf;
                zf = zfNext;
                zfNext = t;
                io = zf;
            } else {
                logits.f.get(i * k, zf, 0, k);
            }
            nextRow = -1;
            nextFrom = null;
            otherRow = -1;
            computeFloat(tau, op, arg, i, logits, next);
            return;
        }
        nextRow = -1;
        nextFrom = null;
        otherRow = -1;
        single = false;
        if (streamsDouble(logits)) {
            allocateDouble();
            if (nextRowD == i && nextFromD == logits) { // the last kernel copied this row in
                double[] t = z;
                z = zNextD;
                zNextD = t;
            } else {
                logits.d.get(i * k, z, 0, k);
            }
            nextRowD = -1;
            nextFromD = null;
            compute(tau, op, arg, i, logits, next);
            return;
        }
        flush();
        read(logits, i);
        compute(tau, op, arg, i);
    }

    /**
     * Whether rows of {@code logits} take the streamed double path: float64 rows on the vector
     * kernel, which copies the next row in and writes the pending gradient row ({@link #gradientLaterD})
     * out while it computes, as the float path's kernel does.
     */
    boolean streamsDouble(Dense logits) {
        return simd && k >= VectorKernels.MIN_LENGTH && logits.d != null && logits.bytes() != null;
    }

    /**
     * The double path's {@link #gradientLater}: row i of the float64 array {@code out} is to be g,
     * written by the next {@link #load(Dense, int, int, double, String, String)}'s kernel or by
     * {@link #flush}; g must hold its values until then (the caller alternates two buffers).
     */
    void gradientLaterD(Dense out, int i, double[] g) {
        flush();
        pendingOutD = out;
        pendingRowD = i;
        pendingGD = g;
    }

    /**
     * Row i of {@code out} is to be g_j * scale (j < k), then element y (if y >= 0) gy: written by the
     * next {@link #load(Dense, int, int, double, String, String)}'s kernel or by {@link #flush}. A row
     * pending before is flushed first. g must hold its values until then: it may be {@link #ef} (the
     * next load computes into the other buffer) or a buffer of the caller's that it refills only after
     * that load.
     */
    void gradientLater(Dense out, int i, float[] g, float scale, int y, float gy) {
        flush();
        pendingOut = out;
        pendingRow = i;
        pendingG = g;
        pendingScale = scale;
        pendingY = y;
        pendingGy = gy;
    }

    /** Writes the pending gradient row, if any (the scalar form of the kernel's stream: the same bits). */
    void flush() {
        if (pendingOutD != null) {
            pendingOutD.d.put(pendingRowD * k, pendingGD, 0, k);
            pendingOutD = null;
            pendingGD = null;
        }
        if (pendingOut == null) {
            return;
        }
        if (flushBuffer == null) {
            flushBuffer = new float[k];
        }
        for (int j = 0; j < k; j++) {
            flushBuffer[j] = pendingG[j] * pendingScale;
        }
        if (pendingY >= 0) {
            flushBuffer[pendingY] = pendingGy;
        }
        pendingOut.f.put(pendingRow * k, flushBuffer, 0, k);
        pendingOut = null;
        pendingG = null;
    }

    /**
     * Forgets what a walk left (a row copied in, a gradient row pending, the arrays it read): for a
     * row kept and reused, at the start of a walk (an earlier one may have thrown half-way) and at its end.
     */
    void reset() {
        nextRowD = -1;
        nextFromD = null;
        pendingOutD = null;
        pendingGD = null;
        nextRow = -1;
        nextFrom = null;
        otherFrom = null;
        otherRow = -1;
        pendingOut = null;
        pendingG = null;
    }

    /** Whether class j is masked (its logit is -inf). */
    boolean masked(int j) {
        return single ? zf[j] == Float.NEGATIVE_INFINITY : z[j] == Double.NEGATIVE_INFINITY;
    }

    /** p_j = softmax(u)_j. */
    double p(int j) {
        return single ? ef[j] * r : p[j];
    }

    /** Reads row i of the [N, K] array {@code logits} into {@link #z}, to be masked before {@link #compute}. */
    void read(Dense logits, int i) {
        allocateDouble();
        Rows.read(logits, i, k, z, io);
    }

    /** Reads row i of another [N, K] array (targets, a teacher's logits) into out, through this row's buffer. */
    void readOther(Dense other, int i, double[] out) {
        if (otherRow == i && otherFrom == other) { // this row's kernel copied it in
            for (int j = 0; j < k; j++) {
                out[j] = otherNext[j];
            }
        } else {
            if (ioOther == null) { // not io: on the float path io is zf, the row itself
                ioOther = new float[k];
            }
            Rows.read(other, i, k, out, ioOther);
        }
        otherFrom = other; // the next rows' kernels copy its rows in
        otherRow = -1;
    }

    /**
     * {@link #readOther(Dense, int, double[])} for a float32 array: the row in one of this row's
     * buffers ({@link #paddedLengthF}(k) floats, zero from k on), valid until the next load (whose
     * kernel may copy the next row into it), so the row that the kernel copied in is not copied again.
     */
    float[] readOther(Dense other, int i) {
        float[] row;
        if (otherRow == i && otherFrom == other) { // this row's kernel copied it in
            row = otherNext;
        } else {
            if (ioOtherF == null) {
                ioOtherF = new float[paddedLengthF(k)];
            }
            other.f.get(i * k, ioOtherF, 0, k);
            row = ioOtherF;
        }
        otherFrom = other;
        otherRow = -1;
        return row;
    }

    /** {@link #readOther(Dense, int)}'s buffer where the kernel did not copy the row in. */
    private float[] ioOtherF;

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

    /** log p_j = (u_j - m) - log1p(s), with u_j - m = (z_j - max z) / tau in double on either path. */
    double logP(int j) {
        return (single ? shifted(zf[j], zMax, tau) : d[j]) - log1pS;
    }

    /** C = sum_j c_j of the last {@link #targetLogLikelihood}'s target row. */
    double targetMass;
    /** The OR of the bit patterns of the last float {@link #targetLogLikelihood}'s q row: negative if an element has its sign bit set. */
    int targetSigns;
    /** The vector kernel's scratch for {@link #targetSigns}. */
    private final int[] signsT = new int[16];
    /**
     * The partial sums of {@link #targetLogLikelihood}: on the double path c_j d_j into 0..7, c_j
     * into 8..15 (j mod 8); on the float path c_j (z_j - max z) into 0..15, c_j into 16..31 (j mod 16).
     */
    private final double[] partialT = new double[32];

    /**
     * The double path's sum_j c_j log p_j = sum_j c_j d_j - C log1p(s) for a dense target row
     * c_j >= 0 (c_j = 0 contributes 0, masked or not; -inf if a class with c_j > 0 is masked), with
     * C = sum_j c_j into {@link #targetMass}. Both sums in eight partials (j mod 8, index order)
     * added in a fixed order.
     */
    double targetLogLikelihood(double[] c) {
        java.util.Arrays.fill(partialT, 0, 16, 0.0);
        for (int j = 0; j < k; j++) {
            double cj = c[j];
            partialT[j & 7] += cj == 0.0 ? 0.0 : cj * d[j];
            partialT[8 + (j & 7)] += cj;
        }
        targetMass = sumPartials(partialT, 8);
        return sumPartials(partialT, 0) - targetMass * log1pS;
    }

    /**
     * The float path's {@link #targetLogLikelihood(double[])}, for the target c_j = q_j cw_j (a float
     * row q, such as a probability row as read, times a double row cw, such as class weights or the
     * smoothing mass; the product in double): the same sums in sixteen partials (j mod 16, added in
     * a fixed order), sum_j c_j (z_j - max z) divided by tau once. q and cw must have room for {@link #paddedLengthF}(k) elements, their product 0 from k on.
     */
    double targetLogLikelihood(float[] q, double[] cw) {
        if (simd && VectorKernels.FLOAT_LANES && k >= VectorKernels.MIN_LENGTH_F) {
            targetSigns = VectorKernels.targetTermsF(zf, zMax, q, cw, k, partialT, signsT);
        } else {
            targetSigns = targetTermsF(zf, zMax, q, cw, k, partialT);
        }
        targetMass = sumPartials16(partialT, 16);
        return sumPartials16(partialT, 0) / tau - targetMass * log1pS;
    }

    /**
     * Float path: the gradient row g_j = p_j C h - c_j h = e_j rp - q_j cwh_j in float, with
     * rp = (float) (r C h) and cwh_j = (float) (cw_j h) (the target c_j = q_j cw_j of
     * {@link #targetLogLikelihood(float[], double[])}): one fused multiply-add per element, its
     * product q_j cwh_j rounded first. Arrays of {@link #paddedLengthF}(k) elements.
     */
    void denseGradient(float rp, float[] q, float[] cwh, float[] g) {
        if (simd && VectorKernels.FLOAT_LANES && k >= VectorKernels.MIN_LENGTH_F) {
            VectorKernels.denseGradientF(ef, rp, q, cwh, k, g);
        } else {
            denseGradientF(ef, rp, q, cwh, k, g);
        }
    }

    /**
     * Distillation's row on the float path, in one pass after the exponentials of the teacher q and
     * the student pT at T (and, for the hard term, the student at 1, whose exponentials are
     * {@code eP}; pT's own with b = 0 where there is none): returns
     * D = sum_j e^q_j ((t_j - max t) - (s_j - max s)) in double (a term with e^q_j = 0 is +0: 0 log 0 = 0),
     * in sixteen partials (j mod 16, index order) added in a fixed order, so that
     * sum_j q_j log(q_j / pT_j) = r_q D / T + log1p(s_pT) - log1p(s_q); and writes the gradient row
     * g_j = fma(e^pT_j, a, fma(e^p_j, b, -(e^q_j c))) in float ({@link #paddedLengthF}(k) elements).
     */
    static double distillRow(SoftmaxRow q, SoftmaxRow pT, float[] eP, float a, float b, float c, float[] g) {
        double[] partial = pT.partialT;
        if (simd && VectorKernels.FLOAT_LANES && pT.k >= VectorKernels.MIN_LENGTH_F) {
            VectorKernels.distillF(q.zf, q.zMax, pT.zf, pT.zMax, q.ef, pT.ef, eP, a, b, c, pT.k, g, partial);
        } else {
            distillF(q.zf, q.zMax, pT.zf, pT.zMax, q.ef, pT.ef, eP, a, b, c, pT.k, g, partial);
        }
        return sumPartials16(partial, 0);
    }

    /** The scalar definition of {@link VectorKernels#distillF} (see {@link #distillRow}). */
    static void distillF(float[] t, double tMax, float[] s, double sMax, float[] eq, float[] ePT, float[] eP, float a,
            float b, float c, int k, float[] g, double[] partial) {
        java.util.Arrays.fill(partial, 0, 16, 0.0);
        for (int j = 0; j < k; j++) {
            double ej = eq[j];
            partial[j & 15] += ej == 0.0 ? 0.0 : ej * (((double) t[j] - tMax) - ((double) s[j] - sMax));
            g[j] = Math.fma(ePT[j], a, Math.fma(eP[j], b, -(eq[j] * c)));
        }
    }

    /** {@link #firstMaxScalar} for the float path's row zf. */
    static int firstMaxScalarF(float[] zf, int k, String op, String arg, int row) {
        int first = -1;
        float best = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            float v = zf[j];
            if (!(v <= best)) { // a new maximum, or NaN
                if (v != v || v == Float.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException(Rows.where(op, arg, row, j) + " = " + (double) v
                            + "; expected a finite value or -inf (a masked class)");
                }
                best = v;
                first = j;
            }
        }
        return first;
    }

    /**
     * The float path of {@link #compute}: zf read, ef, m, log1p(s) and r computed; the vector kernel
     * also streams row {@code next} of {@code logits} in and the pending gradient row out.
     *
     * <p>The vector path takes the row's maximum first ({@link VectorKernels#maxF}), the
     * exponentials against it, and only then the index of the first maximal element
     * ({@link VectorKernels#firstIndexF}), whose exponential (exactly 1) it replaces by 0 before the
     * partial sums: the bits of the scalar path, which sets that logit to -inf for the exponentials
     * (whose exponential is then 0). The search ends in a mispredicted branch on most rows (its exit
     * block is where the maximum happens to be); before the exponentials it held them back, and
     * everything after them, until it resolved; after them it overlaps their arithmetic (with the
     * two other changes of the fifth session, a row of 100 classes went from ~265 to ~250 ns,
     * one thread). A maximum of +0.0 whose first element is -0.0 gives the same exponentials
     * against either zero (only the sign of a zero difference changes); max z is that element's
     * value either way.
     */
    private void computeFloat(double tau, String op, String arg, int row, Dense logits, int next) {
        boolean vector = simd && VectorKernels.FLOAT_LANES && k >= VectorKernels.MIN_LENGTH_F;
        this.tau = tau;
        float zm = vector ? VectorKernels.maxF(zf, k) : Float.NaN;
        int first = -1;
        if (zm != zm || zm == Float.POSITIVE_INFINITY) { // no vector scan, or a NaN / +inf to name
            first = firstMaxScalarF(zf, k, op, arg, row);
            zm = first < 0 ? Float.NEGATIVE_INFINITY : zf[first];
        }
        if (zm == Float.NEGATIVE_INFINITY) { // every logit is -inf
            flush();
            java.util.Arrays.fill(ef, 0f);
            zMax = Double.NEGATIVE_INFINITY;
            m = Double.NEGATIVE_INFINITY;
            log1pS = Double.NEGATIVE_INFINITY;
            r = 0.0;
            return;
        }
        float tauF = (float) tau;
        float lo = floorArg(zm, tau);
        if (lo != lo) { // z - max z could overflow in float: the double path
            flush();
            single = false;
            allocateDouble();
            for (int j = 0; j < k; j++) {
                z[j] = zf[j];
            }
            compute(tau, op, arg, row);
            return;
        }
        if (vector) {
            streamAndExp(zm, tauF, lo, logits, row, next);
            first = VectorKernels.firstIndexF(zf, zm);
            ef[first] = 0f; // the first maximal term is exactly 1 and left out of s
            VectorKernels.sumBlocksF(ef, paddedLengthF(k), partialF);
        } else {
            zf[first] = Float.NEGATIVE_INFINITY; // the first maximal term is exactly 1 and left out of s
            if (simd && VectorKernels.FLOAT_LANES) {
                flush();
                // a short row padded with -inf to one block: the padding's exponentials are 0 in partials
                // k.., which sumPartialsF leaves out, so the bits are the scalar loop's over k elements
                System.arraycopy(zf, 0, pad, 0, k);
                VectorKernels.expShiftedF(pad, zm, tauF, lo, VectorKernels.MIN_LENGTH_F, padE, partialF);
                System.arraycopy(padE, 0, ef, 0, k);
            } else {
                flush();
                expShiftedF(zf, zm, tauF, lo, k, ef, partialF);
            }
            zf[first] = zm;
        }
        ef[first] = 1f;
        double s = sumPartialsF(partialF, k);
        zMax = zf[first];
        m = zMax / tau;
        log1pS = log1p(s);
        r = 1.0 / (1.0 + s);
    }

    /**
     * The vector kernel on zf (row {@code row}), with its streams: row {@code next} of {@code logits}
     * into {@link #zfNext} (when next >= 0 and the logits have a byte view), row {@code row} of the
     * array {@link #readOther} read last into {@link #otherNext} (for the caller's next readOther),
     * and the pending gradient row out (when its array has a byte view; otherwise it is flushed first).
     */
    private void streamAndExp(float zm, float tauF, float lo, Dense logits, int row, int next) {
        ByteBuffer in = next >= 0 ? logits.bytes() : null;
        if (in != null && zfNext == null) {
            zfNext = new float[zf.length];
            java.util.Arrays.fill(zfNext, Float.NEGATIVE_INFINITY); // the copies fill [0, k) only
        }
        ByteBuffer in2 = otherFrom == null || otherFrom.f == null ? null : otherFrom.bytes(); // float rows only
        if (in2 != null && otherNext == null) {
            otherNext = new float[paddedLengthF(k)]; // handed out by readOther as a padded row
        }
        ByteBuffer out = pendingOut == null ? null : pendingOut.bytes();
        if (out == null) {
            flush();
        } else if (pendingG == ef) { // this row's exponentials go to the other buffer
            if (efSpare == null) {
                efSpare = new float[ef.length];
            }
            float[] t = ef;
            ef = efSpare;
            efSpare = t;
        }
        VectorKernels.expShiftedF(zf, zm, tauF, lo, k, ef, in, 4 * next * k, zfNext, in2, 4 * row * k,
                otherNext, out, 4 * pendingRow * k, pendingG, pendingScale);
        if (in != null) {
            nextRow = next;
            nextFrom = logits;
        }
        if (in2 != null) {
            otherRow = row;
        }
        if (out != null) {
            if (pendingY >= 0) {
                pendingOut.f.put(pendingRow * k + pendingY, pendingGy);
            }
            pendingOut = null;
            pendingG = null;
        }
    }

    /**
     * The float below which a logit's exponential is 0 anyway ((lo - max z) / tau <= -120, and
     * e^-104 is already 0 in float): logits are clamped to it, so -inf and far-below logits go
     * through the same finite arithmetic as the others. NaN where z - max z could overflow a float
     * for a logit at or above it (|max z| near 3.4e38, or a huge tau), or where max z - lo would not
     * be between 100 tau and 400 tau (|max z| above ~2^31 tau): that row takes the double path.
     */
    static float floorArg(float zMax, double tau) {
        double x = zMax - 120.0 * tau;
        float lo = (float) x;
        // rounded up (lo > x): the float below, Math.nextDown(lo), without a branch: whether x rounds
        // up or down is a coin toss per row, and the branch, mispredicted on half of the rows, held
        // back the exponentials until max z was known (5-15 ns of a row of 16 to 100 classes)
        int up = (int) (Double.doubleToRawLongBits(x - lo) >>> 63); // x - lo < 0 exactly when lo > x
        int bits = Float.floatToRawIntBits(lo);
        lo = Float.intBitsToFloat(bits - ((bits >> 31) | 1) * up); // one step toward -inf, either sign
        if (!(lo >= -Float.MAX_VALUE) || (double) lo - zMax < -0.999 * Float.MAX_VALUE) {
            return Float.NaN;
        }
        // where a float step at max z is wider than ~280 tau (|max z| > ~2^31 tau), lo is max z itself
        // or a whole step below it: the first would count the clamped logits as maximal, the second
        // would leave expF a remainder xl far above ulp(xh); those rows take the double path
        double gap = zMax - (double) lo;
        if (!(gap >= 100.0 * tau && gap <= 400.0 * tau)) {
            return Float.NaN;
        }
        return lo;
    }

    /**
     * The scalar definition of the float path's exponentials: e_j = exp(d_j), d_j = (z_j - zMax) / tau
     * carried as a float pair ({@link #expF}), and the sixteen partial sums of the e_j in double
     * (element j into partial j mod 16, in index order).
     * {@link VectorKernels#expShiftedF} computes the same bits.
     */
    static void expShiftedF(float[] z, float zMax, float tau, float lo, int k, float[] e, double[] partial) {
        java.util.Arrays.fill(partial, 0, Math.min(k, PARTIALS_F), 0.0); // a short row touches only its first k
        float negMax = -zMax;
        float inv = 1f / tau;
        for (int j = 0; j < k; j++) {
            // s + err = a - zMax exactly (Knuth's two-sum)
            float a = Math.max(z[j], lo);
            float s = a + negMax;
            float bp = s - a;
            float ap = s - bp;
            float err = (a - ap) + (negMax - bp);
            // (s + err) / tau = xh + xl: xh = s / tau to an ulp or two, its remainder s - xh tau exact
            // through the fma, the small rest divided through the reciprocal (exact for tau = 1, 2, 4, ...)
            float xh = s * inv;
            float xl = (Math.fma(xh, -tau, s) + err) * inv;
            float ej = expF(xh, xl);
            e[j] = ej;
            partial[j & (PARTIALS_F - 1)] += ej;
        }
    }

    /**
     * The scalar definition of {@link VectorKernels#targetTermsF}: for the dense target
     * c_j = q_j cw_j (in double) against the float path's row z, partial j mod 16 gets
     * c_j (z_j - zMax) in double (+0 where c_j = 0) and partial 16 + (j mod 16) gets c_j, in index
     * order; returns the OR of the bit patterns of q_j.
     */
    static int targetTermsF(float[] z, double zMax, float[] q, double[] cw, int k, double[] partial) {
        java.util.Arrays.fill(partial, 0, 32, 0.0);
        int signs = 0;
        for (int j = 0; j < k; j++) {
            signs |= Float.floatToRawIntBits(q[j]);
            double cj = q[j] * cw[j];
            partial[j & 15] += cj == 0.0 ? 0.0 : cj * ((double) z[j] - zMax);
            partial[16 + (j & 15)] += cj;
        }
        return signs;
    }

    /** The scalar definition of {@link VectorKernels#denseGradientF}: g_j = fma(e_j, rp, -(q_j cwh_j)) in float. */
    static void denseGradientF(float[] e, float rp, float[] q, float[] cwh, int k, float[] g) {
        for (int j = 0; j < k; j++) {
            g[j] = Math.fma(e[j], rp, -(q[j] * cwh[j]));
        }
    }

    /**
     * The partials added in a fixed order: for k >= 16 as a tree ({@link #sumPartials16}: four
     * additions deep, where one after the other they were fifteen, on the latency path of every
     * row); for a shorter row its k partials one after the other (partials at and beyond k are 0
     * and left out; {@link ShortRowKernels} adds them in this order sixteen rows at a time).
     */
    static double sumPartialsF(double[] q, int k) {
        if (k >= PARTIALS_F) {
            return sumPartials16(q, 0);
        }
        double s = 0.0;
        int used = Math.min(k, PARTIALS_F);
        for (int l = 0; l < used; l++) {
            s += q[l];
        }
        return s;
    }

    static final float MIN_ARG_F = -110f;
    static final float LOG2E_F = 1.44269504088896341f;
    /** ln 2 split: LN2_HI_F has few bits, so n * LN2_HI_F is exact. */
    static final float LN2_HI_F = 0.693359375f;
    static final float LN2_LO_F = -2.12194440e-4f;
    /** 1.5 * 2^23: adding then subtracting it rounds a float to the nearest integer. */
    static final float SHIFTER_F = 12582912f;
    static final int SHIFTER_F_BITS = Float.floatToRawIntBits(SHIFTER_F);
    static final float C7F = 1f / 5040;
    static final float C6F = 1f / 720;
    static final float C5F = 1f / 120;
    static final float C4F = 1f / 24;
    static final float C3F = 1f / 6;
    static final float C2F = 0.5f;
    /**
     * At and below this n, e^(n ln 2 + r) < 1.42 * 2^-151 is below half the smallest float subnormal
     * (2^-150) and rounds to 0.
     */
    static final int ZERO_BELOW_F = -151;
    /**
     * The bits of t = n + {@link #SHIFTER_F} plus this are n + 151 = n - {@link #ZERO_BELOW_F}, the biased exponent of 2^(n + 24):
     * shifted into place they are 2^(n + 24) for n >= -150 and, clamped at 0, +0 for n <= {@link #ZERO_BELOW_F}.
     */
    static final int SCALE_BIAS_F = -ZERO_BELOW_F - SHIFTER_F_BITS;
    /** 2^-24: the second factor of the float exponential's scaling. */
    static final float TWO_M24 = 0x1p-24f;

    /**
     * e^(xh + xl) in float for xh <= 0 and |xl| <= ulp(xh), deterministic: x = n ln 2 + r with
     * r = (xh - n ln 2) + xl, |r| <= ln 2 / 2 + |xl|, e^r by its Taylor polynomial of degree 7
     * (truncation below 6e-9 relative) with fused multiply-adds, then scaled by 2^n as
     * (q * 2^(n + 24)) * 2^-24: for the n that occur (-159 <= n <= 0) the first product is a normal
     * float, exact, and the second rounds once, so a subnormal result rounds once. Where
     * n <= {@link #ZERO_BELOW_F} the result is below half the smallest subnormal and rounds to 0:
     * the factor 2^(n + 24) is then +0 itself (its biased exponent n + 151 <= 0 is clamped to the
     * bits of +0), so no multiply underflows (an underflowing multiply costs a microcode assist,
     * ~100 ns per vector operation, and every row has one such element: its first maximum, left out
     * as -inf). Five operations for the scaling (an integer add, a shift, a max and two multiplies)
     * where 2^(n/2) * 2^(n - n/2) with a zero guard took eleven: a third of the vector exponential's
     * time, with the same bits. {@link VectorKernels#expShiftedF} performs the same operations.
     */
    static float expF(float xh, float xl) {
        float xc = Math.max(xh, MIN_ARG_F);
        float t = Math.fma(xc, LOG2E_F, SHIFTER_F);
        float n = t - SHIFTER_F;
        float rr = Math.fma(n, -LN2_HI_F, xc);
        rr = Math.fma(n, -LN2_LO_F, rr);
        rr = rr + xl;
        float q = Math.fma(rr, C7F, C6F);
        q = Math.fma(q, rr, C5F);
        q = Math.fma(q, rr, C4F);
        q = Math.fma(q, rr, C3F);
        q = Math.fma(q, rr, C2F);
        q = Math.fma(q, rr, 1f);
        q = Math.fma(q, rr, 1f);
        float scale = Float.intBitsToFloat(Math.max((Float.floatToRawIntBits(t) + SCALE_BIAS_F) << 23, 0));
        return q * scale * TWO_M24;
    }

    /** Computes d, p, m and log1p(s) from {@link #z} (row index {@code row} is for messages only). */
    void compute(double tau, String op, String arg, int row) {
        compute(tau, op, arg, row, null, -1);
    }

    /**
     * {@link #compute(double, String, String, int)} with the streamed double path's streams (when
     * {@code logits} is non-null, see {@link #streamsDouble}): the kernel copies row {@code next}
     * (if >= 0) into {@link #zNextD} and writes the pending gradient row out. Rows without the
     * kernel (all masked) write the pending row first.
     */
    private void compute(double tau, String op, String arg, int row, Dense logits, int next) {
        int first = firstMax(op, arg, row);
        if (first < 0) {
            flush();
            java.util.Arrays.fill(d, Double.NEGATIVE_INFINITY);
            java.util.Arrays.fill(p, 0.0);
            m = Double.NEGATIVE_INFINITY;
            log1pS = Double.NEGATIVE_INFINITY;
            return;
        }
        double zMax = z[first];
        // the first maximal term is exactly 1 and left out of s: -inf while the others are summed
        z[first] = Double.NEGATIVE_INFINITY;
        if (logits != null) {
            ByteBuffer in = next >= 0 ? logits.bytes() : null;
            if (in != null && zNextD == null) {
                zNextD = new double[k];
            }
            ByteBuffer out = pendingOutD == null ? null : pendingOutD.bytes();
            if (out == null) {
                flush();
            }
            VectorKernels.expShifted(z, zMax, tau, k, d, p, partial, in, 8 * next * k, zNextD, out, 8 * pendingRowD * k,
                    pendingGD);
            if (in != null) {
                nextRowD = next;
                nextFromD = logits;
            }
            pendingOutD = null;
            pendingGD = null;
        } else if (simd && k >= VectorKernels.MIN_LENGTH) {
            VectorKernels.expShifted(z, zMax, tau, k, d, p, partial);
        } else {
            expShifted(z, zMax, tau, k, d, p, partial);
        }
        z[first] = zMax;
        d[first] = 0.0;
        p[first] = 1.0;
        double s = sumPartials(partial);
        m = zMax / tau;
        log1pS = log1p(s);
        double r = 1.0 / (1.0 + s);
        for (int j = 0; j < k; j++) {
            p[j] *= r;
        }
    }

    /**
     * The index of the first maximal logit, or -1 if every logit is -inf; NaN and +inf are errors
     * (no softmax can use them). The vector scan ({@link VectorKernels#firstMax}) finds the same
     * index and leaves rows with NaN or +inf to this scan, so the message is the same either way.
     */
    private int firstMax(String op, String arg, int row) {
        int first = simd && k >= VectorKernels.MIN_LENGTH ? VectorKernels.firstMax(z, k) : VectorKernels.INVALID;
        return first != VectorKernels.INVALID ? first : firstMaxScalar(z, k, op, arg, row);
    }

    /** The scalar definition of {@link #firstMax}: the first element greater than all before it. */
    static int firstMaxScalar(double[] z, int k, String op, String arg, int row) {
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
        expShiftedFrom(0, z, zMax, tau, k, d, e, partial);
    }

    /** {@link #expShifted}'s loop from element {@code from} on, adding to the partials as they are (the vector kernel's tail). */
    static void expShiftedFrom(int from, double[] z, double zMax, double tau, int k, double[] d, double[] e,
            double[] partial) {
        for (int j = from; j < k; j++) {
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
        return sumPartials(q, 0);
    }

    /** The sixteen partial sums q[from], ..., q[from + 15] added in a fixed order: two halves of eight, then their sum. */
    static double sumPartials16(double[] q, int from) {
        return sumPartials(q, from) + sumPartials(q, from + 8);
    }

    /** The eight partial sums q[from], ..., q[from + 7] added in a fixed order. */
    static double sumPartials(double[] q, int from) {
        return ((q[from] + q[from + 1]) + (q[from + 2] + q[from + 3]))
                + ((q[from + 4] + q[from + 5]) + (q[from + 6] + q[from + 7]));
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
    /**
     * At and below this n, e^(n ln 2 + r) < 1.42 * 2^-1076 is below half the smallest double
     * subnormal (2^-1075) and rounds to 0.
     */
    static final long ZERO_BELOW = -1076;
    /**
     * The bits of t = n + {@link #SHIFTER} plus this are n + 1076 = n - {@link #ZERO_BELOW}, the biased exponent of 2^(n + 53):
     * shifted into place they are 2^(n + 53) for n >= -1075 and, clamped at 0, +0 for n <= {@link #ZERO_BELOW}.
     */
    static final long SCALE_BIAS = -ZERO_BELOW - SHIFTER_BITS;
    /** 2^-53: the second factor of the exponential's scaling. */
    static final double TWO_M53 = 0x1p-53;
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
     * form with fused multiply-adds, then scaled by 2^n as (q * 2^(n + 53)) * 2^-53, the first
     * product exact and normal, the second rounding once (so subnormal results round once); where
     * n <= {@link #ZERO_BELOW} the result rounds to 0 and the factor 2^(n + 53) is +0 itself (its
     * biased exponent clamped at 0), so that no multiply underflows (see {@link #expF}). The vector
     * versions in {@link VectorKernels}, {@link ShortRowKernels} and {@link ActivationKernels} perform
     * the same operations.
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
        double scale = Double.longBitsToDouble(Math.max((Double.doubleToRawLongBits(t) + SCALE_BIAS) << 52, 0L));
        return q * scale * TWO_M53;
    }

    /** fdlibm's (musl's) log coefficients: log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)), s = f / (2 + f). */
    static final double LG1 = 6.666666666666735130e-01;
    static final double LG2 = 3.999999999940941908e-01;
    static final double LG3 = 2.857142874366239149e-01;
    static final double LG4 = 2.222219843214978396e-01;
    static final double LG5 = 1.818357216161805012e-01;
    static final double LG6 = 1.531383769920937332e-01;
    static final double LG7 = 1.479819860511658591e-01;
    /** Added to the high word of u, it moves the mantissa range to [sqrt(2)/2, sqrt(2)). */
    static final long SQRT_HALF_SHIFT = (0x3ff00000L - 0x3fe6a09eL) << 32;
    static final long MANTISSA = 0x000fffffffffffffL;
    static final long SQRT_HALF_HIGH = 0x3fe6a09eL << 32;

    /**
     * log(1 + s) for s from 0 to 2^1000, within 1 ulp, deterministic (adds, multiplies, divisions and
     * integer operations only, no branch, so the short-row vector kernels compute the same bits; about
     * 7 ns where {@link Math#log1p} takes 17-19): u = 1 + s
     * rounded and its exact rounding error c = s - (u - 1) (exact for s >= 0); u = 2^k m with
     * m in [sqrt(2)/2, sqrt(2)), log m by fdlibm's polynomial in f / (2 + f), f = m - 1; and
     * log1p(s) = k ln 2 + log m + c / u, the last term keeping a tiny s (1e-39 stays 1e-39).
     */
    static double log1p(double s) {
        double u = 1.0 + s;
        double c = (s - (u - 1.0)) / u;
        long bits = Double.doubleToRawLongBits(u) + SQRT_HALF_SHIFT;
        long k = (bits >>> 52) - 0x3ff;
        double m = Double.longBitsToDouble((bits & MANTISSA) + SQRT_HALF_HIGH);
        double f = m - 1.0;
        double hfsq = 0.5 * f * f;
        double q = f / (2.0 + f);
        double z = q * q;
        double w = z * z;
        double t1 = w * (LG2 + w * (LG4 + w * LG6));
        double t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
        double dk = (double) k;
        return q * (hfsq + (t2 + t1)) + (dk * LN2_LO + c) - hfsq + f + dk * LN2_HI;
    }
}
