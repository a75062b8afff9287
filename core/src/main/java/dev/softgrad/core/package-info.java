/**
 * The reverse-mode autodiff core: {@link dev.softgrad.core.Tensor} (a value, its inputs and a
 * hand-written backward function), the backward engine and no-grad scopes in
 * {@link dev.softgrad.core.Autograd}, fused operations in {@link dev.softgrad.core.Functional}, the
 * softmax family of losses behind {@link dev.softgrad.core.Losses} (one fused node each, with
 * Hessians), {@link dev.softgrad.core.Arena} scopes that recycle a training step's arrays,
 * {@link dev.softgrad.core.Dense} and {@link dev.softgrad.core.InPlace} for allocation-free loops,
 * and {@link dev.softgrad.core.GradCheck}, which checks every gradient against finite differences.
 * Values are dense float32 or float64 {@code INDArray}s; kernels loop over their memory in Java
 * (SIMD for wide float32 rows when {@code jdk.incubator.vector} is present) and call OpenBLAS
 * directly for matrix products, so that a small training step makes few native calls.
 */
package dev.softgrad.core;
