"""Tabulates the output of bench/loss_family.sh: per case, the median over rounds of each side's
median (us per call), the range of the round medians, and softgrad / PyTorch.

Usage: python3 bench/loss_family_table.py < output.txt
"""
import statistics
import sys
from collections import defaultdict

runs = defaultdict(list)
order = []
for line in sys.stdin:
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 5:
        continue
    side, case, med = parts[0], parts[1], float(parts[2])
    if case not in order:
        order.append(case)
    runs[(side, case)].append(med)

print("| case | softgrad median us (range over rounds) | PyTorch median us (range) | softgrad / PyTorch |")
print("|---|---:|---:|---:|")
for case in order:
    s, p = runs.get(("softgrad", case), []), runs.get(("pytorch", case), [])
    def fmt(v):
        return f"{statistics.median(v):,.1f} ({min(v):,.1f}-{max(v):,.1f})" if v else "-"
    ratio = f"{statistics.median(s) / statistics.median(p):.2f}" if s and p else "-"
    print(f"| {case} | {fmt(s)} | {fmt(p)} | {ratio} |")
