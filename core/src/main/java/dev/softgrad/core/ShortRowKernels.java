package dev.softgrad.core;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD half of {@link ShortRows}: sixteen rows of fewer than 16 logits at a time, transposed so that
 * lane r holds row r's logit j, every step of the row math done for the sixteen rows at once (the
 * maximum, the exponentials, the sum, log1p, the reciprocal, the gradient). Loaded only when the
 * module {@code jdk.incubator.vector} is present and the machine has sixteen float lanes.
 *
 * <p>Same bits as the scalar definition ({@link ShortRows#rowFloat}, {@link ShortRows#rowDouble}):
 * each lane performs the operations the scalar code performs for its row, in the same order; the
 * sum over j of a row is one lane's running sum in index order, which is what the row path's
 * partial sums reduce to on rows shorter than sixteen (float path) or eight (double path: partial
 * l gets elements l and l + 8, added as the row path adds them). A block returns false, having
 * written nothing the scalar code will not overwrite, when a row needs the row path's checks (NaN
 * or +inf, a row all -inf, a target on a -inf class, a maximum so large that z - max z could
 * overflow a float): the caller then runs the scalar definition on the block, which throws the
 * row path's error for its first bad row. Each kernel is one method on purpose, log1p written out
 * in both: a method taking, returning or merely computing with vectors runs its Java fallback
 * until C2 compiles it on its own; as a separate array-based method, log1p was compiled ~20,000 W1
 * steps after the kernel that called it, and those steps ran at twice the steady state's time.
 *
 * <p>The float kernel transposes its block by Vector API gathers with index maps that depend on K
 * alone (kept in the thread's {@link ShortRows.Scratch}): in, logit j of the sixteen rows from
 * r k + j; out, element x of the block from the transposed gradient at (x mod k) 16 + x / k. Two
 * scalar loops did this before and took about a third of the kernel. It widens floats to double
 * only by {@code castShape(D8, 0)} (rows 8-15 from a load eight lanes on): the upper half's
 * {@code castShape(D8, 1)} is a slice, whose shuffle check C2 left as a call (15 % of a K = 10
 * profile, BENCHMARKS.md issue 10, fourth session).
 */
final class ShortRowKernels {
    private ShortRowKernels() {
    }

    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_512;
    private static final VectorSpecies<Double> D8 = DoubleVector.SPECIES_512;
    private static final int B = ShortRows.BLOCK;

    /**
     * Rows i0 .. i0 + 15 of float32 logits on the float path ({@link ShortRows#rowFloat} lane by
     * lane): losses into the chunk's ({@link ShortRows.Scratch#lossInto}), the gradient rows into g. False if the block needs the scalar code.
     */
    static boolean blockFloat(Dense z, Dense g, int i0, int k, ShortRows.Labels t, ShortRows.Scratch s) {
        if (!(t.tau <= 1e30)) { // keeps 2^20 tau and 200 tau finite floats
            return false;
        }
        float[] raw = s.blockF;
        float[] zt = s.tF;
        z.f.get(i0 * k, raw, 0, k * B);
        for (int j = 0; j < k; j++) { // transposed by gathers: zt[j * 16 + r] = raw[r * k + j], row r's logit j
            FloatVector.fromArray(SF, raw, j, s.rowStart, 0).intoArray(zt, j * B);
        }
        // the row maxima (NaN or +inf if the row has one), the index of the first maximal logit
        FloatVector mx = FloatVector.broadcast(SF, Float.NEGATIVE_INFINITY);
        FloatVector firstAt = FloatVector.zero(SF);
        for (int j = 0; j < k; j++) {
            FloatVector v = FloatVector.fromArray(SF, zt, j * B);
            firstAt = firstAt.blend((float) j, v.compare(VectorOperators.GT, mx));
            mx = mx.max(v);
        }
        // |max z| <= 2^20 tau in every row: no NaN, no +inf, no row all -inf, and max z - 200 tau
        // is a safe floor (below)
        float tau = (float) t.tau;
        if (!mx.abs().compare(VectorOperators.LE, FLOOR_LIMIT * tau).allTrue()) {
            return false;
        }
        // e_j = exp(d_j) as SoftmaxRow.expShiftedF, and s = the sum of e_j but the first maximal one.
        // The floor differs from SoftmaxRow.floorArg's (max z - 120 tau rounded down) but not the bits:
        // a logit below either floor has (z_j - max z) / tau <= -119.99 with a tiny remainder, so its
        // exponential is 0 clamped or not (expF clamps at -110; e^-110 is below half the least float)
        boolean unit = tau == 1f;
        float inv = 1f / tau;
        FloatVector negMax = mx.neg();
        FloatVector lo = mx.sub(FLOOR_GAP * tau);
        float[] et = s.eBlockF;
        float[] ct = s.countedF;
        labels(t, i0, s);
        FloatVector label = FloatVector.fromArray(SF, s.rowLabel, 0);
        FloatVector zy = FloatVector.zero(SF); // z_y and e_y of each row, picked out as j passes y
        FloatVector ey = FloatVector.zero(SF);
        DoubleVector sum0 = DoubleVector.zero(D8);
        DoubleVector sum1 = DoubleVector.zero(D8);
        for (int j = 0; j < k; j++) {
            FloatVector v = FloatVector.fromArray(SF, zt, j * B);
            FloatVector a = v.max(lo);
            FloatVector sv = a.add(negMax);
            FloatVector bp = sv.sub(a);
            FloatVector ap = sv.sub(bp);
            FloatVector err = a.sub(ap).add(negMax.sub(bp));
            // (s + err) / tau = xh + xl through the reciprocal, as SoftmaxRow.expShiftedF
            FloatVector xh = sv.mul(inv);
            FloatVector xl = xh.fma(FloatVector.broadcast(SF, -tau), sv).add(err).mul(inv);
            FloatVector xc = xh.max(SoftmaxRow.MIN_ARG_F);
            FloatVector tt = xc.fma(F_LOG2E, F_SHIFTER);
            FloatVector n = tt.sub(SoftmaxRow.SHIFTER_F);
            FloatVector rr = n.fma(F_MINUS_LN2_HI, xc);
            rr = n.fma(F_MINUS_LN2_LO, rr);
            rr = rr.add(xl);
            FloatVector q = rr.fma(F_C7, F_C6);
            q = q.fma(rr, F_C5);
            q = q.fma(rr, F_C4);
            q = q.fma(rr, F_C3);
            q = q.fma(rr, F_C2);
            q = q.fma(rr, F_ONE);
            q = q.fma(rr, F_ONE);
            IntVector bits = (IntVector) tt.reinterpretAsInts().add(SoftmaxRow.SCALE_BIAS_F);
            FloatVector scale = bits.lanewise(VectorOperators.LSHL, 23).max(0).reinterpretAsFloats();
            FloatVector ex = q.mul(scale).mul(SoftmaxRow.TWO_M24);
            ex.intoArray(et, j * B);
            // the first maximal term (exactly 1 here) is left out of s, as in the row path
            VectorMask<Float> target = label.compare(VectorOperators.EQ, (float) j);
            zy = zy.blend(v, target);
            ey = ey.blend(ex, target);
            FloatVector counted = ex.blend(0f, firstAt.compare(VectorOperators.EQ, (float) j));
            counted.intoArray(ct, j * B);
            sum0 = sum0.add((DoubleVector) counted.castShape(D8, 0));
        }
        // rows 8-15 widened from a load eight lanes on, not by castShape(D8, 1) (a slice, whose shuffle
        // C2 sometimes leaves as a call); the same additions in the same order
        for (int j = 0; j < k; j++) {
            sum1 = sum1.add((DoubleVector) FloatVector.fromArray(SF, ct, j * B + 8).castShape(D8, 0));
        }
        sum0.intoArray(s.rowSum, 0);
        sum1.intoArray(s.rowSum, 8);
        zy.intoArray(s.rowZy, 0);
        ey.intoArray(s.rowEy, 0);
        mx.intoArray(s.rowMax, 0);
        // log1p(s) as SoftmaxRow.log1p, and r = 1 / (1 + s), eight rows at a time
        for (int h = 0; h < B; h += 8) {
            DoubleVector sv = DoubleVector.fromArray(D8, s.rowSum, h);
            DoubleVector u = sv.add(1.0);
            DoubleVector c = sv.sub(u.sub(1.0)).div(u);
            LongVector bits = (LongVector) u.reinterpretAsLongs().add(SoftmaxRow.SQRT_HALF_SHIFT);
            LongVector kk = (LongVector) bits.lanewise(VectorOperators.LSHR, 52).sub(0x3ffL);
            DoubleVector m = bits.and(SoftmaxRow.MANTISSA).add(SoftmaxRow.SQRT_HALF_HIGH).reinterpretAsDoubles();
            DoubleVector f = m.sub(1.0);
            DoubleVector hfsq = f.mul(0.5).mul(f);
            DoubleVector qq = f.div(f.add(2.0));
            DoubleVector zz = qq.mul(qq);
            DoubleVector w = zz.mul(zz);
            DoubleVector t1 = w.mul(w.mul(w.mul(SoftmaxRow.LG6).add(SoftmaxRow.LG4)).add(SoftmaxRow.LG2));
            DoubleVector t2 = zz.mul(w.mul(w.mul(w.mul(SoftmaxRow.LG7).add(SoftmaxRow.LG5)).add(SoftmaxRow.LG3)).add(SoftmaxRow.LG1));
            // k as a double, exactly: the bits of 1.5 * 2^52 + k
            DoubleVector dk = kk.add(SoftmaxRow.SHIFTER_BITS).reinterpretAsDoubles().sub(SoftmaxRow.SHIFTER);
            DoubleVector lp = qq.mul(hfsq.add(t2.add(t1))).add(dk.mul(SoftmaxRow.LN2_LO).add(c)).sub(hfsq).add(f)
                    .add(dk.mul(SoftmaxRow.LN2_HI));
            DoubleVector r = D_ONE.div(u);
            // per row, as ShortRows.rowFloat: l = 0 - a (d_y - log1p(s)) (0 where a = 0 or the row
            // is ignored), rp = r (a h), g_y = e_y rp - a h
            DoubleVector a = DoubleVector.fromArray(D8, s.rowMass, h);
            DoubleVector zyD = (DoubleVector) FloatVector.fromArray(SF, s.rowZy, h).castShape(D8, 0);
            VectorMask<Double> none = a.compare(VectorOperators.EQ, 0.0);
            if (zyD.compare(VectorOperators.EQ, Double.NEGATIVE_INFINITY).and(a.compare(VectorOperators.NE, 0.0)).anyTrue()) {
                return false; // a target on a masked class: the scalar code throws the row path's error
            }
            // (max z is +0 where the scalar code may read -0 as the first maximum: d_y may then differ
            // in the sign of a zero, but d_y - log1p(s) does not, as two maximal logits make s >= 1)
            DoubleVector dy = zyD.sub((DoubleVector) FloatVector.fromArray(SF, s.rowMax, h).castShape(D8, 0));
            if (!unit) {
                dy = dy.div(t.tau);
            }
            D_ZERO.sub(a.mul(dy.sub(lp))).blend(0.0, none).intoArray(s.loss, i0 - s.lossBase + h);
            DoubleVector ah = a.mul(t.h);
            DoubleVector rp = r.mul(ah);
            rp.intoArray(s.rowRp, h);
            ((DoubleVector) FloatVector.fromArray(SF, s.rowEy, h).castShape(D8, 0)).mul(rp).sub(ah).intoArray(s.rowTargetD, h);
        }
        // g_j = e_j f with f = (float) rp (lane r: row r's f), then written back row by row (element x
        // of the block, row x / k's element x mod k, gathered), then g_y
        factors(s);
        FloatVector f = FloatVector.fromArray(SF, s.rowFactor, 0);
        for (int j = 0; j < k; j++) {
            FloatVector.fromArray(SF, et, j * B).mul(f).intoArray(et, j * B);
        }
        for (int x = 0; x < k * B; x += B) {
            FloatVector.fromArray(SF, et, 0, s.transposedAt, x).intoArray(raw, x);
        }
        targets(t, i0, k, s, raw);
        g.f.put(i0 * k, raw, 0, k * B);
        return true;
    }

    // The float kernel's scalar loops over the sixteen rows, as methods of their own (no vector in or
    // out): their back edges then do not count as the kernel's. Each loop of the kernel that C1's code
    // reports hot gets an on-stack-replacement compile of the whole kernel, and the kernel's own C2
    // compile was queued only after them: with these loops inside (ten loops of alike trip counts),
    // -XX:+LogCompilation showed it queued after 11,000-21,000 calls, behind three to eight such
    // compiles, and the [32, 10] node ran ~80 us a call (C1's code) for 5,000-8,000 calls instead of
    // 1,000-3,000 (BENCHMARKS.md, issue 10, fourth session).

    /** Lane r: row r's label as a float (-1 if ignored), and its target mass a = w_y (0 if ignored). */
    private static void labels(ShortRows.Labels t, int i0, ShortRows.Scratch s) {
        for (int r = 0; r < B; r++) {
            int y = t.y[i0 + r];
            boolean ignored = y == t.ignore;
            s.rowLabel[r] = ignored ? -1f : y;
            s.rowMass[r] = ignored ? 0.0 : t.mass(y);
        }
    }

    /** f = (float) rp per row. */
    private static void factors(ShortRows.Scratch s) {
        for (int r = 0; r < B; r++) {
            s.rowFactor[r] = (float) s.rowRp[r];
        }
    }

    /** g_y of each row that counts, into the row-major block. */
    private static void targets(ShortRows.Labels t, int i0, int k, ShortRows.Scratch s, float[] raw) {
        for (int r = 0; r < B; r++) {
            int y = t.y[i0 + r];
            if (y != t.ignore) {
                raw[r * k + y] = (float) s.rowTargetD[r];
            }
        }
    }

    /**
     * Rows i0 .. i0 + 15 of logits on the double path ({@link ShortRows#rowDouble} lane by lane),
     * eight rows per vector. False if the block needs the scalar code.
     */
    static boolean blockDouble(Dense z, Dense g, int i0, int k, ShortRows.Labels t, ShortRows.Scratch s) {
        double[] raw = s.blockD;
        double[] zt = s.tD;
        double[] et = s.eBlockD;
        double[] dt = s.dBlockD;
        if (z.d != null) {
            z.d.get(i0 * k, raw, 0, k * B);
        } else {
            z.f.get(i0 * k, s.blockF, 0, k * B);
            for (int x = 0; x < k * B; x++) {
                raw[x] = s.blockF[x];
            }
        }
        for (int j = 0; j < k; j++) {
            for (int r = 0; r < B; r++) {
                zt[j * B + r] = raw[r * k + j];
            }
        }
        double tau = t.tau;
        boolean unit = tau == 1.0;
        for (int h = 0; h < B; h += 8) {
            // the row maxima (NaN or +inf if the row has one) and the index of the first maximal logit
            DoubleVector mx = DoubleVector.broadcast(D8, Double.NEGATIVE_INFINITY);
            DoubleVector firstAt = DoubleVector.zero(D8);
            for (int j = 0; j < k; j++) {
                DoubleVector v = DoubleVector.fromArray(D8, zt, j * B + h);
                firstAt = firstAt.blend((double) j, v.compare(VectorOperators.GT, mx));
                mx = mx.max(v);
            }
            if (!mx.abs().compare(VectorOperators.LT, Double.POSITIVE_INFINITY).allTrue()) {
                return false; // NaN or +inf somewhere, or a row that is all -inf
            }
            firstAt.intoArray(s.rowFirstD, h);
            for (int j = 0; j < k; j++) {
                DoubleVector v = DoubleVector.fromArray(D8, zt, j * B + h);
                // d_j = (z_j - max z) / tau; the first maximal logit counts as -inf in the sum
                DoubleVector x = v.sub(mx);
                if (!unit) {
                    x = x.div(tau);
                }
                x.intoArray(dt, j * B + h);
                x = x.blend(Double.NEGATIVE_INFINITY, firstAt.compare(VectorOperators.EQ, (double) j));
                DoubleVector xc = x.max(SoftmaxRow.MIN_ARG);
                DoubleVector tt = xc.fma(LOG2E, SHIFTER);
                DoubleVector n = tt.sub(SoftmaxRow.SHIFTER);
                DoubleVector rr = n.fma(MINUS_LN2_HI, xc);
                rr = n.fma(MINUS_LN2_LO, rr);
                DoubleVector q = C13.fma(rr, C12);
                q = q.fma(rr, C11);
                q = q.fma(rr, C10);
                q = q.fma(rr, C9);
                q = q.fma(rr, C8);
                q = q.fma(rr, C7);
                q = q.fma(rr, C6);
                q = q.fma(rr, C5);
                q = q.fma(rr, C4);
                q = q.fma(rr, C3);
                q = q.fma(rr, C2);
                q = q.fma(rr, D_ONE);
                q = q.fma(rr, D_ONE);
                LongVector bits = (LongVector) tt.reinterpretAsLongs().add(SoftmaxRow.SCALE_BIAS);
                DoubleVector scale = bits.lanewise(VectorOperators.LSHL, 52).max(0L).reinterpretAsDoubles();
                q.mul(scale).mul(SoftmaxRow.TWO_M53).intoArray(et, j * B + h);
            }
            // the row path's eight partials (element j into partial j mod 8) and their fixed-order sum
            double[] pt = s.partialD;
            for (int l = 0; l < 8; l++) { // partial l: 0 + e_l (+ e_{l + 8}), the terms the row has
                DoubleVector p = DoubleVector.zero(D8);
                if (l < k) {
                    p = p.add(DoubleVector.fromArray(D8, et, l * B + h));
                }
                if (l + 8 < k) {
                    p = p.add(DoubleVector.fromArray(D8, et, (l + 8) * B + h));
                }
                p.intoArray(pt, l * 8);
            }
            DoubleVector sv = DoubleVector.fromArray(D8, pt, 0).add(DoubleVector.fromArray(D8, pt, 8))
                    .add(DoubleVector.fromArray(D8, pt, 16).add(DoubleVector.fromArray(D8, pt, 24)))
                    .add(DoubleVector.fromArray(D8, pt, 32).add(DoubleVector.fromArray(D8, pt, 40))
                            .add(DoubleVector.fromArray(D8, pt, 48).add(DoubleVector.fromArray(D8, pt, 56))));
            // log1p(s) as SoftmaxRow.log1p, and r = 1 / (1 + s)
            DoubleVector u = sv.add(1.0);
            DoubleVector c = sv.sub(u.sub(1.0)).div(u);
            LongVector bits = (LongVector) u.reinterpretAsLongs().add(SoftmaxRow.SQRT_HALF_SHIFT);
            LongVector kk = (LongVector) bits.lanewise(VectorOperators.LSHR, 52).sub(0x3ffL);
            DoubleVector m = bits.and(SoftmaxRow.MANTISSA).add(SoftmaxRow.SQRT_HALF_HIGH).reinterpretAsDoubles();
            DoubleVector f = m.sub(1.0);
            DoubleVector hfsq = f.mul(0.5).mul(f);
            DoubleVector qq = f.div(f.add(2.0));
            DoubleVector zz = qq.mul(qq);
            DoubleVector w = zz.mul(zz);
            DoubleVector t1 = w.mul(w.mul(w.mul(SoftmaxRow.LG6).add(SoftmaxRow.LG4)).add(SoftmaxRow.LG2));
            DoubleVector t2 = zz.mul(w.mul(w.mul(w.mul(SoftmaxRow.LG7).add(SoftmaxRow.LG5)).add(SoftmaxRow.LG3)).add(SoftmaxRow.LG1));
            DoubleVector dk = kk.add(SoftmaxRow.SHIFTER_BITS).reinterpretAsDoubles().sub(SoftmaxRow.SHIFTER);
            DoubleVector lp = qq.mul(hfsq.add(t2.add(t1))).add(dk.mul(SoftmaxRow.LN2_LO).add(c)).sub(hfsq).add(f)
                    .add(dk.mul(SoftmaxRow.LN2_HI));
            lp.intoArray(s.rowLog1pS, h);
            D_ONE.div(u).intoArray(s.rowR, h);
        }
        // per row: the loss and the gradient's factor
        double hh = t.h;
        for (int r = 0; r < B; r++) {
            int i = i0 + r;
            int y = t.y[i];
            if (y == t.ignore) {
                s.loss[i - s.lossBase] = 0.0;
                s.rowFactorD[r] = 0.0;
                continue;
            }
            double a = t.mass(y);
            double loss = 0.0;
            double mass = 0.0;
            if (a != 0.0) {
                if (zt[y * B + r] == Double.NEGATIVE_INFINITY) {
                    return false;
                }
                loss -= a * (dt[y * B + r] - s.rowLog1pS[r]);
                mass += a;
            }
            s.loss[i - s.lossBase] = loss;
            s.rowFactorD[r] = mass * hh;
        }
        // g_j = (e_j r) (a h), the first maximal e_j being 1
        for (int h = 0; h < B; h += 8) {
            DoubleVector rv = DoubleVector.fromArray(D8, s.rowR, h);
            DoubleVector pf = DoubleVector.fromArray(D8, s.rowFactorD, h);
            DoubleVector firstAt = DoubleVector.fromArray(D8, s.rowFirstD, h);
            for (int j = 0; j < k; j++) {
                DoubleVector e = DoubleVector.fromArray(D8, et, j * B + h)
                        .blend(1.0, firstAt.compare(VectorOperators.EQ, (double) j));
                e.mul(rv).mul(pf).intoArray(et, j * B + h);
            }
        }
        for (int r = 0; r < B; r++) {
            int y = t.y[i0 + r];
            if (y != t.ignore) {
                et[y * B + r] -= t.mass(y) * hh;
            }
        }
        for (int j = 0; j < k; j++) {
            for (int r = 0; r < B; r++) {
                raw[r * k + j] = et[j * B + r];
            }
        }
        if (g.d != null) {
            g.d.put(i0 * k, raw, 0, k * B);
        } else {
            for (int x = 0; x < k * B; x++) {
                s.blockF[x] = (float) raw[x];
            }
            g.f.put(i0 * k, s.blockF, 0, k * B);
        }
        return true;
    }

    /** Rows with |max z| > 2^20 tau go to the scalar code (a float step at max z is then wider than tau / 8). */
    private static final float FLOOR_LIMIT = 0x1p20f;
    /** The floor below max z, in units of tau: max z - 200 tau is within tau / 8 of its exact value. */
    private static final float FLOOR_GAP = 200f;

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

    private static final DoubleVector D_ONE = DoubleVector.broadcast(D8, 1.0);
    private static final DoubleVector D_ZERO = DoubleVector.zero(D8);
    private static final DoubleVector LOG2E = DoubleVector.broadcast(D8, SoftmaxRow.LOG2E);
    private static final DoubleVector SHIFTER = DoubleVector.broadcast(D8, SoftmaxRow.SHIFTER);
    private static final DoubleVector MINUS_LN2_HI = DoubleVector.broadcast(D8, -SoftmaxRow.LN2_HI);
    private static final DoubleVector MINUS_LN2_LO = DoubleVector.broadcast(D8, -SoftmaxRow.LN2_LO);
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

    private static DoubleVector c(int j) {
        return DoubleVector.broadcast(D8, SoftmaxRow.C[j]);
    }
}
