package dev.softgrad.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD half of {@link SoftmaxRow}: the same exponentials and partial sums as its scalar
 * definition ({@link SoftmaxRow#expShifted}), a vector of doubles at a time (the JDK's incubating
 * Vector API). Loaded only when the module {@code jdk.incubator.vector} is present.
 *
 * <p>Same bits as the scalar code, by construction: every operation is one IEEE operation per lane
 * (subtract, divide, fused multiply-add, multiply, integer add and shift), rounded exactly as its
 * scalar counterpart, so lane j computes what the scalar loop computes for element j; and the sum
 * is kept as eight partials (element j into partial j mod 8), one vector of eight lanes or two of
 * four, filled in index order. The JDK's own vector {@code EXP} is not used: on JDK 17 it rounded
 * differently before and after JIT compilation.
 */
final class VectorKernels {
    private VectorKernels() {
    }

    /** The species of the kernel (tests build vectors of it). */
    static final VectorSpecies<Double> S = pick();

    /** Eight lanes (AVX-512) or four (AVX2); anything else would not split the eight partials evenly. */
    private static VectorSpecies<Double> pick() {
        VectorSpecies<Double> preferred = DoubleVector.SPECIES_PREFERRED;
        return preferred.length() >= 8 ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
    }

    private static final int L = S.length();
    /** Vectors per block of eight elements. */
    private static final int V = 8 / L;

    /** Rows shorter than one block stay in the scalar loop. */
    static final int MIN_LENGTH = 8;

    /**
     * d_j = (z_j - zMax) / tau, e_j = exp(d_j), and the eight partial sums of e (into partial),
     * exactly as {@link SoftmaxRow#expShifted}, with {@link SoftmaxRow#exp} performed lane by lane:
     * the same operations in the same order.
     *
     * <p>One plain loop over the row's full blocks of eight (lane l of {@code partial}'s vector is
     * partial l), then the ragged tail, the last k mod 8 elements, by the scalar definition itself
     * ({@link SoftmaxRow#expShiftedFrom}), which adds its terms to their partials in index order as
     * the scalar loop does. The loop is kept plain on purpose: an offset chosen by a condition inside
     * it (to recompute an overlapping last block) made it about twice as slow per element.
     * Everything is in this one method on purpose: a helper taking or returning a vector is boxed
     * on JDK 17 whenever the JIT declines to inline it ("callee is too large"), several times slower.
     * No vector is carried from one iteration to the next: the partial sums are loaded, added to and
     * stored back each block. With a vector accumulator, C2 compiled the loop, in about half of the
     * JVMs (those whose first hot calls had long rows), with the accumulator's type inexact: its
     * additions and the scaling's multiply ran the Vector API's Java fallback, allocating each
     * block, and the kernel took 3.2-4.0 ns per element instead of 1.4 for the rest of the process
     * ({@code RowKernelBench 1000}, fourth session). Same additions in the same order: same bits.
     */
    static void expShifted(double[] z, double zMax, double tau, int k, double[] d, double[] e, double[] partial) {
        expShifted(z, zMax, tau, k, d, e, partial, null, 0, null, null, 0, null);
    }

    /**
     * {@link #expShifted(double[], double, double, int, double[], double[], double[])} with memory streams,
     * as {@link #expShiftedF} has them for float rows (see there): with {@code in} non-null, the k
     * doubles at byte {@code inByte} of {@code in} (the caller's next row) are copied into
     * {@code zIn[0, k)}; with {@code out} non-null, g[0, k) is stored at byte {@code outByte} of
     * {@code out} (the previous row's gradient), one vector of each per vector of exponentials. The
     * streams' last vector is moved at k - L, over part of the one before it; the blocks past the
     * loop's last (a row whose k is not a multiple of eight) after the loop. Neither stream changes
     * the arithmetic.
     */
    static void expShifted(double[] z, double zMax, double tau, int k, double[] d, double[] e, double[] partial,
            ByteBuffer in, int inByte, double[] zIn, ByteBuffer out, int outByte, double[] g) {
        int bound = k & ~7;
        int last = k - L; // the streams' last vector starts here
        java.util.Arrays.fill(partial, 0.0);
        for (int off = 0; off < bound; off += L) {
            int at = Math.min(off, last);
            if (in != null) {
                DoubleVector.fromByteBuffer(S, in, inByte + 8 * at, NATIVE).intoArray(zIn, at);
            }
            if (out != null) {
                DoubleVector.fromArray(S, g, at).intoByteBuffer(out, outByte + 8 * at, NATIVE);
            }
            // divided by tau = 1 too (exact): a vector assigned in two branches is boxed once both have run
            DoubleVector x = DoubleVector.fromArray(S, z, off).sub(zMax).div(tau);
            x.intoArray(d, off);
            // e^x as SoftmaxRow.exp: Cody-Waite reduction, Horner written out, 2^n as 2^(n + 53) 2^-53
            DoubleVector xc = x.max(SoftmaxRow.MIN_ARG);
            DoubleVector t = xc.fma(LOG2E, SHIFTER);
            DoubleVector n = t.sub(SoftmaxRow.SHIFTER);
            DoubleVector r = n.fma(MINUS_LN2_HI, xc);
            r = n.fma(MINUS_LN2_LO, r);
            DoubleVector q = C13.fma(r, C12);
            q = q.fma(r, C11);
            q = q.fma(r, C10);
            q = q.fma(r, C9);
            q = q.fma(r, C8);
            q = q.fma(r, C7);
            q = q.fma(r, C6);
            q = q.fma(r, C5);
            q = q.fma(r, C4);
            q = q.fma(r, C3);
            q = q.fma(r, C2);
            q = q.fma(r, ONE);
            q = q.fma(r, ONE);
            LongVector bits = (LongVector) t.reinterpretAsLongs().add(SoftmaxRow.SCALE_BIAS);
            DoubleVector scale = bits.lanewise(VectorOperators.LSHL, 52).max(0L).reinterpretAsDoubles();
            DoubleVector ex = q.mul(scale).mul(SoftmaxRow.TWO_M53);
            ex.intoArray(e, off);
            // lanes of the vector at off are partials off mod 8 ...: the first or second half of a block
            int half = V == 1 ? 0 : off & L; // partials 0..L-1 or L..2L-1
            DoubleVector.fromArray(S, partial, half).add(ex).intoArray(partial, half);
        }
        for (int off = bound; off < k; off += L) { // the streams' blocks past the loop's
            int at = Math.min(off, last);
            if (in != null) {
                DoubleVector.fromByteBuffer(S, in, inByte + 8 * at, NATIVE).intoArray(zIn, at);
            }
            if (out != null) {
                DoubleVector.fromArray(S, g, at).intoByteBuffer(out, outByte + 8 * at, NATIVE);
            }
        }
        SoftmaxRow.expShiftedFrom(bound, z, zMax, tau, k, d, e, partial);
    }

    /** The float species: sixteen lanes; the float path's vector kernel needs them (AVX-512). */
    static final VectorSpecies<Float> SF = FloatVector.SPECIES_512;
    private static final int LF = SF.length();
    /** Eight doubles: half a float vector, widened. */
    private static final VectorSpecies<Double> D8 = DoubleVector.SPECIES_512;
    /** Whether this machine has sixteen float lanes; otherwise the float path runs its scalar loop (the same bits). */
    static final boolean FLOAT_LANES = FloatVector.SPECIES_PREFERRED.length() >= 16;
    /** Rows shorter than one block of sixteen stay in the scalar float loop. */
    static final int MIN_LENGTH_F = 16;

    /**
     * The float path's exponentials and partial sums, exactly as
     * {@link SoftmaxRow#expShiftedF} with {@link SoftmaxRow#expF} lane by lane (k >= 16): one plain
     * loop over blocks of sixteen, the last one running past k: z and e must have room for
     * {@link SoftmaxRow#paddedLengthF}(k) elements, and z's elements from k on must be -inf. Their
     * exponentials are exactly 0 (the argument is clamped to {@code lo}, whose exponential is 0 in
     * float), and adding +0 to a partial changes nothing, so the partials are the scalar loop's over
     * k elements. The padding costs less than a scalar tail: the scalar exponential of an element
     * costs about ten times a lane's. One method body, for the reasons given at {@link #expShifted}.
     *
     * <p>Memory streams may ride along, one block of each per block of exponentials, so that
     * their cache misses overlap the arithmetic instead of stalling a bulk copy between rows (see
     * {@link SoftmaxRow#load(Dense, int, int, double, String, String)}): with {@code in} non-null, the
     * k floats at byte {@code inByte} of {@code in} (the caller's next row) are copied into
     * {@code zIn[0, k)}; the same from {@code in2} into {@code zIn2} (a target row: probability
     * targets);
     * with {@code out} non-null, {@code g_j * gScale} (j < k) is stored as floats at
     * byte {@code outByte} of {@code out} (the previous row's gradient). Both buffers are native
     * memory in native byte order; the last block of a row whose k is not a multiple of sixteen is
     * moved at k - 16, over part of the block before it (the same values again). Neither stream
     * changes the arithmetic.
     */
    static void expShiftedF(float[] z, float zMax, float tau, float lo, int k, float[] e, double[] partial) {
        expShiftedF(z, zMax, tau, lo, k, e, null, 0, null, null, 0, null, null, 0, null, 0f);
        sumBlocksF(e, SoftmaxRow.paddedLengthF(k), partial);
    }

    /**
     * {@link #expShiftedF(float[], float, float, float, int, float[], double[])}'s exponentials alone,
     * with its memory streams (see there): the caller adds them up with {@link #sumBlocksF}, after it
     * has found the first maximum's index and put 0 in its place ({@link SoftmaxRow}'s float path).
     */
    static void expShiftedF(float[] z, float zMax, float tau, float lo, int k, float[] e,
            ByteBuffer in, int inByte, float[] zIn, ByteBuffer in2, int in2Byte, float[] zIn2, ByteBuffer out, int outByte,
            float[] g, float gScale) {
        int bound = SoftmaxRow.paddedLengthF(k);
        float negMax = -zMax;
        float inv = 1f / tau;
        int last = k - LF; // the streams' last block starts here
        for (int off = 0; off < bound; off += LF) {
            int at = Math.min(off, last);
            if (in != null) {
                FloatVector.fromByteBuffer(SF, in, inByte + 4 * at, NATIVE).intoArray(zIn, at);
            }
            if (in2 != null) {
                FloatVector.fromByteBuffer(SF, in2, in2Byte + 4 * at, NATIVE).intoArray(zIn2, at);
            }
            if (out != null) {
                FloatVector.fromArray(SF, g, at).mul(gScale).intoByteBuffer(out, outByte + 4 * at, NATIVE);
            }
            FloatVector a = FloatVector.fromArray(SF, z, off).max(lo);
            FloatVector s = a.add(negMax);
            FloatVector bp = s.sub(a);
            FloatVector ap = s.sub(bp);
            FloatVector err = a.sub(ap).add(FloatVector.broadcast(SF, negMax).sub(bp));
            // no branch on tau: a vector assigned in two branches is boxed once both have run
            FloatVector xh = s.mul(inv);
            FloatVector xl = xh.fma(FloatVector.broadcast(SF, -tau), s).add(err).mul(inv);
            FloatVector xc = xh.max(SoftmaxRow.MIN_ARG_F);
            FloatVector t = xc.fma(F_LOG2E, F_SHIFTER);
            FloatVector n = t.sub(SoftmaxRow.SHIFTER_F);
            FloatVector r = n.fma(F_MINUS_LN2_HI, xc);
            r = n.fma(F_MINUS_LN2_LO, r);
            r = r.add(xl);
            FloatVector q = r.fma(F_C7, F_C6);
            q = q.fma(r, F_C5);
            q = q.fma(r, F_C4);
            q = q.fma(r, F_C3);
            q = q.fma(r, F_C2);
            q = q.fma(r, F_ONE);
            q = q.fma(r, F_ONE);
            IntVector bits = (IntVector) t.reinterpretAsInts().add(SoftmaxRow.SCALE_BIAS_F);
            FloatVector scale = bits.lanewise(VectorOperators.LSHL, 23).max(0).reinterpretAsFloats();
            FloatVector ex = q.mul(scale).mul(SoftmaxRow.TWO_M24);
            ex.intoArray(e, off);
        }
    }

    /**
     * partial[l] = the sum over blocks b of e[16 b + l] in double, blocks in order (lanes 0-7 and 8-15
     * of each block widened): {@link #expShiftedF}'s partial sums, in a pass of their own over the row
     * it has just written (in L1). Inside the kernel, the upper half's widening ({@code castShape(D8, 1)},
     * a slice) was compiled without its intrinsic in about half of the JVMs once a second loss had
     * run: 3.3 GB of shuffle arrays allocated in 0.7 s, the loss family 1.3-1.5x slower for the rest
     * of the process (BENCHMARKS.md, third session). Same additions in the same order: same bits.
     */
    static void sumBlocksF(float[] e, int bound, double[] partial) {
        DoubleVector acc0 = DoubleVector.zero(D8);
        DoubleVector acc1 = DoubleVector.zero(D8);
        for (int off = 0; off < bound; off += LF) {
            FloatVector ex = FloatVector.fromArray(SF, e, off);
            acc0 = acc0.add((DoubleVector) ex.castShape(D8, 0));
            acc1 = acc1.add((DoubleVector) ex.castShape(D8, 1));
        }
        acc0.intoArray(partial, 0);
        acc1.intoArray(partial, 8);
    }

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    /**
     * The maximum of z[0, k) (k >= 16; z padded with -inf to {@link SoftmaxRow#paddedLengthF}(k)
     * elements, as for {@link #expShiftedF}): NaN if some element is NaN (max propagates NaN), +inf
     * if some element is +inf (the caller's scalar scan then throws naming it), -inf if every element
     * is -inf. Sixteen lanes at a time in four accumulators (a vector max, NaN-propagating, is a chain
     * of several instructions). Only the value: the float path needs the index of the first maximal
     * element only after the exponentials ({@link #firstIndexF}), so that the search for it, whose
     * loop exit is mispredicted on most rows, no longer holds them back.
     */
    static float maxF(float[] z, int k) {
        int bound = SoftmaxRow.paddedLengthF(k); // the padding is -inf: no scalar tail
        int bound4 = k & ~63;
        FloatVector acc0 = FloatVector.broadcast(SF, Float.NEGATIVE_INFINITY);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        int off = 0;
        for (; off < bound4; off += 4 * LF) {
            acc0 = acc0.max(FloatVector.fromArray(SF, z, off));
            acc1 = acc1.max(FloatVector.fromArray(SF, z, off + LF));
            acc2 = acc2.max(FloatVector.fromArray(SF, z, off + 2 * LF));
            acc3 = acc3.max(FloatVector.fromArray(SF, z, off + 3 * LF));
        }
        for (; off < bound; off += LF) {
            acc0 = acc0.max(FloatVector.fromArray(SF, z, off));
        }
        return acc0.max(acc1).max(acc2.max(acc3)).reduceLanes(VectorOperators.MAX);
    }

    /**
     * The index of the first element of z equal to {@code best} (a value {@link #maxF} found in z,
     * finite): the first block holding it by a vector comparison, and its first true lane. The same
     * index as {@link SoftmaxRow#firstMaxScalarF}, which keeps the first element equal to the
     * maximum (a scalar search of the block ended in a mispredicted branch at a random lane).
     */
    static int firstIndexF(float[] z, float best) {
        int j = 0;
        VectorMask<Float> at;
        while (!(at = FloatVector.fromArray(SF, z, j).compare(VectorOperators.EQ, best)).anyTrue()) {
            j += LF;
        }
        return j + at.firstTrue();
    }

    /**
     * The index of the first maximal element of a double row z[0, k) (k >= {@link #MIN_LENGTH}), as
     * {@link SoftmaxRow#firstMaxScalar} finds it, a vector of doubles at a time: -1 if every element
     * is -inf, {@link #INVALID} if some element is NaN or +inf (the caller's scalar scan then throws
     * naming it).
     */
    static int firstMax(double[] z, int k) {
        int bound = k & ~(L - 1);
        int bound4 = k & ~(4 * L - 1);
        DoubleVector acc0 = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
        DoubleVector acc1 = acc0;
        DoubleVector acc2 = acc0;
        DoubleVector acc3 = acc0;
        int off = 0;
        for (; off < bound4; off += 4 * L) {
            acc0 = acc0.max(DoubleVector.fromArray(S, z, off));
            acc1 = acc1.max(DoubleVector.fromArray(S, z, off + L));
            acc2 = acc2.max(DoubleVector.fromArray(S, z, off + 2 * L));
            acc3 = acc3.max(DoubleVector.fromArray(S, z, off + 3 * L));
        }
        for (; off < bound; off += L) {
            acc0 = acc0.max(DoubleVector.fromArray(S, z, off));
        }
        DoubleVector acc = acc0.max(acc1).max(acc2.max(acc3));
        if (acc.compare(VectorOperators.NE, acc).anyTrue()) {
            return INVALID;
        }
        double best = acc.reduceLanes(VectorOperators.MAX);
        for (int j = bound; j < k; j++) {
            best = Math.max(best, z[j]);
        }
        if (best != best || best == Double.POSITIVE_INFINITY) {
            return INVALID;
        }
        if (best == Double.NEGATIVE_INFINITY) {
            return -1;
        }
        int j = 0;
        while (j < bound && !DoubleVector.fromArray(S, z, j).compare(VectorOperators.EQ, best).anyTrue()) {
            j += L;
        }
        while (z[j] != best) {
            j++;
        }
        return j;
    }

    /**
     * For {@link SoftmaxCrossEntropy#checkDistribution}'s quick accept: the sum of q[0, k) in sixteen
     * partials (two vectors of eight doubles; any order, the caller allows for its rounding), or NaN
     * if an element is NaN or negative (the minimum of the elements, NaN-propagating, is then not >= 0).
     */
    static double distributionSum(double[] q, int k) {
        int bound = k & ~15;
        DoubleVector s0 = DoubleVector.zero(D8);
        DoubleVector s1 = s0;
        DoubleVector low = DoubleVector.broadcast(D8, Double.POSITIVE_INFINITY);
        for (int off = 0; off < bound; off += 16) {
            DoubleVector a = DoubleVector.fromArray(D8, q, off);
            DoubleVector b = DoubleVector.fromArray(D8, q, off + 8);
            s0 = s0.add(a);
            s1 = s1.add(b);
            low = low.min(a.min(b));
        }
        double sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
        double min = low.reduceLanes(VectorOperators.MIN);
        for (int j = bound; j < k; j++) {
            sum += q[j];
            min = Math.min(min, q[j]);
        }
        return min >= 0 ? sum : Double.NaN;
    }

    /**
     * {@link #distributionSum(double[], int)} of a float row, its elements widened to double; NaN also
     * where an element has its sign bit set (-0.0 included: the caller's exact check then decides; a
     * vector minimum, NaN-propagating, was a chain of several instructions per block and cost more
     * than the sums).
     */
    static double distributionSum(float[] q, int k) {
        int bound = k & ~15;
        DoubleVector s0 = DoubleVector.zero(D8);
        DoubleVector s1 = s0;
        IntVector signs = IntVector.zero(IntVector.SPECIES_512);
        for (int off = 0; off < bound; off += LF) {
            FloatVector a = FloatVector.fromArray(SF, q, off);
            s0 = s0.add((DoubleVector) a.castShape(D8, 0));
            s1 = s1.add((DoubleVector) a.castShape(D8, 1));
            signs = signs.or(a.reinterpretAsInts());
        }
        double sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
        boolean negative = signs.reduceLanes(VectorOperators.OR) < 0;
        for (int j = bound; j < k; j++) {
            sum += q[j];
            negative |= Float.floatToRawIntBits(q[j]) < 0;
        }
        return negative ? Double.NaN : sum; // NaN and +inf entries make the sum NaN or infinite
    }

    /** What {@link #firstMax} returns for a row holding NaN or +inf. */
    static final int INVALID = -2;

    /**
     * A dense target row against the float path's row, exactly as {@link SoftmaxRow#targetTermsF}:
     * with c_j = q_j cw_j in double, partial l (l < 16) gets the sum of c_j (z_j - zMax), and partial
     * 16 + l the sum of c_j, over the j with j mod 16 = l in index order, the difference in double
     * and a term with c_j = 0 being +0 (so that 0 log 0 = 0 on a masked class). z, q and cw must have
     * room for {@link SoftmaxRow#paddedLengthF}(k) elements, c_j = 0 from k on. One plain loop,
     * sixteen elements a step as two halves of eight doubles, each half its own accumulators (one
     * accumulator for both halves made each step wait for two dependent additions); everything in
     * one method (see {@link #expShifted}). Returns the OR of the bit patterns of q's elements
     * (negative where one has its sign bit set; {@code signs}: sixteen ints of scratch), for the
     * caller's check of a probability row.
     */
    static int targetTermsF(float[] z, double zMax, float[] q, double[] cw, int k, double[] partial, int[] signs) {
        int bound = SoftmaxRow.paddedLengthF(k);
        java.util.Arrays.fill(partial, 0, 32, 0.0);
        java.util.Arrays.fill(signs, 0);
        // the sums live in memory, not in vectors carried across iterations (see expShifted)
        for (int off = 0; off < bound; off += LF) {
            // sixteen floats widened in two halves: only 512-bit vectors here, as in expShiftedF (a
            // second vector shape in the same Vector API methods makes C2 lose their exact types)
            FloatVector zj = FloatVector.fromArray(SF, z, off);
            FloatVector qj = FloatVector.fromArray(SF, q, off);
            IntVector.fromArray(I16, signs, 0).or(qj.reinterpretAsInts()).intoArray(signs, 0);
            DoubleVector c0 = ((DoubleVector) qj.castShape(D8, 0)).mul(DoubleVector.fromArray(D8, cw, off));
            DoubleVector c1 = ((DoubleVector) qj.castShape(D8, 1)).mul(DoubleVector.fromArray(D8, cw, off + 8));
            DoubleVector d0 = ((DoubleVector) zj.castShape(D8, 0)).sub(zMax);
            DoubleVector d1 = ((DoubleVector) zj.castShape(D8, 1)).sub(zMax);
            DoubleVector.fromArray(D8, partial, 0).add(c0.mul(d0).blend(0.0, c0.compare(VectorOperators.EQ, 0.0)))
                    .intoArray(partial, 0);
            DoubleVector.fromArray(D8, partial, 8).add(c1.mul(d1).blend(0.0, c1.compare(VectorOperators.EQ, 0.0)))
                    .intoArray(partial, 8);
            DoubleVector.fromArray(D8, partial, 16).add(c0).intoArray(partial, 16);
            DoubleVector.fromArray(D8, partial, 24).add(c1).intoArray(partial, 24);
        }
        int or = 0;
        for (int s : signs) {
            or |= s;
        }
        return or;
    }

    private static final VectorSpecies<Integer> I16 = IntVector.SPECIES_512;

    /**
     * The float path's gradient row against a dense target, exactly as
     * {@link SoftmaxRow#denseGradientF}: g_j = fma(e_j, rp, -(q_j cwh_j)), all in float, sixteen
     * lanes at a time (no double row, and no double-to-float conversion: such a vector conversion
     * made C2 drop the Vector API intrinsics of the other kernels). A pass of its own: the same
     * multiply-add inside {@link #expShiftedF}'s gradient stream made C2 compile that kernel without
     * its intrinsics once both forms of the stream had run (every loss 2-4x slower for the rest of
     * the process). Arrays of {@link SoftmaxRow#paddedLengthF}(k) elements.
     */
    static void denseGradientF(float[] e, float rp, float[] q, float[] cwh, int k, float[] g) {
        int bound = SoftmaxRow.paddedLengthF(k);
        FloatVector rpv = FloatVector.broadcast(SF, rp);
        for (int off = 0; off < bound; off += LF) {
            FloatVector c = FloatVector.fromArray(SF, q, off).mul(FloatVector.fromArray(SF, cwh, off));
            FloatVector.fromArray(SF, e, off).fma(rpv, c.neg()).intoArray(g, off);
        }
    }

    /**
     * Distillation's row pass, exactly as {@link SoftmaxRow#distillF}: partial l (l < 16) gets the sum
     * of e^q_j ((t_j - tMax) - (s_j - sMax)) in double over the j with j mod 16 = l in index order (+0
     * where e^q_j = 0), and g_j = fma(e^pT_j, a, fma(e^p_j, b, -(e^q_j c))) in float. Arrays of
     * {@link SoftmaxRow#paddedLengthF}(k) elements (the exponentials 0 from k on). One plain loop;
     * everything in one method (see {@link #expShifted}).
     */
    static void distillF(float[] t, double tMax, float[] s, double sMax, float[] eq, float[] ePT, float[] eP, float a,
            float b, float c, int k, float[] g, double[] partial) {
        int bound = SoftmaxRow.paddedLengthF(k);
        java.util.Arrays.fill(partial, 0, 16, 0.0); // in memory, not carried across iterations (see expShifted)
        FloatVector av = FloatVector.broadcast(SF, a);
        FloatVector bv = FloatVector.broadcast(SF, b);
        for (int off = 0; off < bound; off += LF) {
            FloatVector e = FloatVector.fromArray(SF, eq, off);
            FloatVector tj = FloatVector.fromArray(SF, t, off);
            FloatVector sj = FloatVector.fromArray(SF, s, off);
            DoubleVector e0 = (DoubleVector) e.castShape(D8, 0);
            DoubleVector e1 = (DoubleVector) e.castShape(D8, 1);
            DoubleVector d0 = ((DoubleVector) tj.castShape(D8, 0)).sub(tMax).sub(((DoubleVector) sj.castShape(D8, 0)).sub(sMax));
            DoubleVector d1 = ((DoubleVector) tj.castShape(D8, 1)).sub(tMax).sub(((DoubleVector) sj.castShape(D8, 1)).sub(sMax));
            DoubleVector.fromArray(D8, partial, 0).add(e0.mul(d0).blend(0.0, e0.compare(VectorOperators.EQ, 0.0)))
                    .intoArray(partial, 0);
            DoubleVector.fromArray(D8, partial, 8).add(e1.mul(d1).blend(0.0, e1.compare(VectorOperators.EQ, 0.0)))
                    .intoArray(partial, 8);
            FloatVector inner = FloatVector.fromArray(SF, eP, off).fma(bv, e.mul(c).neg());
            FloatVector.fromArray(SF, ePT, off).fma(av, inner).intoArray(g, off);
        }
    }

    private static final FloatVector F_LOG2E = FloatVector.broadcast(SF, SoftmaxRow.LOG2E_F);
    private static final FloatVector F_SHIFTER = FloatVector.broadcast(SF, SoftmaxRow.SHIFTER_F);
    private static final FloatVector F_MINUS_LN2_HI = FloatVector.broadcast(SF, -SoftmaxRow.LN2_HI_F);
    private static final FloatVector F_MINUS_LN2_LO = FloatVector.broadcast(SF, -SoftmaxRow.LN2_LO_F);
    private static final FloatVector F_ONE = FloatVector.broadcast(SF, 1f);
    private static final FloatVector F_C7 = FloatVector.broadcast(SF, SoftmaxRow.C7F);
    private static final FloatVector F_C6 = FloatVector.broadcast(SF, SoftmaxRow.C6F);
    private static final FloatVector F_C5 = FloatVector.broadcast(SF, SoftmaxRow.C5F);
    private static final FloatVector F_C4 = FloatVector.broadcast(SF, SoftmaxRow.C4F);
    private static final FloatVector F_C3 = FloatVector.broadcast(SF, SoftmaxRow.C3F);
    private static final FloatVector F_C2 = FloatVector.broadcast(SF, SoftmaxRow.C2F);

    private static final DoubleVector LOG2E = DoubleVector.broadcast(S, SoftmaxRow.LOG2E);
    private static final DoubleVector SHIFTER = DoubleVector.broadcast(S, SoftmaxRow.SHIFTER);
    private static final DoubleVector MINUS_LN2_HI = DoubleVector.broadcast(S, -SoftmaxRow.LN2_HI);
    private static final DoubleVector MINUS_LN2_LO = DoubleVector.broadcast(S, -SoftmaxRow.LN2_LO);
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
    private static final DoubleVector C13 = c(13);
    private static final DoubleVector C12 = c(12);
    private static final DoubleVector C11 = c(11);
    private static final DoubleVector C10 = c(10);
    private static final DoubleVector C9 = c(9);
    private static final DoubleVector C8 = c(8);
    private static final DoubleVector C7 = c(7);
    private static final DoubleVector C6 = c(6);
    private static final DoubleVector C5 = c(5);
    private static final DoubleVector C4 = c(4);
    private static final DoubleVector C3 = c(3);
    private static final DoubleVector C2 = c(2);

    /** 1/j! in every lane. */
    private static DoubleVector c(int j) {
        return DoubleVector.broadcast(S, SoftmaxRow.C[j]);
    }
}
