"""The cases of examples/.../bench/LossFamilyBench.java in PyTorch: forward + backward into z.grad.

One tab-separated line per case (name, median us, p10, p90), 2 threads. Run by bench/loss_family.sh,
interleaved with the Java bench. Arguments: seconds per case (default 1.5), and ``cpu`` for one thread
timed by its CPU time (steadier than the wall clock on a shared machine).
"""
import sys
import time

import torch
import torch.nn.functional as F

CPU = len(sys.argv) > 2 and sys.argv[2] == "cpu"
torch.set_num_threads(1 if CPU else 2)
clock = time.thread_time if CPU else time.perf_counter


def measure(fn, sec):
    end = clock() + sec * 0.3
    while clock() < end:
        fn()
    inner = 1
    t0 = clock()
    fn()
    if clock() - t0 < 1e-3:
        inner = 64
    samples = []
    end = clock() + sec
    while clock() < end:
        t0 = clock()
        for _ in range(inner):
            fn()
        samples.append((clock() - t0) / inner * 1e6)
    samples.sort()
    n = len(samples)
    return samples[n // 2], samples[n // 10], samples[(n * 9) // 10]


def case(name, z0, loss_of, sec):
    z = z0.clone().requires_grad_(True)

    def step():
        z.grad = None
        loss_of(z).backward()

    med, p10, p90 = measure(step, sec)
    print(f"{name}\t{med:.1f}\t{p10:.1f}\t{p90:.1f}", flush=True)


def main():
    sec = float(sys.argv[1]) if len(sys.argv) > 1 else 1.5
    g = torch.Generator().manual_seed(1)
    n, k = 8192, 1000
    z = torch.rand(n, k, generator=g) * 10 - 5
    y = torch.randint(0, k, (n,), generator=g)
    teacher = torch.rand(n, k, generator=g) * 10 - 5
    q = F.softmax(teacher, 1)
    case("CE f32 [8192,1000]", z, lambda t: F.cross_entropy(t, y), sec)
    case("smoothing 0.1 f32 [8192,1000]", z, lambda t: F.cross_entropy(t, y, label_smoothing=0.1), sec)
    case("prob targets f32 [8192,1000]", z, lambda t: F.cross_entropy(t, q), sec)
    # the teacher's softmax is inside the timed call, as it is inside softgrad's node
    case("distill T=4 a=0.5 f32 [8192,1000]", z, lambda t: 0.5 * F.cross_entropy(t, y) + 0.5 * 16 * F.kl_div(
        F.log_softmax(t / 4, 1), F.softmax(teacher / 4, 1), reduction="batchmean"), sec)
    case("CE f64 [8192,1000]", z.double(), lambda t: F.cross_entropy(t, y), sec)
    for kk in (10, 100, 1000, 10000):
        nn = 8_192_000 // kk
        zz = torch.rand(nn, kk, generator=g) * 10 - 5
        yy = torch.randint(0, kk, (nn,), generator=g)
        case(f"CE f32 sweep [{nn},{kk}]", zz, lambda t, yy=yy: F.cross_entropy(t, yy), sec)
    z32 = torch.rand(32, 10, generator=g) * 10 - 5
    y32 = torch.randint(0, 10, (32,), generator=g)
    case("CE f32 [32,10]", z32, lambda t: F.cross_entropy(t, y32), sec)
    if CPU:
        return
    dst = torch.empty_like(z)
    med, p10, p90 = measure(lambda: dst.copy_(z), sec)
    print(f"copy f32 [8192,1000]\t{med:.1f}\t{p10:.1f}\t{p90:.1f}", flush=True)


if __name__ == "__main__":
    main()
