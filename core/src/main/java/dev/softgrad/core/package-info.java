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
 * {@code Rows} the row I/O, checks and reductions, and {@code Parallel} the deterministic loops (run on {@code WorkerPool}'s spinning daemon threads)
 * (chunks fixed by the shape, partial sums added in chunk order: the same bits on any core count).
 * Cross-entropy against labels on rows of fewer than sixteen classes (a classifier's K = 10) takes
 * {@code ShortRows} instead, the same row math vectorised across sixteen rows at a time (its vector
 * half is {@code ShortRowKernels}; the same bits as its scalar form).
 *
 * <p>Outside the loss family, two more kernels serve a training step: {@code SkinnyProducts} (x W + b,
 * x^T G and G W^T of layers with few outputs, float32 in {@code SkinnyKernels}, float64 in its twin
 * {@code SkinnyKernelsD}) and {@code Activations}
 * (float32 tanh, sigmoid and relu with their gradients; the SIMD half, same bits, is
 * {@code ActivationKernels}); both need {@code --add-modules jdk.incubator.vector} for their SIMD code.
 * {@code LinearSoftmax} is the linear softmax classifier's whole gradient without a graph
 * ({@link dev.softgrad.core.Functional#linearCrossEntropyGrad}): the graph's kernels called in the
 * graph's order, so the same bits.
 */
package dev.softgrad.core;
