#!/usr/bin/env python3
"""PyTorch counterpart of softgrad's nn TrainBench (nn/src/test/java/dev/softgrad/nn/bench/TrainBench.java).

Reads the data exactly as softgrad trained on it (written by TrainBench: rows in the shuffled order of
softgrad's first epoch, little-endian float32 features and int32 labels), then times, in float32 on the CPU:

  1. one epoch of minibatch SGD (batch 128, lr 0.1) of a softmax classifier on the 60000 x 784 blobs,
     in the same batch order as softgrad, two ways: slicing the pre-ordered rows (a view per batch:
     PyTorch's best case) and gathering each batch with an index (what a shuffling loader does);
  2. 200 full-batch steps (lr 0.1) on the standardised 8x8 digits (1797 x 64).

Model: logits = x @ W + b with W [D, K] and b [K] starting at zero (softgrad's orientation and
initialisation); loss F.cross_entropy (mean); torch.optim.SGD; loss.item() read every step, as
softgrad's Trainer does. Reports median / min / max seconds over --reps runs after --warmup, the final
loss (mean cross-entropy over the whole data set, in float64), and its difference from softgrad's.

Usage: python bench_train.py --dir nn/target/bench [--threads 2] [--warmup 2] [--reps 7]
"""

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F


def load(base):
    n, d, k = (int(v) for v in Path(str(base) + ".txt").read_text().split())
    x = np.fromfile(str(base) + ".f32", dtype="<f4").reshape(n, d)
    y = np.fromfile(str(base) + ".i32", dtype="<i4").astype(np.int64)
    return torch.from_numpy(x.copy()), torch.from_numpy(y), k


def full_loss(x, y, w, b):
    with torch.no_grad():
        return F.cross_entropy((x.double() @ w.double()) + b.double(), y).item()


def epoch(x, y, k, lr, batch, gather):
    w = torch.zeros(x.shape[1], k, requires_grad=True)
    b = torch.zeros(k, requires_grad=True)
    opt = torch.optim.SGD([w, b], lr=lr)
    n = x.shape[0]
    idx = torch.arange(n)
    t0 = time.perf_counter()
    for i in range(0, n, batch):
        if gather:
            rows = idx[i:i + batch]
            xb, yb = x.index_select(0, rows), y.index_select(0, rows)
        else:
            xb, yb = x[i:i + batch], y[i:i + batch]
        loss = F.cross_entropy(xb @ w + b, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()
    return time.perf_counter() - t0, full_loss(x, y, w, b)


def full_batch(x, y, k, lr, steps):
    w = torch.zeros(x.shape[1], k, requires_grad=True)
    b = torch.zeros(k, requires_grad=True)
    opt = torch.optim.SGD([w, b], lr=lr)
    t0 = time.perf_counter()
    for _ in range(steps):
        loss = F.cross_entropy(x @ w + b, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()
    return time.perf_counter() - t0, full_loss(x, y, w, b)


def timed(fn, warmup, reps):
    times, loss = [], None
    for r in range(warmup + reps):
        t, loss = fn()
        if r >= warmup:
            times.append(t)
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times), "final_loss": loss}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="nn/target/bench")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--reps", type=int, default=7)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    d = Path(a.dir)
    bx, by, bk = load(d / "blobs60k")
    dx, dy, dk = load(d / "digits")
    res = {
        "torch": torch.__version__,
        "threads": a.threads,
        "blobs60k_epoch_slices": timed(lambda: epoch(bx, by, bk, 0.1, 128, False), a.warmup, a.reps),
        "blobs60k_epoch_gather": timed(lambda: epoch(bx, by, bk, 0.1, 128, True), a.warmup, a.reps),
        "digits_200": timed(lambda: full_batch(dx, dy, dk, 0.1, 200), a.warmup, a.reps),
    }
    sg = d / "softgrad-results.json"
    if sg.exists():
        s = json.loads(sg.read_text())
        res["loss_difference"] = {
            "blobs60k": abs(s["blobs60k_epoch"]["final_loss"] - res["blobs60k_epoch_slices"]["final_loss"]),
            "digits": abs(s["digits_200_trainer"]["final_loss"] - res["digits_200"]["final_loss"]),
        }
    out = json.dumps(res, indent=2)
    (d / "torch-results.json").write_text(out + "\n")
    print(out)


if __name__ == "__main__":
    main()
