#!/usr/bin/env python3
"""PyTorch CPU reference timings for comparison with softgrad.

Measures, in float32 on the CPU, with warm-up, and reports the median, p10
and p90 time per call in microseconds:

  a. small element-wise op on [32,10]: allocating ``a + b`` and in-place
     ``a.add_(b)``;
  b. one full SGD step of a linear softmax classifier
     (logits = x @ W + b, mean cross-entropy, update W and b) for
     batch 32 / 64 features / 10 classes and batch 128 / 784 features /
     10 classes, both
       (i)  with autograd: ``loss.backward()``, then under ``no_grad``
            ``W -= lr*W.grad; b -= lr*b.grad`` and zeroing the grads, and
       (ii) without autograd: hand-written forward and gradient
            (p = softmax(logits); g = (p - onehot)/N; dW = x.T @ g;
            db = g.sum(0)) with in-place updates (no loss value computed;
            the one-hot matrix is built once, outside the timed region);
  c. ``F.cross_entropy(z, y).backward()`` (forward + backward, ``z.grad``
     reset to None before each call) on logits [8192,1000] and [32,10],
     plus the forward alone for reference;
  d. ``dst.copy_(src)`` of a [8192,1000] float32 tensor, also reported as
     memory bandwidth in GB/s counting read + write bytes
     (2 * 4 * 8192 * 1000 bytes per copy); plus a [131072,1000] copy as a
     DRAM reference, since 2 x 32.8 MB may partly fit in the last-level
     cache.

Timing method: each sample times ``inner`` back-to-back calls with
``time.perf_counter_ns`` and divides by ``inner``; ``inner`` is chosen per
benchmark so that one sample lasts at least ``--min-sample-us`` (which keeps
timer overhead out of sub-microsecond ops).  ``--repeats`` samples are taken
after ``--warmup`` untimed samples.  With ``--runs N`` the whole suite is run
N times and, per benchmark, the run with the lowest median is kept (useful
when the machine is shared with other work).

Usage:
    python bench_torch.py [--threads 2] [--repeats 200] [--runs 2]
                          [--markdown results.md] [--json results.json]
"""

import argparse
import json
import platform
import statistics
import subprocess
import time

import torch
import torch.nn.functional as F

DTYPE = torch.float32
LR = 0.1


# --------------------------------------------------------------------------
# timing helpers
# --------------------------------------------------------------------------

def _percentile(sorted_vals, q):
    """Linear-interpolated percentile (q in [0, 100]) of a sorted list."""
    if len(sorted_vals) == 1:
        return sorted_vals[0]
    pos = (len(sorted_vals) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(sorted_vals) - 1)
    frac = pos - lo
    return sorted_vals[lo] * (1 - frac) + sorted_vals[hi] * frac


def _calibrate_inner(fn, min_sample_us):
    """Number of calls per sample so that one sample lasts >= min_sample_us."""
    inner = 1
    while True:
        t0 = time.perf_counter_ns()
        for _ in range(inner):
            fn()
        elapsed_us = (time.perf_counter_ns() - t0) / 1e3
        if elapsed_us >= min_sample_us or inner >= 1 << 20:
            return inner
        # aim a bit above the target, grow at most 10x per step
        factor = min_sample_us * 1.2 / max(elapsed_us, 1e-3)
        inner = max(inner + 1, int(inner * min(factor, 10.0)))


def measure(fn, repeats, warmup, min_sample_us):
    """Return dict with median/p10/p90/min (microseconds per call)."""
    for _ in range(max(warmup, 1)):
        fn()
    inner = _calibrate_inner(fn, min_sample_us)
    for _ in range(warmup):  # warm-up in the final configuration too
        for _ in range(inner):
            fn()
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter_ns() - t0) / 1e3 / inner)
    samples.sort()
    return {
        "median_us": statistics.median(samples),
        "p10_us": _percentile(samples, 10),
        "p90_us": _percentile(samples, 90),
        "min_us": samples[0],
        "inner": inner,
        "repeats": repeats,
    }


# --------------------------------------------------------------------------
# benchmarks: each factory returns a zero-argument callable to be timed
# --------------------------------------------------------------------------

def make_add(alloc):
    a = torch.randn(32, 10, dtype=DTYPE)
    b = torch.randn(32, 10, dtype=DTYPE)
    if alloc:
        return lambda: a + b
    return lambda: a.add_(b)


def _classifier_data(batch, features, classes, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, features, generator=g, dtype=DTYPE)
    y = torch.randint(0, classes, (batch,), generator=g)
    W = torch.randn(features, classes, generator=g, dtype=DTYPE) * 0.01
    b = torch.zeros(classes, dtype=DTYPE)
    return x, y, W, b


def make_sgd_autograd(batch, features, classes):
    x, y, W, b = _classifier_data(batch, features, classes)
    W.requires_grad_(True)
    b.requires_grad_(True)

    def step():
        nonlocal W, b  # `W -= ...` below is in-place, but rebinds the name
        logits = x @ W + b
        loss = F.cross_entropy(logits, y)  # mean reduction
        loss.backward()
        with torch.no_grad():
            W -= LR * W.grad
            b -= LR * b.grad
            W.grad.zero_()
            b.grad.zero_()
        return loss

    return step


def make_sgd_manual(batch, features, classes):
    x, y, W, b = _classifier_data(batch, features, classes)
    onehot = F.one_hot(y, classes).to(DTYPE)  # data preparation, not timed
    inv_n = 1.0 / batch

    def step():
        logits = torch.addmm(b, x, W)          # x @ W + b
        g = torch.softmax(logits, dim=1)       # p
        g.sub_(onehot).mul_(inv_n)             # g = (p - onehot) / N
        dW = x.t() @ g
        db = g.sum(0)
        W.sub_(dW, alpha=LR)
        b.sub_(db, alpha=LR)

    return step


def make_ce(rows, cols, backward=True):
    g = torch.Generator().manual_seed(1)
    z = torch.randn(rows, cols, generator=g, dtype=DTYPE)
    y = torch.randint(0, cols, (rows,), generator=g)
    if not backward:
        return lambda: F.cross_entropy(z, y)
    z.requires_grad_(True)

    def fwd_bwd():
        z.grad = None
        F.cross_entropy(z, y).backward()

    return fwd_bwd


COPY_SHAPE = (8192, 1000)
# 16x larger reference copy (2 x 524 MB): far beyond any cache, so it shows
# the DRAM streaming bandwidth.  The 32.8 MB copy above can be partly served
# from the last-level cache and then reports more than DRAM can deliver.
BIG_COPY_SHAPE = (131072, 1000)


def make_copy(shape):
    src = torch.randn(*shape, dtype=DTYPE)
    dst = torch.empty_like(src)
    return lambda: dst.copy_(src)


def copy_bytes(shape):
    return 2 * 4 * shape[0] * shape[1]  # read + write, float32


BENCHMARKS = [
    # (name, factory, no_grad?)
    ("add [32,10] a + b (allocating)", lambda: make_add(True), True),
    ("add [32,10] a.add_(b) (in-place)", lambda: make_add(False), True),
    ("SGD step autograd   N=32  F=64  C=10", lambda: make_sgd_autograd(32, 64, 10), False),
    ("SGD step hand-grad  N=32  F=64  C=10", lambda: make_sgd_manual(32, 64, 10), True),
    ("SGD step autograd   N=128 F=784 C=10", lambda: make_sgd_autograd(128, 784, 10), False),
    ("SGD step hand-grad  N=128 F=784 C=10", lambda: make_sgd_manual(128, 784, 10), True),
    ("cross_entropy fwd+bwd [32,10]", lambda: make_ce(32, 10), False),
    ("cross_entropy fwd only [32,10]", lambda: make_ce(32, 10, backward=False), True),
    ("cross_entropy fwd+bwd [8192,1000]", lambda: make_ce(8192, 1000), False),
    ("cross_entropy fwd only [8192,1000]", lambda: make_ce(8192, 1000, backward=False), True),
    ("copy_ [8192,1000] f32 (32.8 MB)", lambda: make_copy(COPY_SHAPE), True),
    ("copy_ [131072,1000] f32 (524 MB, DRAM reference)", lambda: make_copy(BIG_COPY_SHAPE), True),
]
COPY_SHAPES = {
    "copy_ [8192,1000] f32 (32.8 MB)": COPY_SHAPE,
    "copy_ [131072,1000] f32 (524 MB, DRAM reference)": BIG_COPY_SHAPE,
}


# --------------------------------------------------------------------------
# reporting
# --------------------------------------------------------------------------

def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return platform.processor() or "unknown"


def fmt(v):
    return f"{v:,.2f}" if v < 100 else f"{v:,.0f}"


def markdown_table(results):
    lines = [
        "| benchmark | median µs | p10 µs | p90 µs | calls/sample |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        lines.append(f"| {name} | {fmt(r['median_us'])} | {fmt(r['p10_us'])} | "
                     f"{fmt(r['p90_us'])} | {r['inner']} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    ap.add_argument("--repeats", type=int, default=200, help="timed samples per benchmark (default 200)")
    ap.add_argument("--warmup", type=int, default=20, help="untimed warm-up samples (default 20)")
    ap.add_argument("--min-sample-us", type=float, default=1000.0,
                    help="minimum duration of one sample; small ops are looped (default 1000)")
    ap.add_argument("--runs", type=int, default=1,
                    help="run the suite N times, keep the lowest median per benchmark (default 1)")
    ap.add_argument("--filter", default="", help="only benchmarks whose name contains this")
    ap.add_argument("--markdown", help="also write the results table to this file")
    ap.add_argument("--json", help="also write raw results to this file")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    header = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "mkl": torch.backends.mkl.is_available(),
        "repeats": args.repeats,
        "warmup": args.warmup,
        "runs": args.runs,
    }
    for k, v in header.items():
        print(f"{k}: {v}")
    print()

    best = {}
    for run in range(args.runs):
        for name, factory, no_grad in BENCHMARKS:
            if args.filter and args.filter not in name:
                continue
            with torch.set_grad_enabled(not no_grad):
                fn = factory()
                r = measure(fn, args.repeats, args.warmup, args.min_sample_us)
            r["run"] = run + 1
            print(f"[run {run + 1}] {name:40s} median {fmt(r['median_us']):>10s} µs  "
                  f"p10 {fmt(r['p10_us']):>10s}  p90 {fmt(r['p90_us']):>10s}  (x{r['inner']})",
                  flush=True)
            if name not in best or r["median_us"] < best[name]["median_us"]:
                best[name] = r

    table = markdown_table(best)
    extra = []
    for name, r in best.items():
        if name in COPY_SHAPES:
            nbytes = copy_bytes(COPY_SHAPES[name])
            gbs = nbytes / (r["median_us"] * 1e-6) / 1e9
            r["GB_per_s"] = gbs
            extra.append(f"- {name}: read+write {nbytes:,} B per copy, "
                         f"median **{gbs:.1f} GB/s**")

    print()
    print(table)
    print()
    for line in extra:
        print(line)

    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table + "\n\n" + "\n".join(extra) + "\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"header": header, "results": best}, f, indent=2)


if __name__ == "__main__":
    main()
