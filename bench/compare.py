#!/usr/bin/env python3
"""softgrad against PyTorch on the workloads of BENCHMARKS.md ("Training at the speed of memory"), in one go.

  W1   one SGD step of a linear softmax classifier, 32x64 -> 10, one fixed batch (N(0,1) features, labels
       i mod 10), zero init, lr 0.1; 200 + 2,000 warm-up steps, then 5 x 2,000 timed (us per step)
  W2   one epoch of minibatch SGD, 60,000 x 784 -> 10, batch 128, lr 0.1, zero init, rows gathered by a
       fixed seeded permutation (the gather is timed); 10 Gaussian class clusters, means N(0, 0.1^2) per
       feature, each row = its mean + N(0, 1); 1 warm-up epoch, 3 timed (s per epoch)
  W4   200 full-batch steps on the 8x8 digits (1,797 x 64, pixels / 16) -> 10, lr 0.5, zero init;
       2 warm-up runs, 3 timed (s per 200 steps)
  MLP  one epoch of a 784 -> 128 -> 10 tanh MLP on W2's data and batches, lr 0.1, the same seeded
       uniform(+-1/sqrt(fan_in)) initial weights on both sides; 1 warm-up epoch, 3 timed

The softgrad-only variants w1fused, w2fused, w4fused (--only w1 w1fused ...) run W1, W2, W4 through the
README's one fused call, Functional.linearCrossEntropyGrad (no graph; the same bits as the autograd loop),
and are compared with the same PyTorch workload (W1, W2, W4).

Each round starts a fresh softgrad JVM and a fresh PyTorch process, alternating which goes first; every
process reports wall time, process CPU time (all threads, the JIT compiler's included) and the main
thread's CPU time per sample (the work itself with --threads 1 on a shared machine: a second table).
The script prints, per workload, median and min..max over all samples of both, the ratio of the medians
and the range of per-round ratios, plus `uptime` before and after.

Usage (from the project root, after `mvn -q -pl examples -am compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt`):
  /work/torchvenv/bin/python bench/compare.py [--rounds 5] [--threads 2] [--data examples/target/bench-data]
"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def write_data(d: Path, shared: Path):
    d.mkdir(parents=True, exist_ok=True)
    if (d / "done").exists():
        return
    rng = np.random.default_rng(2026)
    # W1
    rng.standard_normal((32, 64), dtype=np.float32).astype("<f4").tofile(d / "w1_x.f32")
    (np.arange(32) % 10).astype("<i4").tofile(d / "w1_y.i32")
    # W2: 10 balanced Gaussian clusters, means N(0, 0.1^2), rows mean + N(0, 1), in a seeded permutation
    n, dim, k = 60000, 784, 10
    means = rng.normal(0.0, 0.1, (k, dim)).astype(np.float32)
    y = np.arange(n) % k
    x = means[y] + rng.standard_normal((n, dim), dtype=np.float32)
    x.astype("<f4").tofile(d / "w2_x.f32")
    y.astype("<i4").tofile(d / "w2_y.i32")
    rng.permutation(n).astype("<i4").tofile(d / "w2_perm.i32")
    # W4: scikit-learn's 8x8 digits, pixels / 16
    rows = np.loadtxt(gzip.open(shared / "digits.csv.gz", "rt"), delimiter=",")
    (rows[:, :64] / 16.0).astype("<f4").tofile(d / "digits_x.f32")
    rows[:, 64].astype("<i4").tofile(d / "digits_y.i32")
    # MLP initial weights, PyTorch's nn.Linear rule uniform(+-1/sqrt(fan_in)), stored [in, out]
    for name, fan_in, shape in (("w1", 784, (784, 128)), ("b1", 784, (128,)), ("w2", 128, (128, 10)), ("b2", 128, (10,))):
        bound = 1.0 / np.sqrt(fan_in)
        rng.uniform(-bound, bound, shape).astype("<f4").tofile(d / f"mlp_{name}.f32")
    (d / "done").write_text("ok\n")


def load_f32(p, shape):
    import torch
    return torch.from_numpy(np.fromfile(p, dtype="<f4").reshape(shape).copy())


def load_i64(p):
    import torch
    return torch.from_numpy(np.fromfile(p, dtype="<i4").astype(np.int64))


def torch_worker(d: Path, threads: int, which):
    """The PyTorch side, written as a PyTorch user writes it: nn.Parameter, F.cross_entropy, optim.SGD."""
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(threads)

    def clock():
        return time.perf_counter(), time.process_time(), time.thread_time()

    def since(c, div=1.0):
        return [(time.perf_counter() - c[0]) / div, (time.process_time() - c[1]) / div, (time.thread_time() - c[2]) / div]

    def emit(name, unit, samples, loss):
        print(json.dumps({"workload": name, "unit": unit, "wall": [s[0] for s in samples],
                          "cpu": [s[1] for s in samples], "main_cpu": [s[2] for s in samples],
                          "final_loss": loss}), flush=True)

    def full_loss(x, y, layers):
        with torch.no_grad():
            h = x.double()
            for i in range(0, len(layers), 2):
                if i > 0:
                    h = torch.tanh(h)
                h = h @ layers[i].double() + layers[i + 1].double()
            return F.cross_entropy(h, y).item()

    def step(x, y, w, b, opt):
        loss = F.cross_entropy(x @ w + b, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    if "w1" in which:
        x, y = load_f32(d / "w1_x.f32", (32, 64)), load_i64(d / "w1_y.i32")
        w = torch.zeros(64, 10, requires_grad=True)
        b = torch.zeros(10, requires_grad=True)
        opt = torch.optim.SGD([w, b], lr=0.1)
        for _ in range(2200):
            loss = step(x, y, w, b, opt)
        samples = []
        for _ in range(5):
            c = clock()
            for _ in range(2000):
                loss = step(x, y, w, b, opt)
            samples.append([v * 1e6 for v in since(c, 2000)])
        emit("W1", "us/step", samples, loss)

    def epoch(mlp, warmup, reps):
        n, dim = 60000, 784
        x, y = load_f32(d / "w2_x.f32", (n, dim)), load_i64(d / "w2_y.i32")
        perm = load_i64(d / "w2_perm.i32")
        samples, loss = [], None
        for r in range(-warmup, reps):
            if mlp:
                layers = [load_f32(d / "mlp_w1.f32", (784, 128)), load_f32(d / "mlp_b1.f32", (128,)),
                          load_f32(d / "mlp_w2.f32", (128, 10)), load_f32(d / "mlp_b2.f32", (10,))]
            else:
                layers = [torch.zeros(dim, 10), torch.zeros(10)]
            for p in layers:
                p.requires_grad_(True)
            opt = torch.optim.SGD(layers, lr=0.1)
            c = clock()
            for i in range(0, n, 128):
                rows = perm[i:i + 128]
                xb, yb = x.index_select(0, rows), y.index_select(0, rows)
                if mlp:
                    logits = torch.tanh(xb @ layers[0] + layers[1]) @ layers[2] + layers[3]
                else:
                    logits = xb @ layers[0] + layers[1]
                out = F.cross_entropy(logits, yb)
                opt.zero_grad()
                out.backward()
                opt.step()
                out.item()
            t = since(c)
            if r >= 0:
                samples.append(t)
                loss = full_loss(x, y, layers)
        emit("MLP epoch" if mlp else "W2", "s/epoch", samples, loss)

    if "w2" in which:
        epoch(False, 1, 3)
    if "w4" in which:
        x, y = load_f32(d / "digits_x.f32", (1797, 64)), load_i64(d / "digits_y.i32")
        samples, loss = [], None
        for r in range(-2, 3):
            w = torch.zeros(64, 10, requires_grad=True)
            b = torch.zeros(10, requires_grad=True)
            opt = torch.optim.SGD([w, b], lr=0.5)
            c = clock()
            for _ in range(200):
                step(x, y, w, b, opt)
            t = since(c)
            if r >= 0:
                samples.append(t)
                loss = full_loss(x, y, [w, b])
        emit("W4", "s/200 steps", samples, loss)
    if "mlp" in which:
        epoch(True, 1, 3)


def parse(out):
    res = {}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{"):
            r = json.loads(line)
            res[r["workload"]] = r
    return res


def run_softgrad(d, which, threads, jvm_extra):
    cp = (ROOT / "examples/target/bench-cp.txt").read_text().strip()
    classes = ":".join(str(ROOT / m / "target/classes") for m in ("examples", "nn", "datasets", "core"))
    cmd = ["java", "-Xmx4g", "--add-modules", "jdk.incubator.vector", "-Dorg.bytedeco.javacpp.maxphysicalbytes=0",
           "-Dorg.nd4j.log.initialization=false", f"-Dsoftgrad.threads={threads}", *jvm_extra, "-cp", classes + ":" + cp,
           "dev.softgrad.examples.bench.Workloads", str(d), *which]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    if p.returncode != 0:
        sys.exit("softgrad run failed:\n" + p.stderr[-3000:])
    return parse(p.stdout)


def peer(name):
    """The PyTorch workload a softgrad workload is compared with: "W1 fused" runs against "W1"."""
    return name.replace(" fused", "")


def run_torch(d, which, threads):
    which = list(dict.fromkeys(w.replace("fused", "") for w in which))  # w1fused is compared with PyTorch's w1
    cmd = [sys.executable, __file__, "--torch-worker", "--data", str(d), "--threads", str(threads), "--only", *which]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("PyTorch run failed:\n" + p.stderr[-3000:])
    return parse(p.stdout)


def spread(v):
    return f"{statistics.median(v):.4g} ({min(v):.4g}..{max(v):.4g})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data", default=str(ROOT / "examples/target/bench-data"))
    ap.add_argument("--shared", default=str(ROOT.parent / "shared/datasets"))
    ap.add_argument("--only", nargs="*", default=["w1", "w2", "w4", "mlp"])
    ap.add_argument("--jvm", action="append", default=[], help="extra JVM flag for softgrad (repeatable)")
    ap.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    d = Path(a.data)
    if a.torch_worker:
        torch_worker(d, a.threads, a.only)
        return
    write_data(d, Path(a.shared))
    print("uptime before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    runs = {"softgrad": [], "pytorch": []}
    for r in range(a.rounds):
        order = ["softgrad", "pytorch"] if r % 2 == 0 else ["pytorch", "softgrad"]
        for who in order:
            res = run_softgrad(d, a.only, a.threads, a.jvm) if who == "softgrad" else run_torch(d, a.only, a.threads)
            runs[who].append(res)
        print(f"round {r + 1}/{a.rounds} done; load {os.getloadavg()[0]:.1f}", flush=True)
    print("uptime after: ", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    names = [n for n in runs["softgrad"][0] if peer(n) in runs["pytorch"][0]]
    extra = [n for n in runs["softgrad"][0] if peer(n) not in runs["pytorch"][0]]
    print(f"\n{a.rounds} rounds, {a.threads} threads; median (min..max) over all samples; ratio = softgrad / PyTorch\n")
    print("| workload | unit | softgrad wall | softgrad CPU | PyTorch wall | PyTorch CPU | ratio of medians (per-round range) | final loss softgrad / PyTorch |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    table = []
    for n in names + extra:
        sw = [v for run in runs["softgrad"] for v in run[n]["wall"]]
        sc = [v for run in runs["softgrad"] for v in run[n]["cpu"]]
        unit = runs["softgrad"][0][n]["unit"]
        if n in names:
            pw = [v for run in runs["pytorch"] for v in run[peer(n)]["wall"]]
            pc = [v for run in runs["pytorch"] for v in run[peer(n)]["cpu"]]
            per_round = [statistics.median(s[n]["wall"]) / statistics.median(p[peer(n)]["wall"])
                         for s, p in zip(runs["softgrad"], runs["pytorch"])]
            ratio = f"{statistics.median(sw) / statistics.median(pw):.3f} ({min(per_round):.3f}..{max(per_round):.3f})"
            losses = f"{runs['softgrad'][-1][n]['final_loss']:.8f} / {runs['pytorch'][-1][peer(n)]['final_loss']:.8f}"
            print(f"| {n} | {unit} | {spread(sw)} | {spread(sc)} | {spread(pw)} | {spread(pc)} | {ratio} | {losses} |")
            sm = [v for run in runs["softgrad"] for v in run[n]["main_cpu"]]
            pm = [v for run in runs["pytorch"] for v in run[peer(n)]["main_cpu"]]
            per_round = [statistics.median(s[n]["main_cpu"]) / statistics.median(p[peer(n)]["main_cpu"])
                         for s, p in zip(runs["softgrad"], runs["pytorch"])]
            table.append(f"| {n} | {unit} | {spread(sm)} | {spread(pm)} | {statistics.median(sm) / statistics.median(pm):.3f} "
                         f"({min(per_round):.3f}..{max(per_round):.3f}) |")
        else:
            print(f"| {n} | {unit} | {spread(sw)} | {spread(sc)} | | | | |")
    # the main thread's CPU time: the work itself on a shared machine (without the JVM's JIT and GC threads);
    # with more than one thread it leaves out the workers, so it is comparable only with --threads 1
    print("\n| workload | unit | softgrad main-thread CPU | PyTorch main-thread CPU | ratio of medians (per-round range) |")
    print("| --- | --- | --- | --- | --- |")
    for line in table:
        print(line)


if __name__ == "__main__":
    main()
