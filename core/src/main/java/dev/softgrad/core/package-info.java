/**
 * The reverse-mode autodiff core: {@link dev.softgrad.core.Tensor} (a value, its inputs and a
 * hand-written backward function), the backward engine and no-grad scopes in
 * {@link dev.softgrad.core.Autograd}, fused operations in {@link dev.softgrad.core.Functional}, and
 * {@link dev.softgrad.core.GradCheck}, which checks every gradient against finite differences.
 * Values are dense float32 or float64 {@code INDArray}s; kernels loop over their memory in Java and
 * call ND4J's BLAS for matrix products, so that a small training step makes few native calls.
 */
package dev.softgrad.core;
