/**
 * The reverse-mode autodiff core: {@link dev.softgrad.core.Tensor} (a value, its inputs and a
 * hand-written backward function), the backward engine and no-grad scopes in
 * {@link dev.softgrad.core.Autograd}, fused operations in {@link dev.softgrad.core.Functional}, the
 * softmax family of losses behind {@link dev.softgrad.core.Losses} (one fused node each, with
 * Hessians), {@link dev.softgrad.core.Arena} scopes that recycle a training step's arrays,
 * {@link dev.softgrad.core.Dense} and {@link dev.softgrad.core.InPlace} for allocation-free loops,
 * and {@link dev.softgrad.core.GradCheck}, which checks every gradient against finite differences.
 * Values are dense float32 or float64 {@code INDArray}s; kernels loop over their memory in Java and
 * call OpenBLAS directly for matrix products, so that a small training step makes few native calls.
 *
 * <p>To read the loss family, start at {@code SoftmaxRow}: the one stable row primitive (max shift,
 * exponentials, log1p of the sum: probabilities, log-probabilities and log-sum-exp of a row at
 * temperature tau) that every softmax-family node calls, and the only SIMD code among them (its
 * vector half is {@code VectorKernels}, which gives the same bits). Then one node per file, each
 * reading as its math: {@link dev.softgrad.core.SoftmaxCrossEntropy} (labels and probability
 * targets, and the fused loop the smoothed targets share), {@link dev.softgrad.core.LabelSmoothing},
 * {@link dev.softgrad.core.KLDistill}, {@link dev.softgrad.core.LogitL2},
 * {@link dev.softgrad.core.ZLoss}; {@code SoftmaxOps} holds softmax, log-softmax and log-sum-exp,
 * {@code Rows} the row I/O, checks and reductions, and {@code Parallel} the deterministic loops
 * (chunks fixed by the shape, partial sums added in chunk order: the same bits on any core count).
 */
package dev.softgrad.core;
