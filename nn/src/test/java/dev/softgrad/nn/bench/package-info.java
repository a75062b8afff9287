/**
 * Benchmark mains for the nn module (run by hand, not by Surefire): training speed of the softmax
 * classifier against PyTorch ({@code bench/pytorch/bench_train.py}); figures in BENCHMARKS.md.
 */
package dev.softgrad.nn.bench;
