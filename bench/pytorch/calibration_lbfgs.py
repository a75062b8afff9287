"""PyTorch counterpart of softgrad's TemperatureScalingBench (see BENCHMARKS.md, issue 6).

Guo et al.'s widely copied temperature-scaling recipe (LBFGS on T, T0 = 1.5, lr = 0.01, max_iter = 50)
on seeded logits z = 4 N(0, 1) with labels drawn from softmax(z / 2), timed, against the exact optimum
from a float64 Newton iteration on beta = 1/T. Run in a local venv with torch (never a project dependency):
    python bench/pytorch/calibration_lbfgs.py [flush]   # any argument: torch.set_flush_denormal(True)
"""
import time, numpy as np, torch
torch.set_num_threads(2)
import sys
if len(sys.argv) > 1: torch.set_flush_denormal(True)
calls = [0]
def exact_T(z, y):
    # safeguarded Newton on beta in float64 (same maths as softgrad), for the reference optimum
    z = z.double(); b = 1.0
    for _ in range(100):
        p = torch.softmax(b * z, 1); m = (p * z).sum(1); v = (p * (z - m[:, None])**2).sum(1)
        g = (m - z[torch.arange(len(y)), y]).mean().item(); h = v.mean().item()
        step = g / h; b -= step
        if abs(step) < 1e-14 * b: break
    return 1 / b
for n, k in [(1000, 10), (10000, 10), (10000, 100), (10000, 1000)]:
    gen = torch.Generator().manual_seed(99)
    z = 4.0 * torch.randn(n, k, generator=gen)
    y = torch.multinomial(torch.softmax(z / 2.0, 1), 1, generator=gen).squeeze(1)
    te = exact_T(z, y)
    def guo():
        T = torch.nn.Parameter(torch.ones(1) * 1.5)
        opt = torch.optim.LBFGS([T], lr=0.01, max_iter=50)
        def closure():
            calls[0] += 1; opt.zero_grad(); l = torch.nn.functional.cross_entropy(z / T, y); l.backward(); return l
        opt.step(closure); return T.item()
    calls[0] = 0; guo(); evals = calls[0]
    for _ in range(2): guo()
    ts = []
    for _ in range(15 if n * k < 1e6 else 5):
        t0 = time.perf_counter(); T = guo(); ts.append((time.perf_counter() - t0) * 1e3)
    print(f"[{n}, {k}]: LBFGS (lr 0.01, max_iter 50, T0 1.5) median {np.median(ts):.2f} ms, T = {T:.4f} after {evals} evaluations; exact T = {te:.4f}")
